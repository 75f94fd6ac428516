import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The webhook inbox: every verified Stripe event, stored once by its id, with its processing state. */
@Entity('stripe_events')
export class StripeEventRecord {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  type: string;

  @Column('text', { name: 'api_version', nullable: true })
  apiVersion: string | null;

  @Column('boolean')
  livemode: boolean;

  @Column('timestamptz', { name: 'stripe_created_at' })
  stripeCreatedAt: Date;

  @Column('json')
  payload: Record<string, unknown>;

  @Column('timestamptz', { name: 'received_at' })
  receivedAt: Date;

  /** How many times Stripe delivered it. */
  @Column('integer')
  deliveries: number;

  /** How many times processing was attempted. */
  @Column('integer')
  attempts: number;

  @Column('timestamptz', { name: 'processed_at', nullable: true })
  processedAt: Date | null;

  @Column('text', { nullable: true })
  outcome: string | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;

  @Column('timestamptz', { name: 'next_attempt_at' })
  nextAttemptAt: Date;

  @Column('timestamptz', { name: 'locked_until', nullable: true })
  lockedUntil: Date | null;
}
