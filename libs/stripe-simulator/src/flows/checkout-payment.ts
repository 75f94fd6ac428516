import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { invalidRequest } from '../core/errors';
import { NO_REQUEST, type RequestOrigin } from '../core/types';
import { buildCharge, CARD_DECLINED_MESSAGE } from '../objects/charge';
import { buildPaymentIntent } from '../objects/payment-intent';
import {
  buildCardPaymentMethod,
  DECLINED_CARD,
  SUCCEEDING_CARD,
  type Payer,
  type TestCard,
} from '../objects/payment-method';
import { scheduleChargeSettlement } from './charge-settlement';
import { lineItemsOf, paymentIntentDataOf, subscriptionDataOf } from './checkout-sessions';
import { createCustomer } from './customers';
import { attachNewCard } from './payment-methods';
import { startSubscription } from './subscriptions';

/** What the customer typed on the checkout page; defaults come from the session. */
export interface PayerInput {
  email?: string;
  name?: string;
  /** The test card paid with (a succeeding one: 4242 by default, or the refund-failure card 5126). */
  card?: TestCard;
}

const DEFAULT_EMAIL = 'customer@example.com';
/** Attachment on a subscription-mode session: its last decline message (no payment intent exists). */
const LAST_DECLINE = 'last_decline';

/**
 * The customer pays an open payment-mode session with a card that succeeds (Stripe's 4242 test
 * card, or the one typed: 5126 makes later refunds fail, see `scheduleRefundFailure`). Creates the customer (only if one was given or `customer_creation: 'always'`), the
 * payment intent and a captured charge whose balance transaction is still null; the fee follows
 * after `feeDelayMs` (see charge-settlement). Events: `payment_intent.created` (if new),
 * `charge.succeeded`, `payment_intent.succeeded`, `checkout.session.completed`.
 */
export function completeCheckoutPayment(
  ctx: SimulatorContext,
  sessionId: string,
  payerInput: PayerInput = {},
  request: RequestOrigin = NO_REQUEST,
): Stripe.Checkout.Session {
  const session = openSession(ctx, sessionId);
  if (session.mode === 'subscription') return completeSubscriptionCheckout(ctx, session, payerInput, request);
  const existingCustomer =
    typeof session.customer === 'string' ? ctx.store.require('customer', session.customer) : null;
  const payer: Payer = {
    email: payerInput.email ?? session.customer_email ?? existingCustomer?.email ?? DEFAULT_EMAIL,
    name: typedName(payerInput) ?? existingCustomer?.name ?? null,
  };
  const customer =
    existingCustomer ?? (session.customer_creation === 'always' ? createCustomer(ctx, payer, request) : null);
  const pi = paymentIntentFor(ctx, session, customer?.id ?? null, request);
  pi.customer = customer?.id ?? null;

  const card = payerInput.card ?? SUCCEEDING_CARD;
  const paymentMethod = ctx.store.insert('payment_method', buildCardPaymentMethod(ctx, card, payer, null));
  const charge = ctx.store.insert(
    'charge',
    buildCharge(ctx, { paymentIntent: pi, paymentMethod, card, result: 'succeeded' }),
  );
  ctx.events.emit('charge.succeeded', charge, { request });

  Object.assign(pi, {
    amount_received: pi.amount,
    last_payment_error: null,
    latest_charge: charge.id,
    payment_method: paymentMethod.id,
    status: 'succeeded',
  } satisfies Partial<Stripe.PaymentIntent>);
  ctx.events.emit('payment_intent.succeeded', pi, { request });

  Object.assign(session, {
    status: 'complete',
    payment_status: 'paid',
    payment_intent: pi.id,
    customer: customer?.id ?? null,
    customer_details: customerDetails(payer),
    collected_information: { business_name: null, individual_name: null, shipping_details: null },
    url: null,
  } satisfies Partial<Stripe.Checkout.Session>);
  ctx.events.emit('checkout.session.completed', session, { request });

  scheduleChargeSettlement(ctx, charge.id);
  return session;
}

/**
 * The customer's card is declined (Stripe's 4000 0000 0000 0002 test card): a failed charge, the
 * payment intent back to `requires_payment_method` with `last_payment_error`, events
 * `charge.failed` and `payment_intent.payment_failed`. The session stays open for another try.
 */
export function declineCheckoutPayment(
  ctx: SimulatorContext,
  sessionId: string,
  payerInput: PayerInput = {},
  request: RequestOrigin = NO_REQUEST,
): Stripe.Checkout.Session {
  const session = openSession(ctx, sessionId);
  if (session.mode === 'subscription') {
    // Since basil nothing is created until a payment succeeds: no subscription, no event.
    ctx.store.attach(session.id, LAST_DECLINE, CARD_DECLINED_MESSAGE);
    return session;
  }
  const payer: Payer = {
    email: payerInput.email ?? session.customer_email ?? DEFAULT_EMAIL,
    name: typedName(payerInput),
  };
  const pi = paymentIntentFor(ctx, session, typeof session.customer === 'string' ? session.customer : null, request);

  const paymentMethod = ctx.store.insert('payment_method', buildCardPaymentMethod(ctx, DECLINED_CARD, payer, null));
  const charge = ctx.store.insert(
    'charge',
    buildCharge(ctx, { paymentIntent: pi, paymentMethod, card: DECLINED_CARD, result: 'declined' }),
  );
  ctx.events.emit('charge.failed', charge, { request });

  Object.assign(pi, {
    last_payment_error: {
      advice_code: 'try_again_later',
      charge: charge.id,
      code: 'card_declined',
      decline_code: 'generic_decline',
      doc_url: 'https://stripe.com/docs/error-codes/card-declined',
      message: CARD_DECLINED_MESSAGE,
      payment_method: structuredClone(paymentMethod),
      type: 'card_error',
    },
    latest_charge: charge.id,
    payment_method: null,
    status: 'requires_payment_method',
  } satisfies Partial<Stripe.PaymentIntent>);
  ctx.events.emit('payment_intent.payment_failed', pi, { request });

  session.payment_intent = pi.id;
  return session;
}

