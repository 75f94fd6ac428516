import type Stripe from 'stripe';
import { nextPeriodBoundary, periodBoundary } from '../core/billing-calendar';
import type { SimulatorContext } from '../core/context';
import { invalidRequest } from '../core/errors';
import { NO_REQUEST, type RequestOrigin } from '../core/types';
import { buildSubscriptionLine } from '../objects/invoice';
import { buildSubscription, buildSubscriptionItem, newSubscriptionId, planOf } from '../objects/subscription';
import { attemptInvoicePayment, createInvoice, finalizeInvoice } from './invoices';
import { changeSubscription, endSubscription } from './subscription-state';

export interface NewSubscriptionInput {
  customer: Stripe.Customer;
  items: Array<{ price: Stripe.Price; quantity: number }>;
  metadata: Record<string, string>;
  description: string | null;
  defaultPaymentMethod: string;
}

/**
 * A subscription as Checkout creates it since basil: only once the first payment succeeds, so it
 * is `active` from its first event. Its first invoice (`subscription_create`) is created,
 * finalized and paid at once with the default payment method. Events:
 * `customer.subscription.created`, `invoice.created`, `invoice.finalized`,
 * `payment_intent.created`, `charge.succeeded`, `payment_intent.succeeded`,
 * `invoice_payment.paid`, `invoice.paid`, `invoice.payment_succeeded` (then `charge.updated`).
 */
export function startSubscription(
  ctx: SimulatorContext,
  input: NewSubscriptionInput,
  request: RequestOrigin = NO_REQUEST,
): { subscription: Stripe.Subscription; invoice: Stripe.Invoice } {
  const now = ctx.clock.now();
  const id = newSubscriptionId();
  const recurring = input.items[0].price.recurring!;
  const periodEnd = periodBoundary(now, recurring.interval, recurring.interval_count, 1);
  const items = input.items.map(({ price, quantity }) =>
    ctx.store.insert(
      'subscription_item',
      buildSubscriptionItem(ctx, { subscription: id, price, quantity, periodStart: now, periodEnd }),
    ),
  );
  const sub = buildSubscription(ctx, {
    id,
    customer: input.customer.id,
    currency: input.items[0].price.currency,
    items,
    metadata: input.metadata,
    description: input.description,
    defaultPaymentMethod: input.defaultPaymentMethod,
    latestInvoice: null,
  });
  ctx.store.insert('subscription', sub);

  // Built before the subscription's event so that the event already names its latest invoice.
  const invoice = createInvoiceFor(ctx, sub, 'subscription_create', now, now, now, periodEnd, request, {
    emitLater: true,
  });
  sub.latest_invoice = invoice.id;
  ctx.events.emit('customer.subscription.created', sub, { request });
  ctx.events.emit('invoice.created', invoice, { request });
  finalizeInvoice(ctx, invoice, request);
  if (invoice.status === 'open') attemptInvoicePayment(ctx, invoice, { automatic: true, request });
  scheduleRenewal(ctx, sub);
  return { subscription: sub, invoice };
}

/** Where the subscription's current period ends (its items share one period). */
export function periodEndOf(sub: Stripe.Subscription): number {
  return sub.items.data[0].current_period_end;
}

/** Sets the alarm for the end of the current period: renewal, or the end of a subscription set to cancel. */
export function scheduleRenewal(ctx: SimulatorContext, sub: Stripe.Subscription): void {
  const end = periodEndOf(sub);
  ctx.clock.at(end, `period end ${sub.id}`, () => {
    const current = ctx.store.get('subscription', sub.id);
    // Stale alarm: canceled meanwhile, or its period already moved on.
    if (!current || current.status === 'canceled' || periodEndOf(current) !== end) return;
    if (current.cancel_at_period_end || (current.cancel_at !== null && current.cancel_at <= end)) {
      endSubscription(ctx, current, 'cancellation_requested');
      return;
    }
    renewSubscription(ctx, current);
  });
}

