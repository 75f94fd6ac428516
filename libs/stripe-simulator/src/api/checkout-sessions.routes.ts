import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import type { StripeObject } from '../core/types';
import {
  createCheckoutSession,
  expireCheckoutSession,
  lineItemsOf,
  type CreateCheckoutSessionInput,
  type LineItemInput,
  type PriceDataInput,
} from '../flows/checkout-sessions';
import type { ApiGateway } from '../http/api-gateway';
import { paginate } from '../http/list';
import type { Params } from '../http/params';
import { listObjects, matchesIfGiven } from './list-objects';

const MODES = ['payment', 'setup', 'subscription'] as const;
const STATUSES = ['open', 'complete', 'expired'] as const;
const SUBMIT_TYPES = ['auto', 'book', 'donate', 'pay', 'subscribe'] as const;
const INTERVALS = ['day', 'week', 'month', 'year'] as const;

export function registerCheckoutSessionRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  api.router
    .post('/v1/checkout/sessions', ({ params }) => {
      const input = readCreateParams(params);
      params.end();
      return createCheckoutSession(ctx, input);
    })
    .get('/v1/checkout/sessions', ({ params }) => {
      const paymentIntent = params.string('payment_intent');
      const customer = params.string('customer');
      const status = params.oneOf('status', STATUSES);
      return listObjects(
        ctx,
        'checkout.session',
        params,
        '/v1/checkout/sessions',
        (s) =>
          matchesIfGiven(paymentIntent, s.payment_intent) &&
          matchesIfGiven(customer, s.customer) &&
          matchesIfGiven(status, s.status),
      );
    })
    .get('/v1/checkout/sessions/:id', ({ pathParams }) => ctx.store.require('checkout.session', pathParams.id))
    .get('/v1/checkout/sessions/:id/line_items', ({ pathParams, params }) => {
      const session = ctx.store.require('checkout.session', pathParams.id);
      return paginate(lineItemsOf(ctx, session.id), params, `/v1/checkout/sessions/${session.id}/line_items`);
    })
    .post('/v1/checkout/sessions/:id/expire', ({ pathParams, origin }) =>
      expireCheckoutSession(ctx, pathParams.id, origin),
    );

  // `line_items` is not a stored field of a session: it exists when expanded.
  api.expander.registerVirtual('checkout.session', 'line_items', (session: StripeObject) => ({
    object: 'list',
    data: lineItemsOf(ctx, session.id),
    has_more: false,
    url: `/v1/checkout/sessions/${session.id}/line_items`,
  }));
}

function readCreateParams(p: Params): CreateCheckoutSessionInput {
  const intentData = p.object('payment_intent_data');
  const subscriptionData = p.object('subscription_data');
  p.oneOf('ui_mode', ['hosted_page'] as const); // only Stripe-hosted pages are simulated
  return {
    mode: p.requireOneOf('mode', MODES),
    lineItems: (p.list('line_items') ?? []).map((item, i) => readLineItem(item, `line_items[${i}]`)),
    customer: p.string('customer'),
    customerEmail: p.string('customer_email'),
    customerCreation: p.oneOf('customer_creation', ['always', 'if_required'] as const),
    clientReferenceId: p.string('client_reference_id'),
    metadata: p.stringMap('metadata'),
    paymentIntentData: intentData && {
      metadata: intentData.stringMap('metadata') ?? {},
      description: intentData.string('description') ?? null,
      receiptEmail: intentData.string('receipt_email') ?? null,
    },
    subscriptionData: subscriptionData && {
      metadata: subscriptionData.stringMap('metadata') ?? {},
      description: subscriptionData.string('description') ?? null,
    },
    successUrl: p.string('success_url'),
    cancelUrl: p.string('cancel_url'),
    expiresAt: p.integer('expires_at'),
    submitType: p.oneOf('submit_type', SUBMIT_TYPES),
    locale: p.string('locale') as Stripe.Checkout.Session.Locale | undefined,
    paymentMethodTypes: p.stringList('payment_method_types'),
    billingAddressCollection: p.oneOf('billing_address_collection', ['auto', 'required'] as const),
    allowPromotionCodes: p.boolean('allow_promotion_codes'),
    adaptivePricing: p.object('adaptive_pricing')?.boolean('enabled'),
  };
}

function readLineItem(item: Params, param: string): LineItemInput {
  const priceData = item.object('price_data');
  return {
    param,
    price: item.string('price'),
    priceData: priceData && readPriceData(priceData),
    quantity: item.requireInteger('quantity', { min: 1 }),
  };
}

function readPriceData(p: Params): PriceDataInput {
  const productData = p.object('product_data');
  const recurring = p.object('recurring');
  return {
    currency: p.requireCurrency('currency'),
    unitAmount: p.requireInteger('unit_amount', { min: 0 }),
    product: p.string('product'),
    productData: productData && {
      name: productData.requireString('name'),
      description: productData.string('description') ?? null,
      metadata: productData.stringMap('metadata'),
    },
    recurring: recurring && {
      interval: recurring.requireOneOf('interval', INTERVALS),
      intervalCount: recurring.integer('interval_count', { min: 1 }) ?? 1,
    },
  };
}
