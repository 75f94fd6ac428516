export const LEDGER_KINDS = [
  'payment',
  'fee',
  'refund',
  'dispute',
  'dispute_reversal',
  'reversal',
  'refund_failure',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const LEDGER_TYPES = ['donation', 'monthly_donation', 'subscription', 'prepaid_subscription'] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

export const CHANNELS = ['online', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

/** What a new ledger row says. `net` is always derived: gross - fee. */
export interface NewLedgerEntry {
  /** Deterministic key of the money movement, e.g. `payment:ch_123`, `fee:txn_456`. */
  idempotencyKey: string;
  kind: LedgerKind;
  type: LedgerType;
  channel: Channel;
  method: string;
  gross: number;
  fee: number;
  currency: string;
  supporterId?: string | null;
  campaignId?: string | null;
  checkoutId?: string | null;
  reversesEntryId?: string | null;
  stripeEventId?: string | null;
  stripeCheckoutSessionId?: string | null;
  stripePaymentIntentId?: string | null;
  stripeChargeId?: string | null;
  stripeInvoiceId?: string | null;
  stripeRefundId?: string | null;
  stripeDisputeId?: string | null;
  stripeBalanceTransactionId?: string | null;
  /** Stripe's `exchange_rate` of the balance transaction this entry records, when it converted. */
  exchangeRate?: number | null;
  description?: string | null;
  staffId?: string | null;
  reference?: string | null;
  occurredAt: Date;
}

/** The part of a Stripe balance transaction the ledger needs: the fee. */
export interface BalanceInfo {
  id: string;
  fee: number;
  currency: string;
  /** Set when Stripe converted (the settlement currency differs from the charge's). */
  exchange_rate?: number | null;
  /** unix seconds */
  created: number;
}
