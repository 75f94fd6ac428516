import { Public } from '@app/staff';
import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CampaignProgressDto, CampaignsService } from '@app/campaigns';

@ApiTags('campaigns')
@Public()
@Controller('api/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignsService) {}

  @Get(':slug/progress')
  @ApiOperation({ summary: "A campaign's progress toward its target, from the ledger" })
  @ApiParam({ name: 'slug', description: 'Campaign slug, or `current` for the site\'s current campaign' })
  @ApiOkResponse({ type: CampaignProgressDto })
  @ApiNotFoundResponse({ description: 'No such campaign' })
  progress(@Param('slug') slug: string): Promise<CampaignProgressDto> {
    return this.campaigns.progress(slug);
  }
}
