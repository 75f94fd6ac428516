import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CorrectionsService, RefundDto, ReversalDto } from '@app/phone';
import { Actor, CurrentActor, Roles } from '@app/staff';

@ApiTags('corrections')
@Controller('api/ledger-entries')
export class CorrectionsController {
  constructor(private readonly corrections: CorrectionsService) {}

  @Post(':id/reversal')
  @Roles('finance', 'admin')
  @ApiBearerAuth()
  @HttpCode(201)
  @ApiOperation({ summary: 'Reverse a phone entry made in error: a negative entry beside it, with the reason' })
  reverse(@Param('id') id: string, @Body() dto: ReversalDto, @CurrentActor() actor: Actor) {
    return this.corrections.reverse(id, dto.reason, actor);
  }

  @Post(':id/refund')
  @Roles('finance', 'admin')
  @ApiBearerAuth()
  @HttpCode(202)
  @ApiHeader({ name: 'Idempotency-Key', required: true })
  @ApiOperation({ summary: 'Refund an online payment (all or part) through Stripe; the ledger follows through the webhook' })
  refund(@Param('id') id: string, @Body() dto: RefundDto, @Headers('idempotency-key') key: string | undefined, @CurrentActor() actor: Actor) {
    return this.corrections.refund(id, dto, key, actor);
  }
}
