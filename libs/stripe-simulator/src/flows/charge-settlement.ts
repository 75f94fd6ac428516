import type { SimulatorContext } from '../core/context';
import { cardProcessingFee, DAY_SECONDS, PAYOUT_DELAY_DAYS } from '../core/pricing';
import { buildBalanceTransaction } from '../objects/balance-transaction';
import { settle } from '../core/settlement';

/**
 * Since Stripe captures card payments asynchronously, a successful charge has no balance
 * transaction at first: it arrives `feeDelayMs` later, with the fee, via `charge.updated`.
 */
export function scheduleChargeSettlement(ctx: SimulatorContext, chargeId: string): void {
  ctx.scheduler.schedule(ctx.config.feeDelayMs, `settle ${chargeId}`, () => settleCharge(ctx, chargeId));
}

/** Creates the charge's balance transaction (gross, fee, net) and emits `charge.updated`. */
export function settleCharge(ctx: SimulatorContext, chargeId: string): void {
  const charge = ctx.store.require('charge', chargeId);
  if (charge.balance_transaction !== null || charge.status !== 'succeeded') return;
  // Settled in AUD: a charge in another currency is converted, and the fee is on the AUD amount.
  const settled = settle(charge.amount, charge.currency);
  const fee = cardProcessingFee(settled.amount);
  const txn = ctx.store.insert(
    'balance_transaction',
    buildBalanceTransaction(ctx, {
      type: 'charge',
      reportingCategory: 'charge',
      amount: settled.amount,
      currency: settled.currency,
      exchangeRate: settled.exchangeRate,
      fees: [{ amount: fee, description: 'Stripe processing fees' }],
      source: charge.id,
      description: charge.description,
      status: 'pending',
      availableOn: ctx.clock.now() + PAYOUT_DELAY_DAYS * DAY_SECONDS,
    }),
  );
  charge.balance_transaction = txn.id;
  ctx.events.emit('charge.updated', charge, { previousAttributes: { balance_transaction: null } });
  ctx.log(`charge ${charge.id} settled: ${settled.amount} - fee ${fee} = ${txn.net} ${settled.currency}`);
}
