import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { fixture } from '../core/fixtures';
import { newId } from '../core/ids';

export interface ProductInput {
  /** A caller-chosen id (Stripe allows it for products); random `prod_…` otherwise. */
  id?: string;
  name: string;
  description?: string | null;
  metadata?: Record<string, string>;
  active?: boolean;
}

export function buildProduct(ctx: SimulatorContext, input: ProductInput): Stripe.Product {
  const product = fixture<Stripe.Product>('product');
  const now = ctx.clock.now();
  Object.assign(product, {
    id: input.id ?? newId('prod', 14),
    active: input.active ?? true,
    created: now,
    default_price: null,
    description: input.description ?? null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: input.metadata ?? {},
    name: input.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: now,
    url: null,
  } satisfies Partial<Stripe.Product>);
  return product;
}

export interface RecurringInput {
  interval: Stripe.Price.Recurring.Interval;
  intervalCount: number;
}

export interface PriceInput {
  currency: string;
  unitAmount: number;
  product: string;
  recurring?: RecurringInput | null;
  /** Prices made inline by `price_data` are inactive: they cannot be reused. */
  active?: boolean;
  metadata?: Record<string, string>;
  nickname?: string | null;
  lookupKey?: string | null;
}

export function buildPrice(ctx: SimulatorContext, input: PriceInput): Stripe.Price {
  const price = fixture<Stripe.Price>('price');
  Object.assign(price, {
    id: newId('price'),
    active: input.active ?? true,
    billing_scheme: 'per_unit',
    created: ctx.clock.now(),
    currency: input.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: input.lookupKey ?? null,
    metadata: input.metadata ?? {},
    nickname: input.nickname ?? null,
    product: input.product,
    recurring: input.recurring
      ? {
          interval: input.recurring.interval,
          interval_count: input.recurring.intervalCount,
          meter: null,
          trial_period_days: null,
          usage_type: 'licensed',
        }
      : null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: input.recurring ? 'recurring' : 'one_time',
    unit_amount: input.unitAmount,
    // A decimal string on the wire (the SDK's type is its parsed form).
    unit_amount_decimal: String(input.unitAmount) as unknown as Stripe.Price['unit_amount_decimal'],
  } satisfies Partial<Stripe.Price>);
  return price;
}

/** A Checkout line item (`object: 'item'`), with its price embedded as Stripe returns it. */
export function buildLineItem(price: Stripe.Price, product: Stripe.Product, quantity: number): Stripe.LineItem {
  const item = fixture<Stripe.LineItem>('item');
  const amount = (price.unit_amount ?? 0) * quantity;
  Object.assign(item, {
    id: newId('li'),
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description: product.name,
    metadata: {},
    price: structuredClone(price),
    quantity,
  } satisfies Partial<Stripe.LineItem>);
  return item;
}

/** Attachment on a price made by a line item's `price_data`: not part of the catalogue. */
export const INLINE_PRICE = 'inline_price';

/** Whether the price was made inline (`price_data`): retrievable by id, never listed, never reusable. */
export function isInlinePrice(ctx: SimulatorContext, priceId: string): boolean {
  return ctx.store.attached<boolean>(priceId, INLINE_PRICE) === true;
}
