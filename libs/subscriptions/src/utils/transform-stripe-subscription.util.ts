import type Stripe from 'stripe';
import type { Checkout } from '@app/donations';
import type { NewLedgerEntry } from '@app/ledger';
import { stripeId } from '@app/stripe';
import { RetryLaterError } from '@app/webhooks';
import type { Subscription, SubscriptionStatus } from '../subscription.entity';

/** A unix time from Stripe as a Date; null for none. */
export const fromUnix = (unix: number | null | undefined): Date | null => (unix ? new Date(unix * 1000) : null);

/**
 * Our status for Stripe's, spelt out: each of Stripe's subscription statuses is mirrored as the
 * same word. One Stripe adds later is not guessed at: the event is retried (a release that knows
 * it will take it) rather than written as something the table refuses.
 */
export function subscriptionStatus(status: Stripe.Subscription.Status): SubscriptionStatus {
  switch (status) {
    case 'incomplete':
      return 'incomplete';
    case 'incomplete_expired':
      return 'incomplete_expired';
    case 'trialing':
      return 'trialing';
    case 'active':
      return 'active';
    case 'past_due':
      return 'past_due';
    case 'unpaid':
      return 'unpaid';
    case 'canceled':
      return 'canceled';
    case 'paused':
      return 'paused';
    default:
      throw new RetryLaterError(`Stripe subscription status ${String(status)} is not one this service knows`);
  }
}

/** The billing period of a subscription: its first item's (Stripe keeps periods per item). */
export function subscriptionPeriod(sub: Pick<Stripe.Subscription, 'items'>): {
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
} {
  const item = sub.items.data[0];
  return {
    currentPeriodStart: fromUnix(item.current_period_start),
    currentPeriodEnd: fromUnix(item.current_period_end),
  };
}

/**
 * The tier a subscription grants: for a tier subscription, its price's `tier` metadata (a change
 * of plan in the portal moves it), else what it had, else what was bought; a monthly donation has none.
 */
export function subscriptionTier(
  price: Pick<Stripe.Price, 'metadata'>,
  checkout: Pick<Checkout, 'purpose' | 'tierCode'>,
  existing: Pick<Subscription, 'tierCode'> | null,
): string | null {
  if (checkout.purpose !== 'subscription') return null;
  return price.metadata?.tier ?? existing?.tierCode ?? checkout.tierCode;
}

/** The columns a subscription's mirror takes from Stripe's subscription. */
export type MirroredSubscription = Pick<
  Subscription,
  | 'status'
  | 'tierCode'
  | 'amount'
  | 'currency'
  | 'stripePriceId'
  | 'stripeCustomerId'
  | 'currentPeriodStart'
  | 'currentPeriodEnd'
  | 'cancelAtPeriodEnd'
  | 'canceledAt'
  | 'endedAt'
  | 'pastDueSince'
>;

/**
 * What our row says of a Stripe subscription as it is now. `eventCreated` (unix seconds) dates a
 * first `past_due`; the event that first shows it may be older than the failure (a late
 * redelivery, a backlog), so it never dates a failure earlier than the period the failed renewal
 * began; a row already past due keeps its date.
 */
export function mirroredSubscription(
  sub: Pick<Stripe.Subscription, 'items' | 'status' | 'customer' | 'cancel_at_period_end' | 'canceled_at' | 'ended_at'>,
  checkout: Pick<Checkout, 'purpose' | 'tierCode' | 'amount'>,
  existing: Pick<Subscription, 'tierCode' | 'pastDueSince'> | null,
  eventCreated: number,
): MirroredSubscription {
  const item = sub.items.data[0];
  const price = item.price;
  const status = subscriptionStatus(sub.status);
  return {
    status,
    tierCode: subscriptionTier(price, checkout, existing),
    amount: (price.unit_amount ?? checkout.amount) * (item.quantity ?? 1),
    currency: price.currency.toUpperCase(),
    stripePriceId: price.id,
    stripeCustomerId: stripeId(sub.customer),
    ...subscriptionPeriod(sub),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    canceledAt: fromUnix(sub.canceled_at),
    endedAt: fromUnix(sub.ended_at),
    pastDueSince:
      status === 'past_due'
        ? (existing?.pastDueSince ?? new Date(Math.max(eventCreated, item.current_period_start ?? 0) * 1000))
        : null,
  };
}

/** The columns of a mirror that differ from the row's (compared as text, null as empty). */
export function changedColumns(
  values: MirroredSubscription,
  existing: Subscription,
): Array<keyof MirroredSubscription> {
  return (Object.keys(values) as Array<keyof MirroredSubscription>).filter(
    (k) => String(values[k] ?? '') !== String(existing[k] ?? ''),
  );
}

