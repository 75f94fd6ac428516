import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { invalidRequest } from '../core/errors';
import { formatMoney } from '../core/money';
import { NO_REQUEST, type RequestOrigin } from '../core/types';
import { buildBalanceTransaction } from '../objects/balance-transaction';
import { refundsFailOn } from '../objects/payment-method';
import { buildRefund } from '../objects/refund';
import { settle } from '../core/settlement';

export interface RefundRequest {
  charge?: string;
  paymentIntent?: string;
  /** Default: what remains unrefunded. */
  amount?: number;
  reason?: Stripe.Refund.Reason;
  metadata?: Record<string, string>;
}

/**
 * Refunds all or part of a successful card charge, at once (`status: succeeded`): the refund's own
 * balance transaction (negative, no fee), the charge's `amount_refunded` grows and `refunded`
 * turns true only when nothing remains. Events `refund.created` and `charge.refunded`. A charge
 * paid with the refund-failure test card (4000 0000 0000 5126): the refund fails shortly after
 * (`scheduleRefundFailure`).
 */
export function createRefund(
  ctx: SimulatorContext,
  req: RefundRequest,
  request: RequestOrigin = NO_REQUEST,
): Stripe.Refund {
  const charge = refundableCharge(ctx, req);
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) {
    throw invalidRequest(`Charge ${charge.id} has already been refunded.`, {
      code: 'charge_already_refunded',
      param: req.charge ? 'charge' : 'payment_intent',
    });
  }
  const amount = req.amount ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(remaining, charge.currency)})`,
      { code: 'amount_too_large', param: 'amount' },
    );
  }

  const now = ctx.clock.now();
  const refund = buildRefund(ctx, { charge, amount, reason: req.reason ?? null, metadata: req.metadata ?? {} });
  const settled = settle(-amount, charge.currency);
  const txn = ctx.store.insert(
    'balance_transaction',
    buildBalanceTransaction(ctx, {
      type: 'refund',
      reportingCategory: 'refund',
      amount: settled.amount,
      currency: settled.currency,
      exchangeRate: settled.exchangeRate,
      fees: [],
      source: refund.id,
      description: charge.description ? `REFUND FOR CHARGE (${charge.description})` : 'REFUND FOR CHARGE',
      status: 'available',
      availableOn: now,
    }),
  );
  refund.balance_transaction = txn.id;
  ctx.store.insert('refund', refund);
  ctx.events.emit('refund.created', refund, { request });

  const previous: Record<string, unknown> = {
    amount_refunded: charge.amount_refunded,
    refunds: structuredClone(charge.refunds),
  };
  charge.amount_refunded += amount;
  if (charge.amount_refunded === charge.amount) {
    previous.refunded = false;
    charge.refunded = true;
  }
  if (charge.refunds) charge.refunds.data.unshift(refund);
  ctx.events.emit('charge.refunded', charge, { previousAttributes: previous, request });
  if (refundsFailOn(charge)) scheduleRefundFailure(ctx, refund.id);
  return refund;
}

/**
 * As Stripe's refund-failure test card (4000 0000 0000 5126) does: the refund, succeeded, fails
 * `refundFailureDelayMs` later on its own (`failRefund`, reason `expired_or_canceled_card`).
 * Nothing happens if it is no longer succeeded by then (failed already through the control route).
 */
export function scheduleRefundFailure(ctx: SimulatorContext, refundId: string): void {
  ctx.scheduler.schedule(ctx.config.refundFailureDelayMs, `fail refund ${refundId}`, () => {
    if (ctx.store.get('refund', refundId)?.status !== 'succeeded') return;
    failRefund(ctx, refundId, 'expired_or_canceled_card');
  });
}

/** Whether a succeeded refund is of a charge paid with the refund-failure test card (it is still to fail). */
export function refundStillToFail(ctx: SimulatorContext, refund: Stripe.Refund): boolean {
  const chargeId = typeof refund.charge === 'string' ? refund.charge : refund.charge?.id;
  const charge = chargeId ? ctx.store.get('charge', chargeId) : undefined;
  return refund.status === 'succeeded' && !!charge && refundsFailOn(charge);
}

function refundableCharge(ctx: SimulatorContext, req: RefundRequest): Stripe.Charge {
  if (!req.charge && !req.paymentIntent) {
    throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', {
      code: 'parameter_missing',
    });
  }
  let charge: Stripe.Charge;
  if (req.charge) {
    charge = ctx.store.require('charge', req.charge, 'charge');
    if (req.paymentIntent && charge.payment_intent !== req.paymentIntent) {
      throw invalidRequest(`Charge ${charge.id} does not belong to PaymentIntent ${req.paymentIntent}.`, {
        param: 'payment_intent',
      });
    }
  } else {
    const pi = ctx.store.require('payment_intent', req.paymentIntent!, 'payment_intent');
    const latest = typeof pi.latest_charge === 'string' ? ctx.store.get('charge', pi.latest_charge) : undefined;
    if (pi.status !== 'succeeded' || !latest) {
      throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, {
        param: 'payment_intent',
      });
    }
    charge = latest;
  }
  if (charge.status !== 'succeeded') {
    throw invalidRequest(`Charge ${charge.id} did not succeed; there is nothing to refund.`, {
      param: req.charge ? 'charge' : 'payment_intent',
    });
  }
  if (charge.disputed) {
    const lost = ctx.store.all('dispute').some((d) => d.charge === charge.id && d.status !== 'won');
    if (lost) {
      throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, {
        code: 'charge_disputed',
        param: req.charge ? 'charge' : 'payment_intent',
      });
    }
  }
  return charge;
}

/** Why a card refund fails after it succeeded (Stripe's `failure_reason`). */
export const REFUND_FAILURE_REASONS = [
  'lost_or_stolen_card',
  'expired_or_canceled_card',
  'declined',
  'unknown',
] as const;
export type RefundFailureReason = (typeof REFUND_FAILURE_REASONS)[number];

/**
 * A refund that succeeded fails later, as Stripe's refund-failure test card (4000 0000 0000 5126)
 * makes happen: the card was closed, or the bank sent the money back. The refund becomes
 * `status: failed` with `failure_reason` and `failure_balance_transaction`, a `refund_failure`
 * balance transaction returns the amount to the balance (converted, like the refund), and the
 * charge's `amount_refunded` shrinks again (so it can be refunded another way). Events
 * `refund.updated` (previous status `succeeded`) and `refund.failed`.
 */
export function failRefund(
  ctx: SimulatorContext,
  refundId: string,
  reason: RefundFailureReason = 'expired_or_canceled_card',
): Stripe.Refund {
  const refund = ctx.store.require('refund', refundId, 'refund');
  if (refund.status !== 'succeeded' && refund.status !== 'pending') {
    throw invalidRequest(`Refund ${refund.id} is ${refund.status}; only a succeeded or pending refund can fail.`, {
      param: 'refund',
    });
  }
  const chargeId = typeof refund.charge === 'string' ? refund.charge : refund.charge?.id;
  const charge = chargeId ? ctx.store.get('charge', chargeId) : undefined;
  const refundTxn =
    typeof refund.balance_transaction === 'string'
      ? ctx.store.get('balance_transaction', refund.balance_transaction)
      : undefined;
  const now = ctx.clock.now();
  // The money comes back as it went out: the refund's own settled amount, reversed.
  const back = refundTxn
    ? { amount: -refundTxn.amount, currency: refundTxn.currency, exchangeRate: refundTxn.exchange_rate }
    : { ...settle(refund.amount, refund.currency) };
  const txn = ctx.store.insert(
    'balance_transaction',
    buildBalanceTransaction(ctx, {
      type: 'refund_failure',
      reportingCategory: 'refund_failure',
      amount: back.amount,
      currency: back.currency,
      exchangeRate: back.exchangeRate,
      fees: [],
      source: refund.id,
      description: 'REFUND FAILURE',
      status: 'available',
      availableOn: now,
    }),
  );
  const previous = { status: refund.status, failure_balance_transaction: null, failure_reason: null } as Record<
    string,
    unknown
  >;
  Object.assign(refund, { status: 'failed', failure_reason: reason, failure_balance_transaction: txn.id });
  if (refund.destination_details?.card) refund.destination_details.card.reference_status = 'unavailable';
  if (charge) {
    charge.amount_refunded = Math.max(0, charge.amount_refunded - refund.amount);
    charge.refunded = false;
    const listed = charge.refunds?.data.find((r) => r.id === refund.id);
    if (listed) Object.assign(listed, structuredClone(refund));
  }
  ctx.events.emit('refund.updated', refund, { previousAttributes: previous });
  ctx.events.emit('refund.failed', refund);
  ctx.log(`refund ${refund.id} failed (${reason}): ${back.amount} ${back.currency} back in the balance`);
  return refund;
}
