import type { SimulatorContext } from '../core/context';
import { createCustomer } from '../flows/customers';
import type { ApiGateway } from '../http/api-gateway';
import { listObjects, matchesIfGiven } from './list-objects';

export function registerCustomerRoutes(api: ApiGateway, ctx: SimulatorContext): void {
  api.router
    .post('/v1/customers', ({ params, origin }) => {
      const input = {
        email: params.string('email'),
        name: params.string('name'),
        phone: params.string('phone'),
        description: params.string('description'),
        metadata: params.stringMap('metadata'),
      };
      params.end();
      return createCustomer(ctx, input, origin);
    })
    .get('/v1/customers/:id', ({ pathParams }) => ctx.store.require('customer', pathParams.id))
    .get('/v1/customers', ({ params }) => {
      const email = params.string('email');
      return listObjects(ctx, 'customer', params, '/v1/customers', (c) => matchesIfGiven(email, c.email));
    });
}
