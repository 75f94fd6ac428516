import type Stripe from 'stripe';
import { RetryLaterError } from '@app/webhooks';
import type { Subscription } from '../subscription.entity';
import {
  changedColumns,
  invoicePaymentEntry,
  mirroredSubscription,
  subscriptionStatus,
  subscriptionTier,
  syncTarget,
  type SubscriptionSyncEvent,
} from './transform-stripe-subscription.util';

const DAY = 86400;
const start = 1_767_225_600; // 2026-01-01T00:00:00Z

function stripeSubscription(overrides: Partial<Stripe.Subscription> = {}, item: Record<string, unknown> = {}) {
  return {
    id: 'sub_1',
    status: 'active',
    customer: 'cus_1',
    cancel_at_period_end: false,
    canceled_at: null,
    ended_at: null,
    metadata: { checkout_id: 'c0ffee00-0000-4000-8000-000000000001' },
    items: {
      data: [
        {
          current_period_start: start,
          current_period_end: start + 31 * DAY,
          quantity: 1,
          price: { id: 'price_1', unit_amount: 1000, currency: 'aud', metadata: { tier: 'print' } },
          ...item,
        },
      ],
    },
    ...overrides,
  } as unknown as Stripe.Subscription;
}

const tierCheckout = { purpose: 'subscription' as const, tierCode: 'digital', amount: 500 };

describe('subscriptionStatus', () => {
  it.each([
    'incomplete',
    'incomplete_expired',
    'trialing',
    'active',
    'past_due',
    'unpaid',
    'canceled',
    'paused',
  ] as const)('mirrors Stripe %s as the same status', (status) => {
    expect(subscriptionStatus(status)).toBe(status);
  });

  it('refuses a status Stripe may add later with a retry-later error, instead of writing it', () => {
    expect(() => subscriptionStatus('hibernating')).toThrow(RetryLaterError);
    expect(() => subscriptionStatus('ended')).toThrow(RetryLaterError);
  });
});

describe('subscriptionTier', () => {
  it('is none for a monthly donation', () => {
    expect(subscriptionTier({ metadata: { tier: 'print' } }, { purpose: 'donation', tierCode: null }, null)).toBeNull();
  });
  it("follows the price's tier (a plan change in the portal), else the row's, else the checkout's", () => {
    expect(subscriptionTier({ metadata: { tier: 'print' } }, tierCheckout, { tierCode: 'digital' })).toBe('print');
    expect(subscriptionTier({ metadata: {} }, tierCheckout, { tierCode: 'print' })).toBe('print');
    expect(subscriptionTier({ metadata: {} }, tierCheckout, null)).toBe('digital');
  });
});

describe('mirroredSubscription', () => {
  it('takes the amount (unit × quantity), currency, price, customer and the period from the first item', () => {
    const values = mirroredSubscription(stripeSubscription({}, { quantity: 2 }), tierCheckout, null, start);
    expect(values).toEqual({
      status: 'active',
      tierCode: 'print',
      amount: 2000,
      currency: 'AUD',
      stripePriceId: 'price_1',
      stripeCustomerId: 'cus_1',
      currentPeriodStart: new Date(start * 1000),
      currentPeriodEnd: new Date((start + 31 * DAY) * 1000),
      cancelAtPeriodEnd: false,
      canceledAt: null,
      endedAt: null,
      pastDueSince: null,
    });
  });

  it("falls back to the checkout's amount when the price has no unit amount", () => {
    const sub = stripeSubscription({}, { price: { id: 'price_2', unit_amount: null, currency: 'aud', metadata: {} } });
    expect(mirroredSubscription(sub, tierCheckout, null, start).amount).toBe(500);
  });

  it('dates a first past_due by the event, never before the period the failed renewal began', () => {
    const sub = stripeSubscription({ status: 'past_due' });
    expect(mirroredSubscription(sub, tierCheckout, null, start + DAY).pastDueSince).toEqual(
      new Date((start + DAY) * 1000),
    );
    // A late redelivery of an older event: the period's start.
    expect(mirroredSubscription(sub, tierCheckout, null, start - 10 * DAY).pastDueSince).toEqual(
      new Date(start * 1000),
    );
    // Already past due: keeps its date.
    const since = new Date('2026-01-03T00:00:00Z');
    expect(
      mirroredSubscription(sub, tierCheckout, { tierCode: 'print', pastDueSince: since }, start + 5 * DAY).pastDueSince,
    ).toBe(since);
  });

  it('keeps cancellation and end times', () => {
    const sub = stripeSubscription({
      status: 'canceled',
      cancel_at_period_end: true,
      canceled_at: start + DAY,
      ended_at: start + 2 * DAY,
    });
    expect(mirroredSubscription(sub, tierCheckout, null, start)).toMatchObject({
      status: 'canceled',
      cancelAtPeriodEnd: true,
      canceledAt: new Date((start + DAY) * 1000),
      endedAt: new Date((start + 2 * DAY) * 1000),
      pastDueSince: null,
    });
  });

  it('lists only the columns that differ from the row', () => {
    const values = mirroredSubscription(stripeSubscription(), tierCheckout, null, start);
    const row = { ...values, amount: 1000 } as unknown as Subscription;
    expect(changedColumns(values, row)).toEqual([]);
    expect(changedColumns({ ...values, status: 'past_due' }, row)).toEqual(['status']);
  });
});

