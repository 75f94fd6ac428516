import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { invalidRequest, StripeApiError } from '../core/errors';
import { DAY_SECONDS } from '../core/pricing';
import { NO_REQUEST, type RequestOrigin } from '../core/types';
import { buildCharge, CARD_DECLINED_MESSAGE } from '../objects/charge';
import { buildInvoice, buildInvoicePayment, newInvoiceId } from '../objects/invoice';
import { buildPaymentIntent } from '../objects/payment-intent';
import { scheduleChargeSettlement } from './charge-settlement';
import { cardDeclines, testCardOf } from './payment-methods';
import { changeSubscription, endSubscription, subscriptionOfInvoice } from './subscription-state';

/** Smart Retries, simplified: a failed automatic payment is retried every 3 days... */
export const INVOICE_RETRY_INTERVAL_SECONDS = 3 * DAY_SECONDS;
/** ...up to 4 automatic attempts in all; after the last one fails the subscription is canceled. */
export const MAX_AUTOMATIC_PAYMENT_ATTEMPTS = 4;

/** Attachment keys on an invoice. */
const PAYMENT_INTENT = 'payment_intent';
const AUTOMATIC_ATTEMPTS = 'automatic_attempts';

export interface NewInvoiceInput {
  subscription: Stripe.Subscription;
  billingReason: Stripe.Invoice.BillingReason;
  /** Builds the lines once the invoice id is known. */
  lines: (invoiceId: string) => Stripe.InvoiceLineItem[];
  periodStart: number;
  periodEnd: number;
}

/** A draft subscription invoice (`invoice.created`, unless the caller emits it itself). */
export function createInvoice(
  ctx: SimulatorContext,
  input: NewInvoiceInput,
  request: RequestOrigin = NO_REQUEST,
  opts: { emit?: boolean } = {},
): Stripe.Invoice {
  const sub = input.subscription;
  const customer = ctx.store.require('customer', sub.customer as string);
  const id = newInvoiceId();
  const invoice = buildInvoice(ctx, {
    id,
    customer,
    subscription: sub,
    billingReason: input.billingReason,
    currency: sub.currency,
    lines: input.lines(id),
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
  });
  ctx.store.insert('invoice', invoice);
  if (opts.emit !== false) ctx.events.emit('invoice.created', invoice, { request });
  return invoice;
}

/** Draft → open: numbered from the customer's prefix and sequence (`invoice.finalized`). */
export function finalizeInvoice(
  ctx: SimulatorContext,
  invoice: Stripe.Invoice,
  request: RequestOrigin = NO_REQUEST,
): Stripe.Invoice {
  if (invoice.status !== 'draft') return invoice;
  const customer = ctx.store.require('customer', invoice.customer as string);
  const now = ctx.clock.now();
  const sequence = customer.next_invoice_sequence ?? 1;
  customer.next_invoice_sequence = sequence + 1;
  Object.assign(invoice, {
    automatically_finalizes_at: null,
    effective_at: now,
    ending_balance: 0,
    hosted_invoice_url: `${ctx.config.publicUrl}/invoices/${invoice.id}`,
    invoice_pdf: `${ctx.config.publicUrl}/invoices/${invoice.id}`,
    number: `${customer.invoice_prefix}-${String(sequence).padStart(4, '0')}`,
    status: 'open',
    status_transitions: { ...invoice.status_transitions, finalized_at: now },
  } satisfies Partial<Stripe.Invoice>);
  ctx.events.emit('invoice.finalized', invoice, { request });
  if (invoice.amount_remaining === 0) markInvoicePaid(ctx, invoice, null, request);
  return invoice;
}

export interface PaymentAttempt {
  paid: boolean;
  paymentIntent: Stripe.PaymentIntent | null;
  charge: Stripe.Charge | null;
}

export interface AttemptOptions {
  /** Pay with this method instead of the default one. */
  paymentMethod?: string;
  /**
   * Automatic collection (renewal, retry): a failure schedules the next retry, and the last one
   * cancels the subscription. A manual `POST /v1/invoices/:id/pay` failing does neither.
   */
  automatic: boolean;
  request?: RequestOrigin;
}

/**
 * Charges an open invoice with its customer's card (the invoice's payment intent, created at the
 * first attempt and reused by retries). Success: `charge.succeeded`, `payment_intent.succeeded`,
 * `invoice_payment.paid`, `invoice.paid`, `invoice.payment_succeeded`, the fee later via
 * `charge.updated`, and a past_due subscription back to active. Failure: `charge.failed`,
 * `payment_intent.payment_failed`, `invoice.payment_failed` (the invoice stays open), an active
 * subscription → past_due.
 */
