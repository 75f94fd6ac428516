import type { SimulatorContext } from '../core/context';
import { cardProcessingFee, DAY_SECONDS, PAYOUT_DELAY_DAYS } from '../core/pricing';
import { buildBalanceTransaction } from '../objects/balance-transaction';

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
  const fee = cardProcessingFee(charge.amount);
  const txn = ctx.store.insert(
    'balance_transaction',
    buildBalanceTransaction(ctx, {
      type: 'charge',
      reportingCategory: 'charge',
      amount: charge.amount,
      currency: charge.currency,
      fees: [{ amount: fee, description: 'Stripe processing fees' }],
      source: charge.id,
      description: charge.description,
      status: 'pending',
      availableOn: ctx.clock.now() + PAYOUT_DELAY_DAYS * DAY_SECONDS,
    }),
  );
  charge.balance_transaction = txn.id;
  ctx.events.emit('charge.updated', charge, { previousAttributes: { balance_transaction: null } });
  ctx.log(`charge ${charge.id} settled: ${charge.amount} - fee ${fee} = ${txn.net} ${charge.currency}`);
}
