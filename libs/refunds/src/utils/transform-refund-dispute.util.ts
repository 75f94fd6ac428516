import type Stripe from 'stripe';
import type { LedgerEntry, NewLedgerEntry } from '@app/ledger';

/** Whether Stripe settled this balance transaction in another currency than `currency` (it converted). */
export function converted(bt: Pick<Stripe.BalanceTransaction, 'currency'>, currency: string): boolean {
  return bt.currency.toLowerCase() !== currency.toLowerCase();
}

/** An expanded balance transaction, or null for an id or nothing. */
export function balanceTransaction(
  value: string | Stripe.BalanceTransaction | null | undefined,
): Stripe.BalanceTransaction | null {
  return value && typeof value === 'object' ? value : null;
}

/** The payment a refund or dispute takes money from, as far as entries beside it copy it. */
export type ReversedPayment = Pick<
  LedgerEntry,
  | 'id'
  | 'type'
  | 'channel'
  | 'method'
  | 'currency'
  | 'supporterId'
  | 'campaignId'
  | 'checkoutId'
  | 'stripeCheckoutSessionId'
  | 'stripePaymentIntentId'
  | 'stripeChargeId'
  | 'stripeInvoiceId'
>;

/**
 * What an entry beside a payment carries of it (type, channel, campaign, supporter, Stripe ids),
 * so that progress and reports follow on their own; it reverses the payment.
 */
export function inheritedFrom(payment: ReversedPayment, eventId: string) {
  return {
    type: payment.type,
    channel: payment.channel,
    method: payment.method,
    currency: payment.currency,
    supporterId: payment.supporterId,
    campaignId: payment.campaignId,
    checkoutId: payment.checkoutId,
    reversesEntryId: payment.id,
    stripeEventId: eventId,
    stripeCheckoutSessionId: payment.stripeCheckoutSessionId,
    stripePaymentIntentId: payment.stripePaymentIntentId,
    stripeChargeId: payment.stripeChargeId,
    stripeInvoiceId: payment.stripeInvoiceId,
  };
}

/**
 * A refund as a negative entry. Its balance transaction's fee is usually 0 (Stripe keeps the
 * original fee); converted (settled in another currency), any fee is its own entry (`settledFeeEntry`).
 */
export function refundEntry(
  payment: ReversedPayment,
  refund: Pick<Stripe.Refund, 'id' | 'amount' | 'currency' | 'reason' | 'created' | 'balance_transaction'>,
  eventId: string,
): NewLedgerEntry {
  const bt = balanceTransaction(refund.balance_transaction);
  return {
    ...inheritedFrom(payment, eventId),
    idempotencyKey: `refund:${refund.id}`,
    kind: 'refund',
    gross: -refund.amount,
    fee: bt && !converted(bt, refund.currency) ? bt.fee : 0,
    stripeRefundId: refund.id,
    stripeBalanceTransactionId: bt?.id ?? null,
    exchangeRate: bt && converted(bt, refund.currency) ? bt.exchange_rate : null,
    description: refund.reason ? `Refund (${refund.reason})` : 'Refund',
    occurredAt: new Date(refund.created * 1000),
  };
}

/**
 * A refund that failed after it had moved money: a positive `refund_failure` entry reversing the
 * refund's entry, from the balance transaction that returned the money.
 */
export function refundFailureEntry(
  payment: ReversedPayment,
  refund: Pick<Stripe.Refund, 'id' | 'amount' | 'currency' | 'failure_reason'>,
  refundEntryId: string,
  failure: Stripe.BalanceTransaction,
  eventId: string,
): NewLedgerEntry {
  return {
    ...inheritedFrom(payment, eventId),
    reversesEntryId: refundEntryId,
    idempotencyKey: `refund_failure:${refund.id}`,
    kind: 'refund_failure',
    gross: refund.amount,
    fee: !converted(failure, refund.currency) ? failure.fee : 0,
    stripeRefundId: refund.id,
    stripeBalanceTransactionId: failure.id,
    exchangeRate: converted(failure, refund.currency) ? failure.exchange_rate : null,
    description: `Refund failed (${refund.failure_reason ?? 'unknown'}): money back`,
    occurredAt: new Date(failure.created * 1000),
  };
}

