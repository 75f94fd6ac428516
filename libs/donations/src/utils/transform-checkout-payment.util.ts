import type Stripe from 'stripe';
import type { LedgerType, NewLedgerEntry } from '@app/ledger';
import { stripeId } from '@app/stripe';
import type { Checkout } from '../checkout.entity';

/** The payment entry of a paid payment-mode checkout, before its fee is known (`recordPayment` adds it). */
export type CheckoutPaymentEntry = Omit<NewLedgerEntry, 'fee' | 'stripeBalanceTransactionId' | 'kind'>;

/** The checkout session events the payment handler takes. */
export type CheckoutSessionEvent =
  | Stripe.CheckoutSessionCompletedEvent
  | Stripe.CheckoutSessionAsyncPaymentSucceededEvent
  | Stripe.CheckoutSessionAsyncPaymentFailedEvent
  | Stripe.CheckoutSessionExpiredEvent;

/**
 * Whether an event's session snapshot is final: a completed (or asynchronously succeeded), paid
 * session stays so, so the snapshot is as good as a fetch. Anything else may be stale.
 */
export function isFinalPaidSnapshot(event: CheckoutSessionEvent): boolean {
  const session = event.data.object;
  return (
    (event.type === 'checkout.session.completed' || event.type === 'checkout.session.async_payment_succeeded') &&
    session.status === 'complete' &&
    session.payment_status === 'paid'
  );
}

/** The ledger type of a checkout's payment: a prepaid period, or a one-off donation. */
export function checkoutLedgerType(checkout: Pick<Checkout, 'purpose'>): LedgerType {
  return checkout.purpose === 'subscription' ? 'prepaid_subscription' : 'donation';
}

/** The ledger entry for the charge that paid a payment-mode checkout. */
export function checkoutPaymentEntry(input: {
  checkout: Pick<Checkout, 'id' | 'purpose' | 'channel' | 'campaignId' | 'tierCode' | 'prepaidMonths'>;
  session: Pick<Stripe.Checkout.Session, 'id'>;
  paymentIntentId: string;
  charge: Pick<Stripe.Charge, 'id' | 'amount' | 'currency' | 'created' | 'payment_method_details'>;
  supporterId: string;
  eventId: string;
}): CheckoutPaymentEntry {
  const { checkout, session, charge } = input;
  return {
    idempotencyKey: `payment:${charge.id}`,
    type: checkoutLedgerType(checkout),
    channel: checkout.channel,
    method: charge.payment_method_details?.type ?? 'card',
    gross: charge.amount,
    currency: charge.currency,
    supporterId: input.supporterId,
    campaignId: checkout.campaignId,
    checkoutId: checkout.id,
    stripeEventId: input.eventId,
    stripeCheckoutSessionId: session.id,
    stripePaymentIntentId: input.paymentIntentId,
    stripeChargeId: charge.id,
    description:
      checkout.purpose === 'subscription'
        ? `Prepaid ${checkout.tierCode} for ${checkout.prepaidMonths} months`
        : `Checkout ${session.id}`,
    occurredAt: new Date(charge.created * 1000),
  };
}

/** The supporter a paid checkout belongs to: the name the reader gave wins, the name on card fills a missing one. */
export function checkoutSupporterDetails(
  checkout: Pick<Checkout, 'email' | 'name'>,
  session: Pick<Stripe.Checkout.Session, 'customer' | 'customer_details'>,
): { email: string; name: string | null; stripeCustomerId: string | null } {
  return {
    email: checkout.email,
    name: checkout.name?.trim() || session.customer_details?.name?.trim() || null,
    stripeCustomerId: stripeId(session.customer),
  };
}
