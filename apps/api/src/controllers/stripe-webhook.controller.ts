import { Public } from '@app/staff';
import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@app/common';
import { ReceiveResult, WebhookInboxService } from '@app/webhooks';

@ApiTags('stripe')
@Public()
@Controller('api/stripe')
export class StripeWebhookController {
  constructor(private readonly inbox: WebhookInboxService) {}

  /** Stripe's webhook endpoint: 2xx once the verified event is stored; 400 on a bad signature. */
  @Post('webhook')
  @HttpCode(200)
  @ApiOkResponse({ description: 'Event stored (and processed, or queued for retry)' })
  @ApiBadRequestResponse({ description: 'Missing or invalid Stripe-Signature' })
  receive(@Req() req: RawBodyRequest<FastifyRequest>, @Headers('stripe-signature') signature: string | undefined): Promise<ReceiveResult> {
    if (!req.rawBody) throw new DomainError('WEBHOOK_SIGNATURE_INVALID', 'webhook body missing', 'body');
    return this.inbox.receive(req.rawBody, signature);
  }
}
