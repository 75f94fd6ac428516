import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { invalidRequest } from '../core/errors';
import { formatMoney } from '../core/money';
import { NO_REQUEST, type RequestOrigin } from '../core/types';
import { buildBalanceTransaction } from '../objects/balance-transaction';
import { buildRefund } from '../objects/refund';

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
 * turns true only when nothing remains. Events `refund.created` and `charge.refunded`.
 */
export function createRefund(ctx: SimulatorContext, req: RefundRequest, request: RequestOrigin = NO_REQUEST): Stripe.Refund {
  const charge = refundableCharge(ctx, req);
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded', param: req.charge ? 'charge' : 'payment_intent' });
  const amount = req.amount ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatMoney(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatMoney(remaining, charge.currency)})`,
      { code: 'amount_too_large', param: 'amount' },
    );
  }

  const now = ctx.clock.now();
  const refund = buildRefund(ctx, { charge, amount, reason: req.reason ?? null, metadata: req.metadata ?? {} });
  const txn = ctx.store.insert(
    'balance_transaction',
    buildBalanceTransaction(ctx, {
      type: 'refund',
      reportingCategory: 'refund',
      amount: -amount,
      currency: charge.currency,
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

  const previous: Record<string, unknown> = { amount_refunded: charge.amount_refunded, refunds: structuredClone(charge.refunds) };
  charge.amount_refunded += amount;
  if (charge.amount_refunded === charge.amount) {
    previous.refunded = false;
    charge.refunded = true;
  }
  if (charge.refunds) charge.refunds.data.unshift(refund);
  ctx.events.emit('charge.refunded', charge, { previousAttributes: previous, request });
  return refund;
}

function refundableCharge(ctx: SimulatorContext, req: RefundRequest): Stripe.Charge {
  if (!req.charge && !req.paymentIntent) {
    throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', { code: 'parameter_missing' });
  }
  let charge: Stripe.Charge;
  if (req.charge) {
    charge = ctx.store.require('charge', req.charge, 'charge');
    if (req.paymentIntent && charge.payment_intent !== req.paymentIntent) {
      throw invalidRequest(`Charge ${charge.id} does not belong to PaymentIntent ${req.paymentIntent}.`, { param: 'payment_intent' });
    }
  } else {
    const pi = ctx.store.require('payment_intent', req.paymentIntent!, 'payment_intent');
    const latest = typeof pi.latest_charge === 'string' ? ctx.store.get('charge', pi.latest_charge) : undefined;
    if (pi.status !== 'succeeded' || !latest) {
      throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { param: 'payment_intent' });
    }
    charge = latest;
  }
  if (charge.status !== 'succeeded') throw invalidRequest(`Charge ${charge.id} did not succeed; there is nothing to refund.`, { param: req.charge ? 'charge' : 'payment_intent' });
  if (charge.disputed) {
    const lost = ctx.store.all('dispute').some((d) => d.charge === charge.id && d.status !== 'won');
    if (lost) throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, { code: 'charge_disputed', param: req.charge ? 'charge' : 'payment_intent' });
  }
  return charge;
}