/**
 * The period ends: its items move on one interval (`customer.subscription.updated` with the old
 * items in `previous_attributes`, past_due subscriptions too), a `subscription_cycle` invoice is
 * created, finalized and charged. Payment failures are retried (see invoices.ts).
 */
export function renewSubscription(
  ctx: SimulatorContext,
  sub: Stripe.Subscription,
  request: RequestOrigin = NO_REQUEST,
): Stripe.Invoice {
  const oldStart = sub.items.data[0].current_period_start;
  const oldEnd = periodEndOf(sub);
  const recurring = sub.items.data[0].price.recurring!;
  const newEnd = nextPeriodBoundary(sub.billing_cycle_anchor, recurring.interval, recurring.interval_count, oldEnd);
  const invoice = createInvoiceFor(ctx, sub, 'subscription_cycle', oldStart, oldEnd, oldEnd, newEnd, request);
  changeSubscription(
    ctx,
    sub,
    (s) => {
      for (const item of s.items.data) {
        item.current_period_start = oldEnd;
        item.current_period_end = newEnd;
      }
      s.latest_invoice = invoice.id;
    },
    request,
  );
  finalizeInvoice(ctx, invoice, request);
  if (invoice.status === 'open') attemptInvoicePayment(ctx, invoice, { automatic: true, request });
  scheduleRenewal(ctx, sub);
  return invoice;
}

export interface SubscriptionUpdate {
  cancelAtPeriodEnd?: boolean;
  /** Keys to set; null unsets a key. `null` as a whole clears all metadata. */
  metadata?: Record<string, string | null> | null;
  description?: string | null;
  items?: Array<{ id: string; price?: string; quantity?: number; param: string }>;
  prorationBehavior?: 'always_invoice' | 'create_prorations' | 'none';
  defaultPaymentMethod?: string;
  cancellationDetails?: { comment?: string | null; feedback?: Stripe.Subscription.CancellationDetails.Feedback | null };
}

/**
 * `POST /v1/subscriptions/:id`: cancel at period end (or not), metadata, description, the default
 * payment method, an item's price or quantity. One `customer.subscription.updated` with what
 * changed. A price change with `proration_behavior: 'always_invoice'` bills the prorated
 * difference at once (a `subscription_update` invoice); `none` and `create_prorations` bill
 * nothing now (the simulator does not carry prorations to the next invoice).
 */
