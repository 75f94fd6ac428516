import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ErasureRequestDto,
  ErasureResultDto,
  PrivacyService,
  SupporterActivityDto,
  SupporterExportDto,
} from '@app/privacy';
import { Actor, CurrentActor, Roles } from '@app/staff';

@ApiTags('privacy')
@Controller('api/supporters')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Get(':id/activity')
  @Roles('phone', 'finance', 'admin')
  @ApiOperation({
    summary:
      'Emails sent to a supporter and staff actions about them (and records merged into them), newest first, 100 of each; no bodies or snapshots (not an export)',
  })
  @ApiOkResponse({ type: SupporterActivityDto })
  activity(@Param('id') id: string): Promise<SupporterActivityDto> {
    return this.privacy.activity(id);
  }

  @Get(':id/export')
  @Roles('finance', 'admin')
  @ApiOperation({
    summary:
      'Everything held about a supporter as JSON: record, payments, subscriptions, checkouts, emails sent, audit entries about them, and the same for each record merged into them under `merged`; a merged id answers its survivor (audited)',
  })
  @ApiOkResponse({ type: SupporterExportDto })
  export(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<SupporterExportDto> {
    return this.privacy.export(id, actor);
  }

  @Post(':id/erasure')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Erase a supporter's personal data on request, with every record merged into them (a merged id erases its survivor's whole group) (audited; idempotent): tombstones, Stripe customers deleted, emails and audit snapshots scrubbed; ledger and totals unchanged",
  })
  @ApiOkResponse({ type: ErasureResultDto })
  erase(
    @Param('id') id: string,
    @Body() dto: ErasureRequestDto,
    @CurrentActor() actor: Actor,
  ): Promise<ErasureResultDto> {
    return this.privacy.erase(id, dto.reason, actor);
  }
}
