import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { resourceMissing } from '../core/errors';
import { NO_REQUEST, type RequestOrigin } from '../core/types';
import { buildCustomer, type CustomerInput } from '../objects/customer';
import { endSubscription } from './subscription-state';

/** Attachment marking a deleted customer (kept in the state file like every attachment). */
const DELETED = 'deleted';

/** Creates a customer (`customer.created`). */
export function createCustomer(
  ctx: SimulatorContext,
  input: CustomerInput,
  request: RequestOrigin = NO_REQUEST,
): Stripe.Customer {
  const customer = ctx.store.insert('customer', buildCustomer(ctx, input));
  ctx.events.emit('customer.created', customer, { request });
  return customer;
}

export function isCustomerDeleted(ctx: SimulatorContext, id: string): boolean {
  return ctx.store.attached<boolean>(id, DELETED) === true;
}

/** A customer that exists and is not deleted, or Stripe's `resource_missing` (as Stripe answers for a deleted one). */
export function requireLiveCustomer(ctx: SimulatorContext, id: string, param?: string): Stripe.Customer {
  const customer = ctx.store.require('customer', id, param);
  if (isCustomerDeleted(ctx, id)) throw resourceMissing('customer', id, param);
  return customer;
}

/** What Stripe answers for a deleted customer: to the `DELETE`, and to every later retrieve. */
export function deletedCustomerStub(id: string): Stripe.DeletedCustomer {
  return { id, object: 'customer', deleted: true };
}

/**
 * Deletes a customer as Stripe does: its live subscriptions end at once
 * (`customer.subscription.deleted`), then `customer.deleted` (the customer as it was); later
 * retrieves answer the deleted stub, updates and a second delete answer `resource_missing`, and
 * lists leave it out.
 */
export function deleteCustomer(
  ctx: SimulatorContext,
  id: string,
  request: RequestOrigin = NO_REQUEST,
): Stripe.DeletedCustomer {
  const customer = requireLiveCustomer(ctx, id);
  for (const sub of ctx.store.all('subscription')) {
    if (sub.customer === id && sub.status !== 'canceled' && sub.status !== 'incomplete_expired') {
      endSubscription(ctx, sub, 'cancellation_requested', request);
    }
  }
  ctx.store.attach(id, DELETED, true);
  ctx.events.emit('customer.deleted', customer, { request });
  return deletedCustomerStub(id);
}
