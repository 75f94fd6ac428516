import type { SimulatorContext } from '../core/context';
import { invalidRequest } from '../core/errors';
import { applyChange } from '../flows/changes';
import {
  createCustomer,
  deleteCustomer,
  deletedCustomerStub,
  isCustomerDeleted,
  requireLiveCustomer,
} from '../flows/customers';
import { paymentMethodsOf } from '../flows/payment-methods';
import type { ApiGateway } from '../http/api-gateway';
import { paginate } from '../http/list';
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
    .get('/v1/customers/:id', ({ pathParams }) => {
      const customer = ctx.store.require('customer', pathParams.id);
      return isCustomerDeleted(ctx, customer.id) ? deletedCustomerStub(customer.id) : customer;
    })
    .delete('/v1/customers/:id', ({ pathParams, params, origin }) => {
      params.end();
      return deleteCustomer(ctx, pathParams.id, origin);
    })
    .post('/v1/customers/:id', ({ pathParams, params, origin }) => {
      const customer = requireLiveCustomer(ctx, pathParams.id);
      const optional = (key: string) => (params.keys().includes(key) ? (params.string(key) ?? null) : undefined);
      const email = optional('email');
      const name = optional('name');
      const phone = optional('phone');
      const description = optional('description');
      const metadata = params.metadataUpdate('metadata');
      const invoiceSettings = params.object('invoice_settings');
      const defaultPaymentMethod = invoiceSettings?.string('default_payment_method');
      params.end();
      if (defaultPaymentMethod) {
        const pm = ctx.store.require(
          'payment_method',
          defaultPaymentMethod,
          'invoice_settings[default_payment_method]',
        );
        if (pm.customer !== customer.id) {
          throw invalidRequest(`The PaymentMethod ${pm.id} does not belong to the Customer ${customer.id}.`, {
            param: 'invoice_settings[default_payment_method]',
          });
        }
      }
      applyChange(
        ctx,
        customer,
        'customer.updated',
        (c) => {
          if (email !== undefined) c.email = email;
          if (name !== undefined) c.name = name;
          if (phone !== undefined) c.phone = phone;
          if (description !== undefined) c.description = description;
          if (metadata === null) c.metadata = {};
          else if (metadata) {
            const next = { ...c.metadata };
            for (const [k, v] of Object.entries(metadata)) {
              if (v === null) delete next[k];
              else next[k] = v;
            }
            c.metadata = next;
          }
          if (defaultPaymentMethod) {
            c.invoice_settings = { ...c.invoice_settings, default_payment_method: defaultPaymentMethod };
          }
        },
        origin,
      );
      return customer;
    })
    .get('/v1/customers/:id/payment_methods', ({ pathParams, params }) => {
      const customer = requireLiveCustomer(ctx, pathParams.id);
      params.string('type');
      return paginate(paymentMethodsOf(ctx, customer.id), params, `/v1/customers/${customer.id}/payment_methods`);
    })
    .get('/v1/customers', ({ params }) => {
      const email = params.string('email');
      return listObjects(ctx, 'customer', params, '/v1/customers', (c) =>
        isCustomerDeleted(ctx, c.id) ? false : matchesIfGiven(email, c.email),
      );
    });
}
