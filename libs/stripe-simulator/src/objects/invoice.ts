import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { fixture } from '../core/fixtures';
import { newId } from '../core/ids';
import { formatMoney } from '../core/money';

export interface InvoiceLineInput {
  invoice: string;
  subscription: Stripe.Subscription;
  item: Stripe.SubscriptionItem;
  productName: string;
  /** The service period this line bills. */
  periodStart: number;
  periodEnd: number;
  /** Default: unit amount × quantity. Prorations pass their own (negative for a credit). */
  amount?: number;
  proration?: boolean;
  description?: string;
}

/** A subscription item's line on an invoice (current API: `parent.subscription_item_details`, `pricing.price_details`). */
export function buildSubscriptionLine(input: InvoiceLineInput): Stripe.InvoiceLineItem {
  const line = fixture<Stripe.InvoiceLineItem>('line_item');
  const { item, subscription } = input;
  const price = item.price;
  const quantity = item.quantity ?? 1;
  const amount = input.amount ?? (price.unit_amount ?? 0) * quantity;
  const product = typeof price.product === 'string' ? price.product : price.product.id;
  Object.assign(line, {
    id: newId('il'),
    amount,
    currency: price.currency,
    description:
      input.description ??
      `${quantity} × ${input.productName} (at ${formatMoney(price.unit_amount ?? 0, price.currency)} / ${price.recurring?.interval ?? 'month'})`,
    discount_amounts: [],
    discountable: !input.proration,
    discounts: [],
    invoice: input.invoice,
    livemode: false,
    metadata: {},
    parent: {
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: input.proration ?? false,
        proration_details: { credited_items: null },
        subscription: subscription.id,
        subscription_item: item.id,
      },
      type: 'subscription_item_details',
    },
    period: { end: input.periodEnd, start: input.periodStart },
    pretax_credit_amounts: [],
    pricing: {
      price_details: { price: price.id, product },
      type: 'price_details',
      unit_amount_decimal: String(price.unit_amount ?? 0) as unknown as Stripe.Decimal,
    },
    quantity,
    quantity_decimal: String(quantity) as unknown as Stripe.Decimal,
    subscription: subscription.id,
    subtotal: amount,
    taxes: [],
  } satisfies Partial<Stripe.InvoiceLineItem>);
  return line;
}

export interface InvoiceInput {
  id: string;
  customer: Stripe.Customer;
  subscription: Stripe.Subscription;
  billingReason: Stripe.Invoice.BillingReason;
  currency: string;
  lines: Stripe.InvoiceLineItem[];
  /** Stripe's quirk: the "usage" period, not the billed one (that is on the lines). */
  periodStart: number;
  periodEnd: number;
}

export const newInvoiceId = (): string => newId('in');

/**
 * A draft subscription invoice. It names its subscription only under
 * `parent.subscription_details` and has no `charge`, `payment_intent` or `paid` field: its
 * payments are `invoice_payment` objects.
 */
export function buildInvoice(ctx: SimulatorContext, input: InvoiceInput): Stripe.Invoice {
  const invoice = fixture<Stripe.Invoice>('invoice');
  const now = ctx.clock.now();
  const total = input.lines.reduce((sum, l) => sum + l.amount, 0);
  const { customer, subscription } = input;
  Object.assign(invoice, {
    id: input.id,
    account_country: 'AU',
    account_name: 'Stripe Simulator',
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: total,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: now + 3600,
    billing_reason: input.billingReason,
    collection_method: 'charge_automatically',
    created: now,
    currency: input.currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: customer.address ? structuredClone(customer.address) : null,
    customer_email: customer.email,
    customer_name: customer.name,
    customer_phone: customer.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: customer.tax_exempt ?? 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: input.lines, has_more: false, url: `/v1/invoices/${input.id}/lines` },
    livemode: false,
    metadata: {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: {
      quote_details: null,
      subscription_details: { metadata: { ...subscription.metadata }, subscription: subscription.id },
      type: 'subscription_details',
    },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: input.periodEnd,
    period_start: input.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  } satisfies Partial<Stripe.Invoice>);
  // The current API has no top-level subscription (the fixture keeps it, null).
  (invoice as unknown as { subscription: null }).subscription = null;
  return invoice;
}

/** The record of one payment (attempt) of an invoice, pointing at its payment intent. */
export function buildInvoicePayment(
  ctx: SimulatorContext,
  invoice: Stripe.Invoice,
  paymentIntent: string,
): Stripe.InvoicePayment {
  const payment = fixture<Stripe.InvoicePayment>('invoice_payment');
  Object.assign(payment, {
    id: newId('inpay'),
    amount_paid: null,
    amount_requested: invoice.amount_remaining,
    created: ctx.clock.now(),
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { payment_intent: paymentIntent, type: 'payment_intent' },
    status: 'open',
    status_transitions: { canceled_at: null, paid_at: null },
  } satisfies Partial<Stripe.InvoicePayment>);
  return payment;
}