/** The payment entry of a paid invoice, before its fee is known (`recordPayment` adds it). */
export function invoicePaymentEntry(input: {
  invoice: Pick<Stripe.Invoice, 'id' | 'amount_paid' | 'currency' | 'number' | 'billing_reason' | 'status_transitions'>;
  checkout: Pick<Checkout, 'id' | 'purpose' | 'channel'>;
  charge: Pick<Stripe.Charge, 'id' | 'payment_method_details'> | null;
  paymentIntentId: string | null;
  supporterId: string;
  campaignId: string | null;
  event: Pick<Stripe.Event, 'id' | 'created'>;
}): Omit<NewLedgerEntry, 'fee' | 'stripeBalanceTransactionId' | 'kind'> {
  const { invoice, checkout, charge, event } = input;
  return {
    idempotencyKey: `invoice:${invoice.id}`,
    type: checkout.purpose === 'donation' ? 'monthly_donation' : 'subscription',
    channel: checkout.channel,
    method: charge?.payment_method_details?.type ?? 'out_of_band',
    gross: invoice.amount_paid,
    currency: invoice.currency,
    supporterId: input.supporterId,
    campaignId: input.campaignId,
    checkoutId: checkout.id,
    stripeEventId: event.id,
    stripeInvoiceId: invoice.id,
    stripePaymentIntentId: input.paymentIntentId,
    stripeChargeId: charge?.id ?? null,
    description: `Invoice ${invoice.number ?? invoice.id} (${invoice.billing_reason})`,
    occurredAt: fromUnix(invoice.status_transitions?.paid_at) ?? new Date(event.created * 1000),
  };
}

/** The events the subscription sync handler takes. */
export type SubscriptionSyncEvent =
  | Stripe.CustomerSubscriptionCreatedEvent
  | Stripe.CustomerSubscriptionUpdatedEvent
  | Stripe.CustomerSubscriptionDeletedEvent
  | Stripe.CustomerSubscriptionPausedEvent
  | Stripe.CustomerSubscriptionResumedEvent
  | Stripe.InvoicePaidEvent
  | Stripe.InvoicePaymentFailedEvent
  | Stripe.CheckoutSessionCompletedEvent;

/** What a sync event is about: the subscription, the checkout it names, and the invoice to record. */
export interface SyncTarget {
  subscriptionId: string;
  /** From the object's metadata; undefined when it carries none (then the subscription is asked). */
  checkoutId: string | undefined;
  /** A paid invoice to record (from `invoice.paid` or a completed session), else null. */
  invoiceId: string | null;
  /** The invoice itself when the event's snapshot is final (paid): used without a fetch. */
  invoice: Stripe.Invoice | null;
  /** The subscription's own event: mirror it whatever is recorded. */
  mirror: boolean;
}

/** The target of a sync event, or why it is ignored. */
export function syncTarget(event: SubscriptionSyncEvent): SyncTarget | { ignored: string } {
  switch (event.type) {
    case 'customer.subscription.created':
    case 'customer.subscription.updated':
    case 'customer.subscription.deleted':
    case 'customer.subscription.paused':
    case 'customer.subscription.resumed': {
      const sub = event.data.object;
      return {
        subscriptionId: sub.id,
        checkoutId: sub.metadata?.checkout_id,
        invoiceId: null,
        invoice: null,
        mirror: true,
      };
    }
    case 'invoice.paid':
    case 'invoice.payment_failed': {
      const invoice = event.data.object;
      const details = invoice.parent?.subscription_details;
      const subscriptionId = stripeId(details?.subscription);
      if (!subscriptionId) return { ignored: 'no subscription' };
      const paid = event.type === 'invoice.paid';
      return {
        subscriptionId,
        checkoutId: details?.metadata?.checkout_id,
        invoiceId: paid ? (invoice.id ?? null) : null,
        // A paid invoice stays as it was paid: its snapshot is as good as a fetch.
        invoice: paid && invoice.status === 'paid' ? invoice : null,
        mirror: false,
      };
    }
    case 'checkout.session.completed': {
      const session = event.data.object;
      if (session.mode !== 'subscription') return { ignored: 'not a subscription checkout' };
      const subscriptionId = stripeId(session.subscription);
      if (!subscriptionId) return { ignored: 'no subscription' };
      return {
        subscriptionId,
        checkoutId: session.metadata?.checkout_id,
        invoiceId: stripeId(session.invoice),
        invoice: null,
        mirror: false,
      };
    }
  }
}
