import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@app/common';
import { Actor, CurrentActor, Roles } from '@app/staff';
import { WebhookAdminService, WebhookBacklogDto, WebhookReplayDto } from '@app/webhooks';

/** Stripe event ids: `evt_` and letters/digits (the simulator's too). */
const EVENT_ID = /^evt_[A-Za-z0-9_]{1,200}$/;

@ApiTags('webhooks')
@Controller('api/admin/webhooks')
export class WebhooksAdminController {
  constructor(private readonly webhooks: WebhookAdminService) {}

  @Get()
  @Roles('admin')
  @ApiOperation({
    summary: "The webhook inbox's backlog: pending and parked counts, the lag, and the parked events",
  })
  @ApiOkResponse({ type: WebhookBacklogDto })
  backlog(): Promise<WebhookBacklogDto> {
    return this.webhooks.backlog();
  }

  @Post(':id/replay')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replay a parked event: due again now, attempts from 0 (as `npm run webhooks:replay`); audited',
    description:
      'Idempotent: an event that is not parked (replayed already, or processed) is answered with `replayed: false` and nothing changes. Effects of processing are idempotent too.',
  })
  @ApiParam({ name: 'id', description: 'The Stripe event id (evt_…)' })
  @ApiOkResponse({ type: WebhookReplayDto })
  @ApiNotFoundResponse({ description: 'No event by that id' })
  replay(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<WebhookReplayDto> {
    if (!EVENT_ID.test(id)) throw new DomainError('VALIDATION_FAILED', 'id must be a Stripe event id (evt_…)', 'id');
    return this.webhooks.replay(id, actor);
  }
}
