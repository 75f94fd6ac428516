import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { invalidRequest, paramErrors } from '../core/errors';
import { formatMoney } from '../core/money';
import { DAY_SECONDS, MAXIMUM_CHARGE_AMOUNT, minimumChargeAmount } from '../core/pricing';
import { NO_REQUEST, type RequestOrigin } from '../core/types';
import {
  buildLineItem,
  buildPrice,
  buildProduct,
  INLINE_PRICE,
  type ProductInput,
  type RecurringInput,
} from '../objects/catalog';
import { buildCheckoutSession } from '../objects/checkout-session';
import { requireLiveCustomer } from './customers';

export interface PriceDataInput {
  currency: string;
  unitAmount: number;
  product?: string;
  productData?: ProductInput;
  recurring?: RecurringInput;
}

export interface LineItemInput {
  /** How the client named this line item, for errors: `line_items[0]`. */
  param: string;
  price?: string;
  priceData?: PriceDataInput;
  quantity: number;
}

/** `payment_intent_data`: carried onto the payment intent created when the customer pays. */
export interface PaymentIntentData {
  metadata: Record<string, string>;
  description: string | null;
  receiptEmail: string | null;
}

/** `subscription_data`: carried onto the subscription created when the customer pays. */
export interface SubscriptionData {
  metadata: Record<string, string>;
  description: string | null;
}

export interface CreateCheckoutSessionInput {
  mode: Stripe.Checkout.Session.Mode;
  lineItems: LineItemInput[];
  customer?: string;
  customerEmail?: string;
  customerCreation?: Stripe.Checkout.Session.CustomerCreation;
  clientReferenceId?: string;
  metadata?: Record<string, string>;
  paymentIntentData?: PaymentIntentData;
  subscriptionData?: SubscriptionData;
  successUrl?: string;
  cancelUrl?: string;
  expiresAt?: number;
  submitType?: Stripe.Checkout.Session.SubmitType;
  locale?: Stripe.Checkout.Session.Locale;
  paymentMethodTypes?: string[];
  billingAddressCollection?: Stripe.Checkout.Session.BillingAddressCollection;
  allowPromotionCodes?: boolean;
  /** `adaptive_pricing[enabled]`; unset, the account's setting, which the simulator takes as on. */
  adaptivePricing?: boolean;
}

/** Attachment keys on a session. */
export const LINE_ITEMS = 'line_items';
export const PAYMENT_INTENT_DATA = 'payment_intent_data';
export const SUBSCRIPTION_DATA = 'subscription_data';

const MIN_EXPIRY_SECONDS = 30 * 60;
const MAX_EXPIRY_SECONDS = DAY_SECONDS;

export function createCheckoutSession(
  ctx: SimulatorContext,
  input: CreateCheckoutSessionInput,
): Stripe.Checkout.Session {
  switch (input.mode) {
    case 'payment':
      return createHostedSession(ctx, input, 'payment');
    case 'subscription':
      return createHostedSession(ctx, input, 'subscription');
    case 'setup':
      throw invalidRequest(`The Stripe simulator does not support Checkout in ${input.mode} mode yet.`, {
        param: 'mode',
      });
    default:
      throw paramErrors.invalid('mode', `Invalid mode: must be one of payment, setup, or subscription`);
  }
}

