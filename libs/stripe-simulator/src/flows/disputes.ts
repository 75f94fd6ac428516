import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { invalidRequest } from '../core/errors';
import { DISPUTE_FEE } from '../core/pricing';
import { buildBalanceTransaction } from '../objects/balance-transaction';
import { settle } from '../core/settlement';
import { buildDispute } from '../objects/dispute';

export interface DisputeRequest {
  /** Default: the charge's amount. */
  amount?: number;
  /** Default `fraudulent`. */
  reason?: string;
}

export type DisputeOutcome = 'won' | 'lost';

const OPEN_STATUSES = new Set(['needs_response', 'under_review', 'warning_needs_response', 'warning_under_review']);

/**
 * The cardholder disputes a charge: the disputed amount and a dispute fee leave the balance at
 * once (a balance transaction on the dispute). Events `charge.dispute.created`,
 * `charge.dispute.funds_withdrawn`.
 */
export function openDispute(ctx: SimulatorContext, chargeId: string, req: DisputeRequest = {}): Stripe.Dispute {
  const charge = ctx.store.require('charge', chargeId);
  if (charge.status !== 'succeeded') {
    throw invalidRequest(`Charge ${charge.id} did not succeed; it cannot be disputed.`);
  }
  if (charge.disputed) throw invalidRequest(`Charge ${charge.id} is already disputed.`);
  const amount = req.amount ?? charge.amount;
  if (amount <= 0 || amount > charge.amount) {
    throw invalidRequest(`A dispute amount must be between 1 and the charge's amount (${charge.amount}).`, {
      param: 'amount',
    });
  }

  const dispute = buildDispute(ctx, { charge, amount, reason: req.reason ?? 'fraudulent' });
  // The disputed amount leaves the AUD balance converted; the dispute fee is charged in AUD.
  const settled = settle(-amount, charge.currency);
  const withdrawal = ctx.store.insert(
    'balance_transaction',
    buildBalanceTransaction(ctx, {
      type: 'adjustment',
      reportingCategory: 'dispute',
      amount: settled.amount,
      currency: settled.currency,
      exchangeRate: settled.exchangeRate,
      fees: [{ amount: DISPUTE_FEE, description: 'Dispute fee' }],
      source: dispute.id,
      description: `Chargeback withdrawal for ${charge.id}`,
      status: 'available',
      availableOn: ctx.clock.now(),
    }),
  );
  dispute.balance_transactions = [structuredClone(withdrawal)];
  ctx.store.insert('dispute', dispute);
  charge.disputed = true;
  ctx.events.emit('charge.dispute.created', dispute);
  ctx.events.emit('charge.dispute.funds_withdrawn', dispute);
  return dispute;
}

/**
 * The dispute is decided. Won: the amount and the fee come back (a second balance transaction),
 * events `charge.dispute.closed` and `charge.dispute.funds_reinstated`. Lost: the money stays
 * gone, event `charge.dispute.closed`.
 */
export function closeDispute(ctx: SimulatorContext, disputeId: string, outcome: DisputeOutcome): Stripe.Dispute {
  const dispute = ctx.store.require('dispute', disputeId);
  if (!OPEN_STATUSES.has(dispute.status)) {
    throw invalidRequest(`Dispute ${dispute.id} is already closed (${dispute.status}).`);
  }
  const previous = { status: dispute.status };
  dispute.status = outcome;
  if (outcome === 'lost') {
    ctx.events.emit('charge.dispute.closed', dispute, { previousAttributes: previous });
    return dispute;
  }
  const settled = settle(dispute.amount, dispute.currency);
  const reinstatement = ctx.store.insert(
    'balance_transaction',
    buildBalanceTransaction(ctx, {
      type: 'adjustment',
      reportingCategory: 'dispute_reversal',
      amount: settled.amount,
      currency: settled.currency,
      exchangeRate: settled.exchangeRate,
      fees: [{ amount: -DISPUTE_FEE, description: 'Dispute fee refund' }],
      source: dispute.id,
      description: `Chargeback reversal for ${typeof dispute.charge === 'string' ? dispute.charge : dispute.charge.id}`,
      status: 'available',
      availableOn: ctx.clock.now(),
    }),
  );
  dispute.balance_transactions.push(structuredClone(reinstatement));
  ctx.events.emit('charge.dispute.closed', dispute, { previousAttributes: previous });
  ctx.events.emit('charge.dispute.funds_reinstated', dispute);
  return dispute;
}