/** A dispute's withdrawal as a negative entry, with the dispute fee unless Stripe converted it. */
export function disputeEntry(
  payment: ReversedPayment,
  dispute: Pick<Stripe.Dispute, 'id' | 'amount' | 'currency' | 'reason' | 'created'>,
  withdrawal: Stripe.BalanceTransaction,
  eventId: string,
): NewLedgerEntry {
  return {
    ...inheritedFrom(payment, eventId),
    idempotencyKey: `dispute:${dispute.id}`,
    kind: 'dispute',
    gross: -dispute.amount,
    fee: !converted(withdrawal, dispute.currency) ? withdrawal.fee : 0,
    stripeDisputeId: dispute.id,
    stripeBalanceTransactionId: withdrawal.id,
    exchangeRate: converted(withdrawal, dispute.currency) ? withdrawal.exchange_rate : null,
    description: `Dispute (${dispute.reason})`,
    occurredAt: new Date(withdrawal.created * 1000),
  };
}

/** A dispute won: the funds reinstated as a positive entry (dated by the event without a reinstatement). */
export function disputeReversalEntry(
  payment: ReversedPayment,
  dispute: Pick<Stripe.Dispute, 'id' | 'amount' | 'currency'>,
  reinstatement: Stripe.BalanceTransaction | null,
  event: Pick<Stripe.Event, 'id' | 'created'>,
): NewLedgerEntry {
  return {
    ...inheritedFrom(payment, event.id),
    idempotencyKey: `dispute_reversal:${dispute.id}`,
    kind: 'dispute_reversal',
    gross: dispute.amount,
    fee: reinstatement && !converted(reinstatement, dispute.currency) ? reinstatement.fee : 0,
    stripeDisputeId: dispute.id,
    stripeBalanceTransactionId: reinstatement?.id ?? null,
    exchangeRate: reinstatement && converted(reinstatement, dispute.currency) ? reinstatement.exchange_rate : null,
    description: 'Dispute won: funds reinstated',
    occurredAt: new Date((reinstatement?.created ?? event.created) * 1000),
  };
}

/**
 * The fee of a balance transaction Stripe converted into the settlement currency (a refund's, a
 * dispute's): its own `fee` entry in that currency with the exchange rate, keyed `fee:<txn>`
 * (reconciliation finds it by that key). Not tied to the charge id, so the charge's own fee
 * stays the charge's. Null when there was no conversion (the fee is on the entry) or no fee.
 */
export function settledFeeEntry(
  payment: ReversedPayment,
  bt: Stripe.BalanceTransaction | null,
  currency: string,
  description: string,
  eventId: string,
): NewLedgerEntry | null {
  if (!bt || !converted(bt, currency) || bt.fee === 0) return null;
  return {
    ...inheritedFrom(payment, eventId),
    reversesEntryId: null,
    stripeChargeId: null,
    idempotencyKey: `fee:${bt.id}`,
    kind: 'fee',
    gross: 0,
    fee: bt.fee,
    currency: bt.currency,
    exchangeRate: bt.exchange_rate,
    description,
    occurredAt: new Date(bt.created * 1000),
  };
}

/** The dispute's balance transactions: the withdrawal (negative) and, once won, the reinstatement. */
export function disputeMovements(dispute: Pick<Stripe.Dispute, 'balance_transactions'>): {
  withdrawal: Stripe.BalanceTransaction | null;
  reinstatement: Stripe.BalanceTransaction | null;
} {
  const txns = dispute.balance_transactions ?? [];
  return {
    withdrawal: txns.find((t) => t.amount < 0) ?? null,
    reinstatement: txns.find((t) => t.amount > 0) ?? null,
  };
}
