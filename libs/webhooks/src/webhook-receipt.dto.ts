import { ApiProperty } from '@nestjs/swagger';
import { type ReceiveResult } from './webhook-inbox.service';

/** POST /api/stripe/webhook: the event is stored (once, by id). */
export class WebhookReceiptDto implements ReceiveResult {
  @ApiProperty({ example: 'evt_123' }) eventId: string;
  @ApiProperty({ example: 'checkout.session.completed' }) type: string;
  @ApiProperty({ description: 'already received before (Stripe retried)' }) duplicate: boolean;
  @ApiProperty({ enum: ['queued', 'processed'], description: 'queued: the worker will process it; processed: it was' })
  status: 'queued' | 'processed';
}
