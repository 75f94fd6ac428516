import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from '@app/database';
import type { Channel, LedgerKind, LedgerType } from './ledger.types';

/**
 * One immutable movement of money. Corrections are new rows (refunds, reversals and lost
 * disputes are negative); a database trigger refuses UPDATE and DELETE.
 */
@Entity('ledger_entries')
export class LedgerEntry {
  /** bigint identity, kept as a string (ids are not arithmetic). */
  @PrimaryColumn('bigint')
  id: string;

  @Column('text', { name: 'idempotency_key' })
  idempotencyKey: string;

  @Column('text')
  kind: LedgerKind;

  @Column('text')
  type: LedgerType;

  @Column('text')
  channel: Channel;

  @Column('text')
  method: string;

  @Column('bigint', { transformer: bigintToNumber })
  gross: number;

  @Column('bigint', { transformer: bigintToNumber })
  fee: number;

  @Column('bigint', { transformer: bigintToNumber })
  net: number;

  @Column('char', { length: 3 })
  currency: string;

  @Column('uuid', { name: 'supporter_id', nullable: true })
  supporterId: string | null;

  @Column('uuid', { name: 'campaign_id', nullable: true })
  campaignId: string | null;

  @Column('uuid', { name: 'checkout_id', nullable: true })
  checkoutId: string | null;

  @Column('bigint', { name: 'reverses_entry_id', nullable: true })
  reversesEntryId: string | null;

  @Column('text', { name: 'stripe_event_id', nullable: true })
  stripeEventId: string | null;

  @Column('text', { name: 'stripe_checkout_session_id', nullable: true })
  stripeCheckoutSessionId: string | null;

  @Column('text', { name: 'stripe_payment_intent_id', nullable: true })
  stripePaymentIntentId: string | null;

  @Column('text', { name: 'stripe_charge_id', nullable: true })
  stripeChargeId: string | null;

  @Column('text', { name: 'stripe_invoice_id', nullable: true })
  stripeInvoiceId: string | null;

  @Column('text', { name: 'stripe_refund_id', nullable: true })
  stripeRefundId: string | null;

  @Column('text', { name: 'stripe_dispute_id', nullable: true })
  stripeDisputeId: string | null;

  @Column('text', { name: 'stripe_balance_transaction_id', nullable: true })
  stripeBalanceTransactionId: string | null;

  /** Stripe's rate when this entry's balance transaction was converted (charge currency × rate = settled amount); null otherwise. */
  @Column('numeric', {
    name: 'exchange_rate',
    nullable: true,
    transformer: {
      to: (v: number | null | undefined) => v ?? null,
      from: (v: string | null) => (v === null ? null : Number(v)),
    },
  })
  exchangeRate: number | null;

  @Column('text', { nullable: true })
  description: string | null;

  /** Who entered it (phone and corrections); null for what Stripe reported. */
  @Column('uuid', { name: 'staff_id', nullable: true })
  staffId: string | null;

  /** Cheque number, transfer reference, receipt number. */
  @Column('text', { nullable: true })
  reference: string | null;

  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;

  @Column('timestamptz', { name: 'recorded_at' })
  recordedAt: Date;
}
