import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { NO_REQUEST, type RequestOrigin } from '../core/types';
import { buildCustomer, type CustomerInput } from '../objects/customer';

/** Creates a customer (`customer.created`). */
export function createCustomer(ctx: SimulatorContext, input: CustomerInput, request: RequestOrigin = NO_REQUEST): Stripe.Customer {
  const customer = ctx.store.insert('customer', buildCustomer(ctx, input));
  ctx.events.emit('customer.created', customer, { request });
  return customer;
}