export function attemptInvoicePayment(
  ctx: SimulatorContext,
  invoice: Stripe.Invoice,
  opts: AttemptOptions,
): PaymentAttempt {
  const request = opts.request ?? NO_REQUEST;
  if (invoice.status !== 'open') {
    throw invalidRequest(`Invoice ${invoice.id} is ${invoice.status}; only an open invoice can be paid.`);
  }
  const pm = paymentMethodFor(ctx, invoice, opts.paymentMethod);
  const now = ctx.clock.now();
  if (!pm) {
    if (!opts.automatic) {
      throw invalidRequest(
        'This customer has no attached payment source or default payment method. Please consider adding a default payment method.',
      );
    }
    recordFailure(ctx, invoice, opts, request, now);
    return { paid: false, paymentIntent: null, charge: null };
  }

  const pi = paymentIntentFor(ctx, invoice, request);
  pi.payment_method = pm.id;
  const succeeded = !cardDeclines(ctx, pm.id);
  const charge = ctx.store.insert(
    'charge',
    buildCharge(ctx, {
      paymentIntent: pi,
      paymentMethod: pm,
      card: testCardOf(pm),
      result: succeeded ? 'succeeded' : 'declined',
    }),
  );

  if (!succeeded) {
    ctx.events.emit('charge.failed', charge, { request });
    Object.assign(pi, {
      last_payment_error: {
        advice_code: 'try_again_later',
        charge: charge.id,
        code: 'card_declined',
        decline_code: 'generic_decline',
        doc_url: 'https://stripe.com/docs/error-codes/card-declined',
        message: CARD_DECLINED_MESSAGE,
        payment_method: structuredClone(pm),
        type: 'card_error',
      },
      latest_charge: charge.id,
      payment_method: null,
      status: 'requires_payment_method',
    } satisfies Partial<Stripe.PaymentIntent>);
    ctx.events.emit('payment_intent.payment_failed', pi, { request });
    recordFailure(ctx, invoice, opts, request, now);
    return { paid: false, paymentIntent: pi, charge };
  }

  ctx.events.emit('charge.succeeded', charge, { request });
  Object.assign(pi, {
    amount_received: pi.amount,
    last_payment_error: null,
    latest_charge: charge.id,
    payment_method: pm.id,
    status: 'succeeded',
  } satisfies Partial<Stripe.PaymentIntent>);
  ctx.events.emit('payment_intent.succeeded', pi, { request });
  const payment = ctx.store
    .all('invoice_payment')
    .find((p) => p.invoice === invoice.id && p.payment.payment_intent === pi.id);
  if (payment) {
    Object.assign(payment, {
      amount_paid: pi.amount,
      status: 'paid',
      status_transitions: { canceled_at: null, paid_at: now },
    } satisfies Partial<Stripe.InvoicePayment>);
    ctx.events.emit('invoice_payment.paid', payment, { request });
  }
  invoice.attempt_count += 1;
  invoice.attempted = true;
  markInvoicePaid(ctx, invoice, pm.id, request);
  scheduleChargeSettlement(ctx, charge.id);
  return { paid: true, paymentIntent: pi, charge };
}

/**
 * `POST /v1/invoices/:id/pay`: charge it now with the default (or given) method, or record it as
 * paid outside Stripe (`paid_out_of_band`: `invoice.paid` but no `invoice.payment_succeeded`).
 * A decline answers 402 `card_error` / `card_declined` (after its failure events).
 */
export function payInvoice(
  ctx: SimulatorContext,
  invoiceId: string,
  input: { paymentMethod?: string; paidOutOfBand?: boolean },
  request: RequestOrigin = NO_REQUEST,
): Stripe.Invoice {
  const invoice = ctx.store.require('invoice', invoiceId);
  if (invoice.status === 'paid') throw invalidRequest('Invoice is already paid', { code: 'invoice_already_paid' });
  if (invoice.status === 'draft') finalizeInvoice(ctx, invoice, request);
  if (invoice.status === 'paid') return invoice;
  if (invoice.status !== 'open') {
    throw invalidRequest(`You can only pay an open invoice. This invoice is ${invoice.status}.`, {
      code: 'invoice_not_editable',
    });
  }
  if (input.paidOutOfBand) {
    markInvoicePaid(ctx, invoice, null, request, { outOfBand: true });
    return invoice;
  }
  const attempt = attemptInvoicePayment(ctx, invoice, {
    paymentMethod: input.paymentMethod,
    automatic: false,
    request,
  });
  if (!attempt.paid) {
    throw new StripeApiError(402, 'card_error', CARD_DECLINED_MESSAGE, 'card_declined', undefined, false, {
      decline_code: 'generic_decline',
      ...(attempt.charge ? { charge: attempt.charge.id } : {}),
      ...(attempt.paymentIntent ? { payment_intent: structuredClone(attempt.paymentIntent) } : {}),
    });
  }
  return invoice;
}

