import type { SimulatorContext } from '../core/context';
import type { ApiGateway } from '../http/api-gateway';
import { listObjects, matchesIfGiven } from './list-objects';

/** Disputes are opened and closed through the test controls; the API reads them. */
export function registerDisputeRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  api.router
    .get('/v1/disputes/:id', ({ pathParams }) => ctx.store.require('dispute', pathParams.id))
    .get('/v1/disputes', ({ params }) => {
      const charge = params.string('charge');
      const paymentIntent = params.string('payment_intent');
      return listObjects(
        ctx,
        'dispute',
        params,
        '/v1/disputes',
        (d) => matchesIfGiven(charge, d.charge) && matchesIfGiven(paymentIntent, d.payment_intent),
      );
    });
}
