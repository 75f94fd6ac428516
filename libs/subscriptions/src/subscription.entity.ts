import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintToNumber } from '@app/database';
import type { PostalAddress } from '@app/donations';

export type SubscriptionStatus =
  'incomplete' | 'incomplete_expired' | 'trialing' | 'active' | 'past_due' | 'unpaid' | 'canceled' | 'paused' | 'ended';

export const SUBSCRIPTION_ORIGINS = ['stripe', 'offline', 'complimentary'] as const;
export type SubscriptionOrigin = (typeof SUBSCRIPTION_ORIGINS)[number];

/** A tier subscription or a monthly donation: Stripe-billed monthly, or one prepaid period. */
@Entity('subscriptions')
export class Subscription {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { name: 'supporter_id' })
  supporterId: string;

  @Column('text')
  kind: 'subscription' | 'monthly_donation';

  /** `complimentary`: granted by an admin without money (origin `complimentary`). */
  @Column('text')
  billing: 'monthly' | 'prepaid' | 'complimentary';

  /** `stripe`: through Checkout; `offline`: paid in cash, by cheque or transfer, recorded by staff; `complimentary`. */
  @Column('text')
  origin: SubscriptionOrigin;

  /** Why a complimentary subscription was granted (contributor, library, exchange…). */
  @Column('text', { nullable: true })
  reason: string | null;

  /** The end date a renewal reminder was queued for (an offline subscription's period). */
  @Column('timestamptz', { name: 'renewal_reminded_for', nullable: true })
  renewalRemindedFor: Date | null;

  @Column('text', { name: 'tier_code', nullable: true })
  tierCode: string | null;

  @Column('bigint', { transformer: bigintToNumber })
  amount: number;

  @Column('char', { length: 3 })
  currency: string;

  @Column('text')
  status: SubscriptionStatus;

  @Column('text', { name: 'stripe_subscription_id', nullable: true })
  stripeSubscriptionId: string | null;

  @Column('text', { name: 'stripe_customer_id', nullable: true })
  stripeCustomerId: string | null;

  @Column('text', { name: 'stripe_price_id', nullable: true })
  stripePriceId: string | null;

  @Column('timestamptz', { name: 'current_period_start', nullable: true })
  currentPeriodStart: Date | null;

  @Column('timestamptz', { name: 'current_period_end', nullable: true })
  currentPeriodEnd: Date | null;

  @Column('boolean', { name: 'cancel_at_period_end' })
  cancelAtPeriodEnd: boolean;

  @Column('timestamptz', { name: 'canceled_at', nullable: true })
  canceledAt: Date | null;

  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt: Date | null;

  @Column('timestamptz', { name: 'past_due_since', nullable: true })
  pastDueSince: Date | null;

  @Column('jsonb', { name: 'delivery_address', nullable: true })
  deliveryAddress: PostalAddress | null;

  @Column('uuid', { name: 'checkout_id', nullable: true })
  checkoutId: string | null;

  @Column('uuid', { name: 'campaign_id', nullable: true })
  campaignId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
