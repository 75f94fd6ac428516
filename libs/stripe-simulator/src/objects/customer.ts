import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { fixture } from '../core/fixtures';
import { newId, randomToken } from '../core/ids';

export interface CustomerInput {
  email?: string | null;
  name?: string | null;
  phone?: string | null;
  description?: string | null;
  metadata?: Record<string, string>;
}

export function buildCustomer(ctx: SimulatorContext, input: CustomerInput): Stripe.Customer {
  const customer = fixture<Stripe.Customer>('customer');
  Object.assign(customer, {
    id: newId('cus', 14),
    address: null,
    balance: 0,
    created: ctx.clock.now(),
    currency: null,
    default_source: null,
    delinquent: false,
    description: input.description ?? null,
    discount: null,
    email: input.email ?? null,
    invoice_prefix: randomToken(8).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: input.metadata ?? {},
    name: input.name ?? null,
    next_invoice_sequence: 1,
    phone: input.phone ?? null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  } satisfies Partial<Stripe.Customer>);
  return customer;
}
