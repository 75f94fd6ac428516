import type { SimulatorContext } from '../core/context';
import { StripeApiError } from '../core/errors';
import { payoutOf } from '../flows/payouts';
import type { ApiGateway } from '../http/api-gateway';
import { paginate } from '../http/list';
import { listObjects, matchesIfGiven } from './list-objects';

/**
 * Payment intents, charges, payment methods and balance transactions: read-only here, made by the
 * flows. Balance transactions can be listed by `payout` (what a payout contained, and the payout's own).
 */
export function registerPaymentRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  api.router
    .get('/v1/payment_intents/:id', ({ pathParams }) => ctx.store.require('payment_intent', pathParams.id))
    .get('/v1/payment_intents', ({ params }) => {
      const customer = params.string('customer');
      return listObjects(ctx, 'payment_intent', params, '/v1/payment_intents', (pi) =>
        matchesIfGiven(customer, pi.customer),
      );
    })
    .get('/v1/charges/:id', ({ pathParams }) => ctx.store.require('charge', pathParams.id))
    .get('/v1/charges', ({ params }) => {
      const paymentIntent = params.string('payment_intent');
      const customer = params.string('customer');
      return listObjects(
        ctx,
        'charge',
        params,
        '/v1/charges',
        (ch) => matchesIfGiven(paymentIntent, ch.payment_intent) && matchesIfGiven(customer, ch.customer),
      );
    })
    .get('/v1/charges/:id/refunds', ({ pathParams, params }) => {
      const charge = ctx.store.require('charge', pathParams.id);
      return paginate(
        ctx.store.newestFirst('refund', (r) => r.charge === charge.id),
        params,
        `/v1/charges/${charge.id}/refunds`,
      );
    })
    .get('/v1/payment_methods/:id', ({ pathParams }) => ctx.store.require('payment_method', pathParams.id))
    .get('/v1/payment_methods', ({ params }) => {
      const customer = params.requireString('customer');
      params.oneOf('type', ['card'] as const);
      return listObjects(ctx, 'payment_method', params, '/v1/payment_methods', (pm) => pm.customer === customer);
    })
    .get('/v1/balance_transactions/:id', ({ pathParams }) => ctx.store.require('balance_transaction', pathParams.id))
    .get('/v1/balance_transactions', ({ params }) => {
      const source = params.string('source');
      const type = params.string('type');
      const currency = params.currency('currency');
      const payout = params.string('payout');
      // An unknown payout is a 404 naming the parameter (not an empty list).
      if (payout !== undefined && !ctx.store.get('payout', payout)) {
        throw new StripeApiError(
          404,
          'invalid_request_error',
          `No such payout: '${payout}'`,
          'resource_missing',
          'payout',
        );
      }
      return listObjects(
        ctx,
        'balance_transaction',
        params,
        '/v1/balance_transactions',
        (txn) =>
          matchesIfGiven(source, txn.source) &&
          matchesIfGiven(type, txn.type) &&
          matchesIfGiven(currency, txn.currency) &&
          // The payout's contents and its own `payout` transaction, as on Stripe.
          (payout === undefined || payoutOf(ctx, txn.id) === payout),
      );
    });
}
