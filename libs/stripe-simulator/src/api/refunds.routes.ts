import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { createRefund } from '../flows/refunds';
import type { ApiGateway } from '../http/api-gateway';
import { listObjects, matchesIfGiven } from './list-objects';

export const REFUND_REASONS = [
  'duplicate',
  'fraudulent',
  'requested_by_customer',
] as const satisfies readonly Stripe.Refund.Reason[];

export function registerRefundRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  api.router
    .post('/v1/refunds', ({ params, origin }) => {
      const input = {
        charge: params.string('charge'),
        paymentIntent: params.string('payment_intent'),
        amount: params.integer('amount', { min: 1 }),
        reason: params.oneOf('reason', REFUND_REASONS),
        metadata: params.stringMap('metadata'),
      };
      params.end();
      return createRefund(ctx, input, origin);
    })
    .get('/v1/refunds/:id', ({ pathParams }) => ctx.store.require('refund', pathParams.id))
    .get('/v1/refunds', ({ params }) => {
      const charge = params.string('charge');
      const paymentIntent = params.string('payment_intent');
      return listObjects(
        ctx,
        'refund',
        params,
        '/v1/refunds',
        (r) => matchesIfGiven(charge, r.charge) && matchesIfGiven(paymentIntent, r.payment_intent),
      );
    });
}
