import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { NO_REQUEST, type RequestOrigin } from '../core/types';
import { applyChange } from './changes';

/** The subscription an invoice was made for (`parent.subscription_details.subscription`). */
export function subscriptionOfInvoice(ctx: SimulatorContext, invoice: Stripe.Invoice): Stripe.Subscription | undefined {
  const ref = invoice.parent?.subscription_details?.subscription;
  const id = typeof ref === 'string' ? ref : ref?.id;
  return id ? ctx.store.get('subscription', id) : undefined;
}

/** Changes a subscription; `customer.subscription.updated` with what changed, if anything did. */
export function changeSubscription(
  ctx: SimulatorContext,
  sub: Stripe.Subscription,
  mutate: (sub: Stripe.Subscription) => void,
  request: RequestOrigin = NO_REQUEST,
): boolean {
  return applyChange(ctx, sub, 'customer.subscription.updated', mutate, request);
}

/**
 * Ends a subscription now: `status: canceled`, `ended_at`, `canceled_at` (kept if the
 * cancellation was requested earlier), event `customer.subscription.deleted`. Its open invoices
 * are no longer collected automatically.
 */
export function endSubscription(
  ctx: SimulatorContext,
  sub: Stripe.Subscription,
  reason: Stripe.Subscription.CancellationDetails.Reason,
  request: RequestOrigin = NO_REQUEST,
  details: { comment?: string | null; feedback?: Stripe.Subscription.CancellationDetails.Feedback | null } = {},
): Stripe.Subscription {
  const now = ctx.clock.now();
  sub.status = 'canceled';
  sub.ended_at = now;
  sub.canceled_at ??= now;
  sub.cancellation_details = {
    comment: details.comment ?? sub.cancellation_details?.comment ?? null,
    feedback: details.feedback ?? sub.cancellation_details?.feedback ?? null,
    feedback_option: sub.cancellation_details?.feedback_option ?? null,
    reason,
  };
  for (const invoice of ctx.store.all('invoice')) {
    if (invoice.status === 'open' && subscriptionOfInvoice(ctx, invoice)?.id === sub.id) {
      invoice.auto_advance = false;
      invoice.next_payment_attempt = null;
    }
  }
  ctx.events.emit('customer.subscription.deleted', sub, { request });
  return sub;
}
