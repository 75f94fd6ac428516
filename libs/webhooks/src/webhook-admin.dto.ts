import { ApiProperty } from '@nestjs/swagger';

/** A parked event: its attempts are spent; it waits for a replay. */
export class ParkedWebhookEventDto {
  @ApiProperty({ example: 'evt_1QxYz' }) id: string;
  @ApiProperty({ example: 'charge.refunded' }) type: string;
  @ApiProperty({ type: String, nullable: true, description: 'the last attempt’s failure', example: 'Error: boom' })
  lastError: string | null;
  @ApiProperty({ type: 'integer', description: 'attempts made' }) attempts: number;
  @ApiProperty({ type: 'integer', description: 'deliveries received from Stripe (redeliveries counted)' })
  deliveries: number;
  @ApiProperty({ type: String, format: 'date-time' }) receivedAt: string;
}

/** GET /api/admin/webhooks: the inbox's backlog. */
export class WebhookBacklogDto {
  @ApiProperty({ type: 'integer', description: 'events waiting to be processed (due now or retried later)' })
  pending: number;
  @ApiProperty({ type: 'integer', description: 'events parked after their last attempt failed' })
  parked: number;
  @ApiProperty({
    description: 'seconds the oldest pending event has waited (0 when none waits; parked ones are not lag)',
  })
  lagSeconds: number;
  @ApiProperty({ type: [ParkedWebhookEventDto], description: 'parked events, oldest first (at most 200)' })
  parkedEvents: ParkedWebhookEventDto[];
}

/** POST /api/admin/webhooks/:id/replay. */
export class WebhookReplayDto {
  @ApiProperty({ example: 'evt_1QxYz' }) id: string;
  @ApiProperty({ example: 'charge.refunded' }) type: string;
  @ApiProperty({
    description:
      'true: the parked event is due again now (the worker processes it); false: it was not parked (already replayed or processed), nothing changed',
  })
  replayed: boolean;
  @ApiProperty({ description: 'processed already (a replay of a processed event changes nothing)' })
  processed: boolean;
}
