import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { cancelSubscription, updateSubscription, type SubscriptionUpdate } from '../flows/subscriptions';
import type { ApiGateway } from '../http/api-gateway';
import { paginate } from '../http/list';
import type { Params } from '../http/params';
import { listObjects, matchesIfGiven } from './list-objects';

const STATUSES = [
  'active',
  'all',
  'canceled',
  'ended',
  'incomplete',
  'incomplete_expired',
  'past_due',
  'paused',
  'trialing',
  'unpaid',
] as const;
const PRORATION_BEHAVIORS = ['always_invoice', 'create_prorations', 'none'] as const;
const FEEDBACK = [
  'customer_service',
  'low_quality',
  'missing_features',
  'other',
  'switched_service',
  'too_complex',
  'too_expensive',
  'unused',
] as const;

/** Subscriptions (made by Checkout in subscription mode) and their items. */
export function registerSubscriptionRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  api.router
    .get('/v1/subscriptions/:id', ({ pathParams }) => ctx.store.require('subscription', pathParams.id))
    .get('/v1/subscriptions', ({ params }) => {
      const customer = params.string('customer');
      const price = params.string('price');
      const status = params.oneOf('status', STATUSES);
      return listObjects(ctx, 'subscription', params, '/v1/subscriptions', (s) => {
        if (!matchesIfGiven(customer, s.customer)) return false;
        if (price && !s.items.data.some((i) => i.price.id === price)) return false;
        if (status === undefined) return s.status !== 'canceled' && s.status !== 'incomplete_expired';
        if (status === 'all') return true;
        if (status === 'ended') return s.status === 'canceled' || s.status === 'incomplete_expired';
        return s.status === status;
      });
    })
    .post('/v1/subscriptions/:id', ({ pathParams, params, origin }) => {
      const update = readUpdate(params);
      params.end();
      return updateSubscription(ctx, pathParams.id, update, origin);
    })
    .delete('/v1/subscriptions/:id', ({ pathParams, params, origin }) => {
      // Without usage-based prices or prorations there is nothing to invoice: accepted, no effect.
      params.boolean('invoice_now');
      params.boolean('prorate');
      const details = readCancellationDetails(params);
      params.end();
      return cancelSubscription(ctx, pathParams.id, details ?? {}, origin);
    })
    .get('/v1/subscription_items/:id', ({ pathParams }) => ctx.store.require('subscription_item', pathParams.id))
    .get('/v1/subscription_items', ({ params }) => {
      const sub = ctx.store.require('subscription', params.requireString('subscription'), 'subscription');
      return paginate([...sub.items.data].reverse(), params, `/v1/subscription_items`);
    });
}

function readUpdate(params: Params): SubscriptionUpdate {
  return {
    cancelAtPeriodEnd: params.boolean('cancel_at_period_end'),
    metadata: params.metadataUpdate('metadata'),
    // Sent empty, it unsets the description.
    description: params.keys().includes('description') ? (params.string('description') ?? null) : undefined,
    items: params.list('items')?.map((item, i) => ({
      id: item.requireString('id'),
      price: item.string('price'),
      quantity: item.integer('quantity', { min: 0 }),
      param: `items[${i}]`,
    })),
    prorationBehavior: params.oneOf('proration_behavior', PRORATION_BEHAVIORS),
    defaultPaymentMethod: params.string('default_payment_method'),
    cancellationDetails: readCancellationDetails(params),
  };
}

function readCancellationDetails(params: Params): SubscriptionUpdate['cancellationDetails'] {
  const details = params.object('cancellation_details');
  if (!details) return undefined;
  return {
    comment: details.string('comment') ?? null,
    feedback: (details.oneOf('feedback', FEEDBACK) ?? null) as Stripe.Subscription.CancellationDetails.Feedback | null,
  };
}