export function updateSubscription(
  ctx: SimulatorContext,
  id: string,
  update: SubscriptionUpdate,
  request: RequestOrigin = NO_REQUEST,
): Stripe.Subscription {
  const sub = ctx.store.require('subscription', id);
  if (sub.status === 'canceled') {
    const allowed = update.metadata !== undefined || update.cancellationDetails !== undefined;
    const other = Object.entries(update).some(
      ([k, v]) => v !== undefined && k !== 'metadata' && k !== 'cancellationDetails' && k !== 'prorationBehavior',
    );
    if (other || !allowed) {
      throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
    }
  }
  const now = ctx.clock.now();
  const changes = (update.items ?? []).map((change) => resolveItemChange(ctx, sub, change));
  if (update.defaultPaymentMethod) {
    const pm = ctx.store.require('payment_method', update.defaultPaymentMethod, 'default_payment_method');
    if (pm.customer !== sub.customer) {
      throw invalidRequest(`The PaymentMethod ${pm.id} does not belong to the Customer ${String(sub.customer)}.`, {
        param: 'default_payment_method',
      });
    }
  }
  const prorations: Array<{ item: Stripe.SubscriptionItem; oldPrice: Stripe.Price; oldQuantity: number }> = [];
  let prorationInvoice: Stripe.Invoice | undefined;

  changeSubscription(
    ctx,
    sub,
    (s) => {
      if (update.cancelAtPeriodEnd === true && !s.cancel_at_period_end) {
        s.cancel_at_period_end = true;
        s.cancel_at = periodEndOf(s);
        s.canceled_at = now;
        s.cancellation_details = {
          ...emptyCancellation(),
          ...s.cancellation_details,
          reason: 'cancellation_requested',
        };
      } else if (update.cancelAtPeriodEnd === false && s.cancel_at_period_end) {
        s.cancel_at_period_end = false;
        s.cancel_at = null;
        s.canceled_at = null;
        s.cancellation_details = emptyCancellation();
      }
      if (update.cancellationDetails) {
        s.cancellation_details = { ...emptyCancellation(), ...s.cancellation_details, ...update.cancellationDetails };
      }
      if (update.metadata === null) s.metadata = {};
      else if (update.metadata) {
        const next = { ...s.metadata };
        for (const [k, v] of Object.entries(update.metadata)) {
          if (v === null) delete next[k];
          else next[k] = v;
        }
        s.metadata = next;
      }
      if (update.description !== undefined) s.description = update.description;
      if (update.defaultPaymentMethod) s.default_payment_method = update.defaultPaymentMethod;
      for (const { item, price, quantity } of changes) {
        const oldPrice = item.price;
        const oldQuantity = item.quantity ?? 1;
        if (price) {
          item.price = structuredClone(price);
          item.plan = planOf(price);
        }
        if (quantity !== undefined) item.quantity = quantity;
        if (item.price.id !== oldPrice.id || item.quantity !== oldQuantity) {
          prorations.push({ item, oldPrice, oldQuantity });
        }
      }
      // The proration invoice becomes the latest invoice within the same update.
      if (update.prorationBehavior === 'always_invoice' && prorations.length > 0 && s.status !== 'canceled') {
        prorationInvoice = createProrationInvoice(ctx, s, prorations, request);
        if (prorationInvoice) s.latest_invoice = prorationInvoice.id;
      }
    },
    request,
  );

  if (prorationInvoice) {
    finalizeInvoice(ctx, prorationInvoice, request);
    if (prorationInvoice.status === 'open') attemptInvoicePayment(ctx, prorationInvoice, { automatic: true, request });
  }
  return sub;
}

/** `DELETE /v1/subscriptions/:id`: canceled now (`customer.subscription.deleted`). */
export function cancelSubscription(
  ctx: SimulatorContext,
  id: string,
  details: { comment?: string | null; feedback?: Stripe.Subscription.CancellationDetails.Feedback | null } = {},
  request: RequestOrigin = NO_REQUEST,
): Stripe.Subscription {
  const sub = ctx.store.require('subscription', id);
  if (sub.status === 'canceled') {
    throw invalidRequest(`This subscription (${sub.id}) has already been canceled.`, { code: 'resource_missing' });
  }
  sub.canceled_at = ctx.clock.now();
  return endSubscription(ctx, sub, 'cancellation_requested', request, details);
}

function emptyCancellation(): Stripe.Subscription.CancellationDetails {
  return { comment: null, feedback: null, feedback_option: null, reason: null };
}

function resolveItemChange(
  ctx: SimulatorContext,
  sub: Stripe.Subscription,
  change: { id: string; price?: string; quantity?: number; param: string },
): { item: Stripe.SubscriptionItem; price?: Stripe.Price; quantity?: number } {
  const item = sub.items.data.find((i) => i.id === change.id);
  if (!item) {
    throw invalidRequest(`Subscription item ${change.id} is not part of subscription ${sub.id}.`, {
      param: `${change.param}[id]`,
    });
  }
  if (!change.price) return { item, quantity: change.quantity };
  const price = ctx.store.require('price', change.price, `${change.param}[price]`);
  if (!price.active) {
    throw invalidRequest('The price specified is inactive. This field only accepts active prices.', {
      param: `${change.param}[price]`,
    });
  }
  if (!price.recurring) {
    throw invalidRequest(
      'The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.',
      { param: `${change.param}[price]` },
    );
  }
  if (price.currency !== sub.currency) {
    throw invalidRequest(
      `The price's currency (${price.currency}) must match the subscription's currency (${sub.currency}).`,
      { param: `${change.param}[price]` },
    );
  }
  const current = item.price.recurring!;
  if (price.recurring.interval !== current.interval || price.recurring.interval_count !== current.interval_count) {
    throw invalidRequest(
      'The Stripe simulator can only change a subscription to a price with the same billing interval.',
      { param: `${change.param}[price]` },
    );
  }
  return { item, price, quantity: change.quantity };
}