function createHostedSession(
  ctx: SimulatorContext,
  input: CreateCheckoutSessionInput,
  mode: 'payment' | 'subscription',
): Stripe.Checkout.Session {
  if (input.lineItems.length === 0) throw paramErrors.missing('line_items');
  if (input.customer && input.customerEmail) throw paramErrors.exclusive(['customer', 'customer_email']);
  if (mode === 'subscription') {
    if (input.customerCreation) {
      throw invalidRequest('`customer_creation` can only be used in `payment` mode.', { param: 'customer_creation' });
    }
    if (input.paymentIntentData) {
      throw invalidRequest('You can not pass `payment_intent_data` in `subscription` mode.', {
        param: 'payment_intent_data',
      });
    }
  } else if (input.subscriptionData) {
    throw invalidRequest('You can not pass `subscription_data` in `payment` mode.', { param: 'subscription_data' });
  }
  if (input.customer) requireLiveCustomer(ctx, input.customer, 'customer');
  // One clock read for the whole session, so `expires_at - created` is exactly what was asked for
  // even when creation straddles a second boundary.
  const created = ctx.clock.now();
  const expiresAt = validExpiry(created, input.expiresAt);

  const resolved = input.lineItems.map((item) => resolveLineItem(ctx, item));
  const currency = resolved[0].currency;
  if (resolved.some((r) => r.currency !== currency)) {
    throw invalidRequest(
      'All line items must have the same currency; Checkout does not support multiple currencies in one session.',
      { param: 'line_items' },
    );
  }
  if (mode === 'payment') {
    for (const r of resolved) {
      if (r.recurring) {
        throw invalidRequest(
          'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
          {
            param: `${r.param}[price]`,
          },
        );
      }
    }
  } else {
    if (!resolved.some((r) => r.recurring)) {
      throw invalidRequest('You must provide at least one recurring price in `subscription` mode when using prices.', {
        param: 'mode',
      });
    }
    for (const r of resolved) {
      if (!r.recurring) {
        throw invalidRequest(
          'The Stripe simulator supports only recurring prices in `subscription` mode (one-time items on the first invoice are not simulated).',
          {
            param: `${r.param}[price]`,
          },
        );
      }
      if (
        r.recurring.interval !== resolved[0].recurring!.interval ||
        r.recurring.intervalCount !== resolved[0].recurring!.intervalCount
      ) {
        throw invalidRequest('All recurring prices in a Checkout Session must have the same billing interval.', {
          param: `${r.param}[price]`,
        });
      }
    }
  }
  const amount = resolved.reduce((sum, r) => sum + r.unitAmount * r.quantity, 0);
  // A subscription may start free; a payment may not.
  if (mode === 'payment' && amount < minimumChargeAmount(currency)) {
    throw invalidRequest(
      `The Checkout Session's total amount due must add up to at least ${formatMoney(minimumChargeAmount(currency), currency)}`,
      {
        code: 'amount_too_small',
        param: 'line_items',
      },
    );
  }
  if (amount > MAXIMUM_CHARGE_AMOUNT) {
    throw invalidRequest(
      `The Checkout Session's total amount due must be no more than ${formatMoney(MAXIMUM_CHARGE_AMOUNT, currency)}`,
      {
        code: 'amount_too_large',
        param: 'line_items',
      },
    );
  }

  // Everything is valid: only now create the inline products and prices.
  const lineItems = resolved.map((r) => r.materialize());
  const session = buildCheckoutSession(ctx, {
    mode,
    currency,
    amountSubtotal: amount,
    amountTotal: amount,
    customer: input.customer ?? null,
    customerEmail: input.customerEmail ?? null,
    customerCreation: mode === 'payment' && !input.customer ? (input.customerCreation ?? 'if_required') : null,
    clientReferenceId: input.clientReferenceId ?? null,
    metadata: input.metadata ?? {},
    successUrl: input.successUrl ?? null,
    cancelUrl: input.cancelUrl ?? null,
    created,
    expiresAt,
    submitType: input.submitType ?? null,
    locale: input.locale ?? null,
    paymentMethodTypes: input.paymentMethodTypes ?? ['card'],
    billingAddressCollection: input.billingAddressCollection ?? null,
    allowPromotionCodes: input.allowPromotionCodes ?? null,
    adaptivePricing: input.adaptivePricing ?? true,
  });
  ctx.store.insert('checkout.session', session);
  ctx.store.attach(session.id, LINE_ITEMS, lineItems);
  if (mode === 'payment') {
    ctx.store.attach(
      session.id,
      PAYMENT_INTENT_DATA,
      input.paymentIntentData ?? { metadata: {}, description: null, receiptEmail: null },
    );
  } else ctx.store.attach(session.id, SUBSCRIPTION_DATA, input.subscriptionData ?? { metadata: {}, description: null });
  scheduleSessionExpiry(ctx, session);
  return session;
}

/** An open session expires at its `expires_at` (`checkout.session.expired`). */
export function scheduleSessionExpiry(ctx: SimulatorContext, session: Stripe.Checkout.Session): void {
  ctx.clock.at(session.expires_at, `expire ${session.id}`, () => {
    const current = ctx.store.get('checkout.session', session.id);
    if (current?.status === 'open') expireCheckoutSession(ctx, session.id);
  });
}

