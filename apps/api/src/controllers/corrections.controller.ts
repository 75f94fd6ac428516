import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CorrectionsService, RefundDto, RefundResultDto, ReversalDto, ReversalResult } from '@app/phone';
import { Actor, CurrentActor, Roles } from '@app/staff';

@ApiTags('corrections')
@Controller('api/ledger-entries')
export class CorrectionsController {
  constructor(private readonly corrections: CorrectionsService) {}

  @Post(':id/reversal')
  @Roles('finance', 'admin')
  @HttpCode(201)
  @ApiOperation({ summary: 'Reverse a phone entry made in error: a negative entry beside it, with the reason' })
  @ApiCreatedResponse({ type: ReversalResult })
  reverse(@Param('id') id: string, @Body() dto: ReversalDto, @CurrentActor() actor: Actor): Promise<ReversalResult> {
    return this.corrections.reverse(id, dto.reason, actor);
  }

  @Post(':id/void')
  @Roles('phone', 'admin')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Void your own phone cash, cheque or transfer entry, the same local day, until it is in a closed deposit',
    description:
      'The reversal row of a reversal (audited; a receipt already emailed is followed by a correction email). Only the staff member who recorded the entry (403 VOID_NOT_OWN_ENTRY), only on the local day it was taken (REPORT_TIME_ZONE; 409 VOID_WINDOW_CLOSED after), not once its deposit is closed (409 ENTRY_DEPOSITED); after that, finance reverses it.',
  })
  @ApiCreatedResponse({ type: ReversalResult })
  void(@Param('id') id: string, @Body() dto: ReversalDto, @CurrentActor() actor: Actor): Promise<ReversalResult> {
    return this.corrections.void(id, dto.reason, actor);
  }

  @Post(':id/refund')
  @Roles('finance', 'admin')
  @HttpCode(202)
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description:
      'Per staff account, kept for good: the same key and body answer the first refund again (even after Stripe forgot its own key); another body 422 IDEMPOTENCY_KEY_REUSED; while the first is in progress 409 IDEMPOTENCY_REQUEST_IN_PROGRESS',
  })
  @ApiOperation({
    summary: 'Refund an online payment (all or part) through Stripe; the ledger follows through the webhook',
  })
  @ApiAcceptedResponse({ type: RefundResultDto })
  refund(
    @Param('id') id: string,
    @Body() dto: RefundDto,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<RefundResultDto> {
    return this.corrections.refund(id, dto, key, actor);
  }
}