/**
 * `always_invoice`: credit the unused time at the old price, charge the remaining time at the new
 * one, on a draft `subscription_update` invoice (then finalized and charged at once). Nothing is
 * invoiced when the result is not positive (Stripe would credit the customer's balance).
 */
function createProrationInvoice(
  ctx: SimulatorContext,
  sub: Stripe.Subscription,
  changes: Array<{ item: Stripe.SubscriptionItem; oldPrice: Stripe.Price; oldQuantity: number }>,
  request: RequestOrigin,
): Stripe.Invoice | undefined {
  const now = ctx.clock.now();
  const start = sub.items.data[0].current_period_start;
  const end = periodEndOf(sub);
  const fraction = end > start ? Math.max(0, end - now) / (end - start) : 0;
  const date = new Date(now * 1000).toUTCString().slice(5, 16);
  const parts = changes.map(({ item, oldPrice, oldQuantity }) => ({
    item,
    oldPrice,
    oldQuantity,
    credit: -Math.round((oldPrice.unit_amount ?? 0) * oldQuantity * fraction),
    debit: Math.round((item.price.unit_amount ?? 0) * (item.quantity ?? 1) * fraction),
  }));
  const total = parts.reduce((sum, p) => sum + p.credit + p.debit, 0);
  if (total <= 0) return undefined;
  const names = (price: Stripe.Price) => ctx.store.get('product', price.product as string)?.name ?? 'Subscription';
  return createInvoice(
    ctx,
    {
      subscription: sub,
      billingReason: 'subscription_update',
      periodStart: now,
      periodEnd: now,
      lines: (invoiceId) =>
        parts.flatMap((p) => [
          buildSubscriptionLine({
            invoice: invoiceId,
            subscription: sub,
            item: { ...p.item, price: p.oldPrice, quantity: p.oldQuantity },
            productName: names(p.oldPrice),
            periodStart: now,
            periodEnd: end,
            amount: p.credit,
            proration: true,
            description: `Unused time on ${p.oldQuantity} × ${names(p.oldPrice)} after ${date}`,
          }),
          buildSubscriptionLine({
            invoice: invoiceId,
            subscription: sub,
            item: p.item,
            productName: names(p.item.price),
            periodStart: now,
            periodEnd: end,
            amount: p.debit,
            proration: true,
            description: `Remaining time on ${p.item.quantity ?? 1} × ${names(p.item.price)} after ${date}`,
          }),
        ]),
    },
    request,
  );
}

/** A subscription invoice with one line per item for the period [lineStart, lineEnd]. */
function createInvoiceFor(
  ctx: SimulatorContext,
  sub: Stripe.Subscription,
  billingReason: Stripe.Invoice.BillingReason,
  periodStart: number,
  periodEnd: number,
  lineStart: number,
  lineEnd: number,
  request: RequestOrigin = NO_REQUEST,
  opts: { emitLater?: boolean } = {},
): Stripe.Invoice {
  const input = {
    subscription: sub,
    billingReason,
    periodStart,
    periodEnd,
    lines: (invoiceId: string) =>
      sub.items.data.map((item) =>
        buildSubscriptionLine({
          invoice: invoiceId,
          subscription: sub,
          item,
          productName: ctx.store.get('product', item.price.product as string)?.name ?? 'Subscription',
          periodStart: lineStart,
          periodEnd: lineEnd,
        }),
      ),
  };
  return createInvoice(ctx, input, request, { emit: !opts.emitLater });
}
