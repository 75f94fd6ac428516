import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { fixture } from '../core/fixtures';
import { newId } from '../core/ids';

/** The legacy `plan` every subscription item still carries: its price, in the older shape. */
export function planOf(price: Stripe.Price): Stripe.Plan {
  const plan = fixture<Stripe.Plan>('plan');
  Object.assign(plan, {
    id: price.id,
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? 'month',
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: { ...price.metadata },
    meter: null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  } satisfies Partial<Stripe.Plan>);
  return plan;
}

export interface SubscriptionItemInput {
  subscription: string;
  price: Stripe.Price;
  quantity: number;
  periodStart: number;
  periodEnd: number;
}

/** One priced line of a subscription; its billing period lives here (not on the subscription). */
export function buildSubscriptionItem(ctx: SimulatorContext, input: SubscriptionItemInput): Stripe.SubscriptionItem {
  const item = fixture<Stripe.SubscriptionItem>('subscription_item');
  Object.assign(item, {
    id: newId('si', 14),
    billing_thresholds: null,
    created: ctx.clock.now(),
    current_period_end: input.periodEnd,
    current_period_start: input.periodStart,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planOf(input.price),
    price: structuredClone(input.price),
    quantity: input.quantity,
    subscription: input.subscription,
    tax_rates: [],
  } satisfies Partial<Stripe.SubscriptionItem>);
  return item;
}

export interface SubscriptionInput {
  id: string;
  customer: string;
  currency: string;
  items: Stripe.SubscriptionItem[];
  metadata: Record<string, string>;
  description: string | null;
  defaultPaymentMethod: string | null;
  latestInvoice: string | null;
}

export const newSubscriptionId = (): string => newId('sub');

/** An active, automatically charged subscription whose billing cycle starts now. */
export function buildSubscription(ctx: SimulatorContext, input: SubscriptionInput): Stripe.Subscription {
  const sub = fixture<Stripe.Subscription>('subscription');
  const now = ctx.clock.now();
  Object.assign(sub, {
    id: input.id,
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: now,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: { proration_discounts: 'included' }, type: 'flexible', updated_at: now },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically',
    created: now,
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: input.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: input.description,
    discounts: [],
    ended_at: null,
    invoice_settings: { ...sub.invoice_settings, account_tax_ids: null, issuer: { type: 'self' } },
    items: {
      object: 'list',
      data: input.items,
      has_more: false,
      url: `/v1/subscription_items?subscription=${input.id}`,
    },
    latest_invoice: input.latestInvoice,
    livemode: false,
    managed_payments: null,
    metadata: { ...input.metadata },
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: 'active',
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: null,
  } satisfies Partial<Stripe.Subscription>);
  return sub;
}
