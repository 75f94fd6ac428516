import type { SimulatorContext } from '../core/context';
import { scheduleChargeSettlement } from './charge-settlement';
import { scheduleSessionExpiry } from './checkout-sessions';
import { scheduleRetry } from './invoices';
import { refundStillToFail, scheduleRefundFailure } from './refunds';
import { scheduleRenewal } from './subscriptions';

/**
 * A restored simulator sets again, from its objects, everything it was waiting for: open
 * sessions expire at `expires_at`, live subscriptions renew (or end) at their period end, open
 * invoices are retried at `next_payment_attempt`, succeeded charges without a balance
 * transaction get their fee, and succeeded refunds of the refund-failure test card fail. What fell due while it was stopped happens at once, in time order.
 */
export function rearmAfterRestore(ctx: SimulatorContext): void {
  for (const session of ctx.store.all('checkout.session')) {
    if (session.status === 'open') scheduleSessionExpiry(ctx, session);
  }
  for (const sub of ctx.store.all('subscription')) {
    if (sub.status !== 'canceled' && sub.status !== 'incomplete_expired') scheduleRenewal(ctx, sub);
  }
  for (const invoice of ctx.store.all('invoice')) {
    if (invoice.status === 'open' && invoice.next_payment_attempt !== null) {
      scheduleRetry(ctx, invoice.id!, invoice.next_payment_attempt);
    }
  }
  for (const charge of ctx.store.all('charge')) {
    if (charge.status === 'succeeded' && charge.balance_transaction === null) scheduleChargeSettlement(ctx, charge.id);
  }
  for (const refund of ctx.store.all('refund')) {
    if (refundStillToFail(ctx, refund)) scheduleRefundFailure(ctx, refund.id);
  }
}
