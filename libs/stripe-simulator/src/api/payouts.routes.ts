import type { SimulatorContext } from '../core/context';
import type { ApiGateway } from '../http/api-gateway';
import { inRange } from '../http/list';
import { listObjects, matchesIfGiven } from './list-objects';

export const PAYOUT_STATUSES = ['canceled', 'failed', 'in_transit', 'paid', 'pending'] as const;

/**
 * Payouts are made by the simulator (`POST /_simulator/payouts`); the API reads them. What a payout
 * contains is `GET /v1/balance_transactions?payout=po_...` (payments.routes.ts).
 */
export function registerPayoutRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  api.router
    .get('/v1/payouts/:id', ({ pathParams }) => ctx.store.require('payout', pathParams.id))
    .get('/v1/payouts', ({ params }) => {
      const status = params.oneOf('status', PAYOUT_STATUSES);
      const destination = params.string('destination');
      const arrivalDate = params.range('arrival_date');
      return listObjects(
        ctx,
        'payout',
        params,
        '/v1/payouts',
        (po) =>
          matchesIfGiven(status, po.status) &&
          matchesIfGiven(destination, po.destination) &&
          inRange(po.arrival_date, arrivalDate),
      );
    });
}