/** The invoice's payment intent: the one an earlier attempt made, or a new one (`payment_intent.created`) with its invoice_payment. */
function paymentIntentFor(
  ctx: SimulatorContext,
  invoice: Stripe.Invoice,
  request: RequestOrigin,
): Stripe.PaymentIntent {
  const existing = ctx.store.attached<string>(invoice.id, PAYMENT_INTENT);
  if (existing) return ctx.store.require('payment_intent', existing);
  const pi = ctx.store.insert(
    'payment_intent',
    buildPaymentIntent(ctx, {
      amount: invoice.amount_remaining,
      currency: invoice.currency,
      customer: invoice.customer as string,
      description: invoice.billing_reason === 'subscription_create' ? 'Subscription creation' : 'Subscription update',
      metadata: {},
      receiptEmail: null,
    }),
  );
  pi.setup_future_usage = 'off_session';
  ctx.store.attach(invoice.id, PAYMENT_INTENT, pi.id);
  ctx.store.insert('invoice_payment', buildInvoicePayment(ctx, invoice, pi.id));
  ctx.events.emit('payment_intent.created', pi, { request });
  return pi;
}

/** The given method (must be the customer's), else the subscription's default, else the customer's. */
function paymentMethodFor(
  ctx: SimulatorContext,
  invoice: Stripe.Invoice,
  explicit: string | undefined,
): Stripe.PaymentMethod | undefined {
  const customerId = invoice.customer as string;
  if (explicit) {
    const pm = ctx.store.require('payment_method', explicit, 'payment_method');
    if (pm.customer !== customerId) {
      throw invalidRequest(
        `The PaymentMethod ${pm.id} does not belong to the Customer ${customerId}. Please use a PaymentMethod attached to this customer.`,
        {
          param: 'payment_method',
        },
      );
    }
    return pm;
  }
  const sub = subscriptionOfInvoice(ctx, invoice);
  const customer = ctx.store.require('customer', customerId);
  const id =
    (invoice.default_payment_method as string | null) ??
    (sub?.default_payment_method as string | null) ??
    (customer.invoice_settings.default_payment_method as string | null);
  return id ? ctx.store.get('payment_method', id) : undefined;
}

function markInvoicePaid(
  ctx: SimulatorContext,
  invoice: Stripe.Invoice,
  paymentMethod: string | null,
  request: RequestOrigin,
  opts: { outOfBand?: boolean } = {},
): void {
  const now = ctx.clock.now();
  Object.assign(invoice, {
    amount_paid: opts.outOfBand ? 0 : invoice.amount_remaining,
    amount_remaining: 0,
    auto_advance: false,
    next_payment_attempt: null,
    status: 'paid',
    status_transitions: { ...invoice.status_transitions, paid_at: now },
  } satisfies Partial<Stripe.Invoice>);
  if (opts.outOfBand) (invoice as { amount_paid_off_stripe?: number }).amount_paid_off_stripe = invoice.amount_due;
  ctx.events.emit('invoice.paid', invoice, { request });
  if (paymentMethod) ctx.events.emit('invoice.payment_succeeded', invoice, { request });

  // Paying the latest invoice brings a past_due subscription back.
  const sub = subscriptionOfInvoice(ctx, invoice);
  if (sub && sub.latest_invoice === invoice.id && (sub.status === 'past_due' || sub.status === 'unpaid')) {
    changeSubscription(ctx, sub, (s) => void (s.status = 'active'), request);
  }
}

function recordFailure(
  ctx: SimulatorContext,
  invoice: Stripe.Invoice,
  opts: AttemptOptions,
  request: RequestOrigin,
  now: number,
): void {
  invoice.attempt_count += 1;
  invoice.attempted = true;
  let exhausted = false;
  if (opts.automatic) {
    const automaticAttempts = (ctx.store.attached<number>(invoice.id, AUTOMATIC_ATTEMPTS) ?? 0) + 1;
    ctx.store.attach(invoice.id, AUTOMATIC_ATTEMPTS, automaticAttempts);
    exhausted = automaticAttempts >= MAX_AUTOMATIC_PAYMENT_ATTEMPTS;
    invoice.next_payment_attempt = exhausted ? null : now + INVOICE_RETRY_INTERVAL_SECONDS;
  }
  ctx.events.emit('invoice.payment_failed', invoice, { request });

  const sub = subscriptionOfInvoice(ctx, invoice);
  if (sub && sub.status === 'active') changeSubscription(ctx, sub, (s) => void (s.status = 'past_due'), request);
  if (exhausted) {
    invoice.auto_advance = false;
    if (sub && sub.status !== 'canceled') endSubscription(ctx, sub, 'payment_failed', request);
    return;
  }
  if (opts.automatic && invoice.next_payment_attempt !== null) {
    scheduleRetry(ctx, invoice.id, invoice.next_payment_attempt);
  }
}

/** Smart Retries: at `next_payment_attempt`, if the invoice is still open and due then, charge it again. */
export function scheduleRetry(ctx: SimulatorContext, invoiceId: string, at: number): void {
  ctx.clock.at(at, `retry ${invoiceId}`, () => {
    const invoice = ctx.store.get('invoice', invoiceId);
    if (!invoice || invoice.status !== 'open' || invoice.next_payment_attempt !== at) return;
    attemptInvoicePayment(ctx, invoice, { automatic: true });
  });
}