describe('invoicePaymentEntry', () => {
  const invoice = {
    id: 'in_1',
    amount_paid: 1000,
    currency: 'aud',
    number: 'ABC-0001',
    billing_reason: 'subscription_cycle',
    status_transitions: { paid_at: start + DAY },
  } as unknown as Stripe.Invoice;
  const checkout = {
    id: 'c0ffee00-0000-4000-8000-000000000001',
    purpose: 'subscription' as const,
    channel: 'online' as const,
  };

  it('is a subscription payment keyed by the invoice, dated when it was paid', () => {
    const entry = invoicePaymentEntry({
      invoice,
      checkout,
      charge: { id: 'ch_1', payment_method_details: { type: 'card' } } as Stripe.Charge,
      paymentIntentId: 'pi_1',
      supporterId: 'sup',
      campaignId: 'camp',
      event: { id: 'evt_1', created: start + 2 * DAY },
    });
    expect(entry).toEqual({
      idempotencyKey: 'invoice:in_1',
      type: 'subscription',
      channel: 'online',
      method: 'card',
      gross: 1000,
      currency: 'aud',
      supporterId: 'sup',
      campaignId: 'camp',
      checkoutId: checkout.id,
      stripeEventId: 'evt_1',
      stripeInvoiceId: 'in_1',
      stripePaymentIntentId: 'pi_1',
      stripeChargeId: 'ch_1',
      description: 'Invoice ABC-0001 (subscription_cycle)',
      occurredAt: new Date((start + DAY) * 1000),
    });
  });

  it('a monthly donation paid out of band (no charge), dated by the event without a paid time', () => {
    const entry = invoicePaymentEntry({
      invoice: { ...invoice, number: null, status_transitions: { paid_at: null } } as unknown as Stripe.Invoice,
      checkout: { ...checkout, purpose: 'donation' },
      charge: null,
      paymentIntentId: null,
      supporterId: 'sup',
      campaignId: null,
      event: { id: 'evt_1', created: start + 2 * DAY },
    });
    expect(entry).toMatchObject({
      type: 'monthly_donation',
      method: 'out_of_band',
      stripeChargeId: null,
      stripePaymentIntentId: null,
      description: 'Invoice in_1 (subscription_cycle)',
      occurredAt: new Date((start + 2 * DAY) * 1000),
    });
  });
});

describe('syncTarget', () => {
  const event = (type: string, object: unknown) =>
    ({ id: 'evt_1', type, created: start, data: { object } }) as unknown as SubscriptionSyncEvent;

  it("a subscription's own event mirrors it", () => {
    expect(syncTarget(event('customer.subscription.updated', stripeSubscription()))).toEqual({
      subscriptionId: 'sub_1',
      checkoutId: 'c0ffee00-0000-4000-8000-000000000001',
      invoiceId: null,
      invoice: null,
      mirror: true,
    });
  });

  it('a paid invoice is recorded from its snapshot; a failed one only leads to the subscription', () => {
    const invoice = {
      id: 'in_1',
      status: 'paid',
      parent: { subscription_details: { subscription: 'sub_1', metadata: { checkout_id: 'c1' } } },
    };
    expect(syncTarget(event('invoice.paid', invoice))).toEqual({
      subscriptionId: 'sub_1',
      checkoutId: 'c1',
      invoiceId: 'in_1',
      invoice,
      mirror: false,
    });
    expect(syncTarget(event('invoice.payment_failed', { ...invoice, status: 'open' }))).toMatchObject({
      invoiceId: null,
      invoice: null,
    });
    expect(syncTarget(event('invoice.paid', { id: 'in_2', status: 'paid', parent: null }))).toEqual({
      ignored: 'no subscription',
    });
  });

  it('a completed subscription checkout names its first invoice (fetched); a payment one is not ours', () => {
    const session = { id: 'cs_1', mode: 'subscription', subscription: { id: 'sub_1' }, invoice: 'in_1', metadata: {} };
    expect(syncTarget(event('checkout.session.completed', session))).toEqual({
      subscriptionId: 'sub_1',
      checkoutId: undefined,
      invoiceId: 'in_1',
      invoice: null,
      mirror: false,
    });
    expect(syncTarget(event('checkout.session.completed', { ...session, mode: 'payment' }))).toEqual({
      ignored: 'not a subscription checkout',
    });
  });
});
