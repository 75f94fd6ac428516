import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiCsvResponse } from '@app/common';
import {
  ComplimentarySubscriptionDto,
  CreateComplimentarySubscriptionDto,
  CreateOfflineSubscriptionDto,
  EndComplimentarySubscriptionDto,
  OfflineSubscriptionResultDto,
  OfflineSubscriptionsService,
  RenewalRemindersService,
  RenewalsDueDto,
} from '@app/phone';
import { Actor, CurrentActor, Roles } from '@app/staff';
import { sendCsv } from './reports.controller';

@ApiTags('phone')
@Controller('api/offline-subscriptions')
export class OfflineSubscriptionsController {
  constructor(private readonly offline: OfflineSubscriptionsService) {}

  @Post()
  @Roles('phone', 'finance', 'admin')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Unique per payment taken; a retry sends the same key (per staff member, shared with phone donations)',
  })
  @ApiOperation({
    summary: 'Record a print or digital subscription paid in cash, by cheque or transfer (no email needed)',
    description:
      "One `prepaid_subscription` ledger entry on the `phone` channel and an `offline` subscription: the tier's prepaid option (`months` left out or equal to it) at its price, other `months` at the monthly price. A payment while an offline subscription of the tier runs renews it from its end. Print needs a delivery address (given, the caller's, or the record's). Voiding or reversing the entry takes the months away.",
  })
  @ApiCreatedResponse({ type: OfflineSubscriptionResultDto })
  @ApiConflictResponse({
    description: 'The same key is still being processed (retry), or a card subscription covers the tier',
  })
  @ApiUnprocessableEntityResponse({
    description: 'The key was used for a different request, or amount is not the price',
  })
  async create(
    @Headers('idempotency-key') key: string | undefined,
    @Body() dto: CreateOfflineSubscriptionDto,
    @CurrentActor() actor: Actor,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.offline.record(key, dto, actor);
    await reply.status(result.status).header('idempotent-replayed', String(result.replayed)).send(result.body);
  }
}

@ApiTags('phone')
@Controller('api/complimentary-subscriptions')
export class ComplimentarySubscriptionsController {
  constructor(private readonly offline: OfflineSubscriptionsService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary:
      'Grant a complimentary subscription (contributors, libraries, exchanges): no money, a reason, an end or none',
    description:
      'Audited (`complimentary_subscription.grant`); on the print mailing list when print; counted apart in the recurring report (`complimentary`), never in MRR. One active per reader and tier (409 SUBSCRIPTION_ALREADY_ACTIVE).',
  })
  @ApiCreatedResponse({ type: ComplimentarySubscriptionDto })
  grant(
    @Body() dto: CreateComplimentarySubscriptionDto,
    @CurrentActor() actor: Actor,
  ): Promise<ComplimentarySubscriptionDto> {
    return this.offline.grantComplimentary(dto, actor);
  }

  @Post(':id/end')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'End a complimentary subscription now (audited)' })
  @ApiOkResponse({ type: ComplimentarySubscriptionDto })
  end(
    @Param('id') id: string,
    @Body() dto: EndComplimentarySubscriptionDto,
    @CurrentActor() actor: Actor,
  ): Promise<ComplimentarySubscriptionDto> {
    return this.offline.endComplimentary(id, dto.reason, actor);
  }
}

@ApiTags('reports')
@Roles('finance', 'admin')
@Controller('api/reports')
export class RenewalsDueController {
  constructor(private readonly reminders: RenewalRemindersService) {}

  @Get('renewals-due')
  @ApiOperation({
    summary:
      'Renewals due by post: readers without an email whose offline subscription ends within RENEWAL_REMINDER_DAYS',
  })
  @ApiOkResponse({ type: RenewalsDueDto })
  renewalsDue(): Promise<RenewalsDueDto> {
    return this.reminders.renewalsDue();
  }

  @Get('renewals-due.csv')
  @ApiOperation({ summary: 'Renewals due by post as CSV for the mailing house' })
  @ApiCsvResponse('CSV (a download)')
  async renewalsDueCsv(@Res() reply: FastifyReply): Promise<void> {
    sendCsv(reply, `renewals-due-${new Date().toISOString().slice(0, 10)}.csv`, await this.reminders.renewalsDueCsv());
  }
}