/**
 * The customer pays an open subscription-mode session with a card that succeeds. As since basil,
 * the subscription is created only now that the first payment succeeds: the customer (if none
 * was given, `customer.created`), the card attached to it (`payment_method.attached`) and made the
 * subscription's default, the active subscription with `subscription_data`'s metadata and its
 * paid `subscription_create` invoice (see `startSubscription`), then `checkout.session.completed`
 * naming `subscription`, `invoice` and `customer` (`payment_intent` stays null).
 */
function completeSubscriptionCheckout(
  ctx: SimulatorContext,
  session: Stripe.Checkout.Session,
  payerInput: PayerInput,
  request: RequestOrigin,
): Stripe.Checkout.Session {
  const existingCustomer =
    typeof session.customer === 'string' ? ctx.store.require('customer', session.customer) : null;
  const payer: Payer = {
    email: payerInput.email ?? session.customer_email ?? existingCustomer?.email ?? DEFAULT_EMAIL,
    name: typedName(payerInput) ?? existingCustomer?.name ?? null,
  };
  const customer = existingCustomer ?? createCustomer(ctx, payer, request);
  const card = attachNewCard(ctx, customer, payer, request, payerInput.card);
  const data = subscriptionDataOf(ctx, session.id);
  const items = lineItemsOf(ctx, session.id).map((li) => ({
    price: ctx.store.require('price', (li.price as Stripe.Price).id),
    quantity: li.quantity ?? 1,
  }));
  const { subscription, invoice } = startSubscription(
    ctx,
    { customer, items, metadata: data.metadata, description: data.description, defaultPaymentMethod: card.id },
    request,
  );
  Object.assign(session, {
    status: 'complete',
    payment_status: 'paid',
    customer: customer.id,
    subscription: subscription.id,
    invoice: invoice.id,
    customer_details: customerDetails(payer),
    collected_information: { business_name: null, individual_name: null, shipping_details: null },
    url: null,
  } satisfies Partial<Stripe.Checkout.Session>);
  ctx.events.emit('checkout.session.completed', session, { request });
  return session;
}

/** The message of the last declined attempt on an open session, for its page. */
export function lastDeclineOf(ctx: SimulatorContext, session: Stripe.Checkout.Session): string | null {
  if (session.status !== 'open') return null;
  const pi =
    typeof session.payment_intent === 'string' ? ctx.store.get('payment_intent', session.payment_intent) : undefined;
  return pi?.last_payment_error?.message ?? ctx.store.attached<string>(session.id, LAST_DECLINE) ?? null;
}

/**
 * The name on card as typed; a blank field is no name (null), as on Stripe, never a placeholder:
 * the customer, its card's billing details and the session's customer_details keep null.
 */
function typedName(payer: PayerInput): string | null {
  return payer.name?.trim() || null;
}

function customerDetails(payer: Payer): Stripe.Checkout.Session.CustomerDetails {
  return {
    address: { city: null, country: 'AU', line1: null, line2: null, postal_code: null, state: null },
    business_name: null,
    email: payer.email,
    individual_name: null,
    name: payer.name,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
}

function openSession(ctx: SimulatorContext, sessionId: string): Stripe.Checkout.Session {
  const session = ctx.store.require('checkout.session', sessionId);
  if (session.status !== 'open') {
    throw invalidRequest(`This Checkout Session is ${session.status}; only an open session can be paid.`);
  }
  if (session.mode !== 'payment' && session.mode !== 'subscription') {
    throw invalidRequest(`The Stripe simulator cannot pay a Checkout Session in ${session.mode} mode yet.`);
  }
  return session;
}

/** The session's payment intent: the one a declined attempt left, or a new one (`payment_intent.created`). */
function paymentIntentFor(
  ctx: SimulatorContext,
  session: Stripe.Checkout.Session,
  customer: string | null,
  request: RequestOrigin,
): Stripe.PaymentIntent {
  if (typeof session.payment_intent === 'string') return ctx.store.require('payment_intent', session.payment_intent);
  const data = paymentIntentDataOf(ctx, session.id);
  const pi = ctx.store.insert(
    'payment_intent',
    buildPaymentIntent(ctx, {
      amount: session.amount_total ?? 0,
      currency: session.currency ?? 'usd',
      customer,
      description: data.description,
      metadata: data.metadata,
      receiptEmail: data.receiptEmail,
    }),
  );
  ctx.events.emit('payment_intent.created', pi, { request });
  return pi;
}
