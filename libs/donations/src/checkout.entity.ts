import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintToNumber } from '@app/database';
import type { Channel } from '@app/ledger';

export type CheckoutStatus = 'creating' | 'open' | 'complete' | 'expired' | 'failed';
export type CheckoutFrequency = 'one_off' | 'monthly' | 'prepaid';

export interface PostalAddress {
  line1: string;
  line2?: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

/** What a reader (or a phone operator for a caller) asked to pay for, and its Stripe Checkout session. */
@Entity('checkouts')
export class Checkout {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  purpose: 'donation' | 'subscription';

  @Column('text')
  frequency: CheckoutFrequency;

  @Column('text')
  channel: Channel;

  @Column('bigint', { transformer: bigintToNumber })
  amount: number;

  @Column('char', { length: 3 })
  currency: string;

  @Column('text')
  email: string;

  @Column('text', { nullable: true })
  name: string | null;

  @Column('uuid', { name: 'campaign_id', nullable: true })
  campaignId: string | null;

  @Column('uuid', { name: 'supporter_id', nullable: true })
  supporterId: string | null;

  @Column('text', { name: 'tier_code', nullable: true })
  tierCode: string | null;

  @Column('integer', { name: 'prepaid_months', nullable: true })
  prepaidMonths: number | null;

  @Column('jsonb', { name: 'delivery_address', nullable: true })
  deliveryAddress: PostalAddress | null;

  @Column('text', { name: 'stripe_price_id', nullable: true })
  stripePriceId: string | null;

  @Column('text')
  status: CheckoutStatus;

  @Column('text', { name: 'stripe_session_id', nullable: true })
  stripeSessionId: string | null;

  @Column('text', { name: 'stripe_payment_intent_id', nullable: true })
  stripePaymentIntentId: string | null;

  @Column('text', { name: 'checkout_url', nullable: true })
  checkoutUrl: string | null;

  @Column('text', { name: 'failure_reason', nullable: true })
  failureReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt: Date | null;
}