/** Expires an open session (`checkout.session.expired`), cancelling its payment intent if a payment was attempted. */
export function expireCheckoutSession(
  ctx: SimulatorContext,
  sessionId: string,
  request: RequestOrigin = NO_REQUEST,
): Stripe.Checkout.Session {
  const session = ctx.store.require('checkout.session', sessionId);
  if (session.status !== 'open') {
    throw invalidRequest(
      `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`,
    );
  }
  const pi =
    typeof session.payment_intent === 'string' ? ctx.store.get('payment_intent', session.payment_intent) : undefined;
  if (pi && pi.status !== 'succeeded' && pi.status !== 'canceled') {
    pi.status = 'canceled';
    pi.canceled_at = ctx.clock.now();
    pi.cancellation_reason = 'automatic';
    ctx.events.emit('payment_intent.canceled', pi, { request });
  }
  session.status = 'expired';
  session.url = null;
  ctx.events.emit('checkout.session.expired', session, { request });
  return session;
}

export function lineItemsOf(ctx: SimulatorContext, sessionId: string): Stripe.LineItem[] {
  return ctx.store.attached<Stripe.LineItem[]>(sessionId, LINE_ITEMS) ?? [];
}

export function subscriptionDataOf(ctx: SimulatorContext, sessionId: string): SubscriptionData {
  return ctx.store.attached<SubscriptionData>(sessionId, SUBSCRIPTION_DATA) ?? { metadata: {}, description: null };
}

export function paymentIntentDataOf(ctx: SimulatorContext, sessionId: string): PaymentIntentData {
  return (
    ctx.store.attached<PaymentIntentData>(sessionId, PAYMENT_INTENT_DATA) ?? {
      metadata: {},
      description: null,
      receiptEmail: null,
    }
  );
}

function validExpiry(now: number, expiresAt: number | undefined): number {
  if (expiresAt === undefined) return now + MAX_EXPIRY_SECONDS;
  if (expiresAt < now + MIN_EXPIRY_SECONDS || expiresAt > now + MAX_EXPIRY_SECONDS) {
    throw invalidRequest(
      'The `expires_at` timestamp must be at least 30 minutes and less than 24 hours from Checkout Session creation.',
      { param: 'expires_at' },
    );
  }
  return expiresAt;
}

interface ResolvedLineItem {
  param: string;
  currency: string;
  unitAmount: number;
  quantity: number;
  recurring: RecurringInput | null;
  /** Creates what the line item needs (inline product and price) and builds it. */
  materialize(): Stripe.LineItem;
}

/** Checks a line item against the store without creating anything yet. */
function resolveLineItem(ctx: SimulatorContext, item: LineItemInput): ResolvedLineItem {
  const { store } = ctx;
  if (item.price && item.priceData) throw paramErrors.exclusive([`${item.param}[price]`, `${item.param}[price_data]`]);
  if (item.price) {
    const price = store.require('price', item.price, `${item.param}[price]`);
    if (!price.active) {
      throw invalidRequest(`The price specified is inactive. This field only accepts active prices.`, {
        param: `${item.param}[price]`,
      });
    }
    const product = store.require('product', price.product as string);
    return {
      param: item.param,
      currency: price.currency,
      unitAmount: price.unit_amount ?? 0,
      quantity: item.quantity,
      recurring: price.recurring && {
        interval: price.recurring.interval,
        intervalCount: price.recurring.interval_count,
      },
      materialize: () => buildLineItem(price, product, item.quantity),
    };
  }
  const data = item.priceData;
  if (!data) {
    throw invalidRequest(`You must specify either \`price\` or \`price_data\` in ${item.param}.`, {
      code: 'parameter_missing',
      param: `${item.param}[price]`,
    });
  }
  if (!data.product && !data.productData) throw paramErrors.missing(`${item.param}[price_data][product_data]`);
  if (data.product && data.productData) {
    throw paramErrors.exclusive([`${item.param}[price_data][product]`, `${item.param}[price_data][product_data]`]);
  }
  const existing = data.product
    ? store.require('product', data.product, `${item.param}[price_data][product]`)
    : undefined;
  return {
    param: item.param,
    currency: data.currency,
    unitAmount: data.unitAmount,
    quantity: item.quantity,
    recurring: data.recurring ?? null,
    materialize: () => {
      const product = existing ?? store.insert('product', buildProduct(ctx, data.productData!));
      const price = store.insert(
        'price',
        buildPrice(ctx, {
          currency: data.currency,
          unitAmount: data.unitAmount,
          product: product.id,
          recurring: data.recurring,
          active: false,
        }),
      );
      ctx.store.attach(price.id, INLINE_PRICE, true);
      return buildLineItem(price, product, item.quantity);
    },
  };
}
