import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import type { CheckoutRow, LedgerRow, SupporterRow } from './rows';

/*
 * Test data for the middle level of tests (real database, no HTTP, no simulator): each builder
 * answers a fresh, valid object with unique ids, overridden where a test cares.
 */

/** Stripe's published example of every object (`../shared/stripe/fixtures3.json`, copied beside the simulator). */
let fixtures: Record<string, Record<string, unknown>> | undefined;
const fixture = (resource: string): Record<string, unknown> => {
  fixtures ??= (
    JSON.parse(readFileSync(join(__dirname, '../../libs/stripe-simulator/src/fixtures/fixtures3.json'), 'utf8')) as {
      resources: Record<string, Record<string, unknown>>;
    }
  ).resources;
  return structuredClone(fixtures[resource]);
};

/** The object an event type is about, by the type's prefix (the longest first). */
const RESOURCES: Array<[prefix: string, resource: string, idPrefix: string]> = [
  ['checkout.session.', 'checkout.session', 'cs_test_'],
  ['customer.subscription.', 'subscription', 'sub_'],
  ['charge.dispute.', 'dispute', 'dp_'],
  ['charge.', 'charge', 'ch_'],
  ['refund.', 'refund', 're_'],
  ['invoice.', 'invoice', 'in_'],
  ['payment_intent.', 'payment_intent', 'pi_'],
  ['customer.', 'customer', 'cus_'],
];

/** A fresh Stripe-like id: `prefix` and 24 letters and digits. */
export const newStripeId = (prefix: string): string => `${prefix}${randomBytes(12).toString('hex')}`;

export interface StripeEventOverrides {
  id?: string;
  created?: number;
  livemode?: boolean;
  api_version?: string;
  /** `object` is laid over Stripe's example object of the event's type (a fresh id included). */
  data?: { object?: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
}

/**
 * A Stripe event of `type` in Stripe's own shape: a fresh `evt_…` id, created now, and as its
 * object Stripe's published example of that kind (charge, refund, checkout session, …) with a
 * fresh id, `overrides.data.object` laid over it.
 */
export function stripeEvent<T extends Stripe.Event.Type>(
  type: T,
  overrides: StripeEventOverrides = {},
): Extract<Stripe.Event, { type: T }> {
  const known = RESOURCES.find(([prefix]) => type.startsWith(prefix));
  const object = known ? { ...fixture(known[1]), id: newStripeId(known[2]) } : { id: newStripeId('obj_') };
  const { data, ...event } = overrides;
  return {
    id: newStripeId('evt_'),
    object: 'event',
    type,
    api_version: '2025-03-31.basil',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    ...event,
    data: { ...data, object: { ...object, ...data?.object } },
  } as unknown as Extract<Stripe.Event, { type: T }>;
}

/** A short random suffix for Stripe-like ids and emails. */
export const uniq = (): string => randomBytes(6).toString('hex');

/** A supporter row (written straight to the table: a fixture, not the behaviour under test). */
export async function newSupporter(
  db: DataSource,
  overrides: Partial<Pick<SupporterRow, 'email' | 'name' | 'phone' | 'stripe_customer_id'>> = {},
): Promise<SupporterRow> {
  const [row] = await db.query(
    `INSERT INTO supporters (email, name, phone, stripe_customer_id) VALUES ($1, $2, $3, $4) RETURNING *`,
    [
      overrides.email === undefined ? `reader.${uniq()}@example.com` : overrides.email,
      overrides.name === undefined ? 'A Reader' : overrides.name,
      overrides.phone ?? null,
      overrides.stripe_customer_id ?? null,
    ],
  );
  return row as SupporterRow;
}

export interface NewCheckoutFixture {
  purpose?: 'donation' | 'subscription';
  frequency?: 'one_off' | 'monthly' | 'prepaid';
  channel?: 'online' | 'phone';
  status?: string;
  amount?: number;
  currency?: string;
  email?: string;
  name?: string | null;
  campaignId?: string | null;
  tierCode?: string | null;
  prepaidMonths?: number | null;
  stripeSessionId?: string | null;
}

/** An open checkout (a one-off donation unless told otherwise). */
export async function newCheckout(db: DataSource, o: NewCheckoutFixture = {}): Promise<CheckoutRow> {
  const [row] = await db.query(
    `INSERT INTO checkouts (id, purpose, frequency, channel, amount, currency, email, name, campaign_id, tier_code, prepaid_months, status, stripe_session_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING *`,
    [
      randomUUID(),
      o.purpose ?? 'donation',
      o.frequency ?? 'one_off',
      o.channel ?? 'online',
      o.amount ?? 2500,
      o.currency ?? 'AUD',
      o.email ?? `reader.${uniq()}@example.com`,
      o.name === undefined ? 'A Reader' : o.name,
      o.campaignId ?? null,
      o.tierCode ?? null,
      o.prepaidMonths ?? null,
      o.status ?? 'open',
      o.stripeSessionId === undefined ? `cs_test_${uniq()}` : o.stripeSessionId,
    ],
  );
  return row as CheckoutRow;
}

export interface NewPaymentFixture {
  supporterId: string;
  checkoutId?: string | null;
  type?: 'donation' | 'monthly_donation' | 'subscription' | 'prepaid_subscription';
  gross?: number;
  fee?: number;
  currency?: string;
  chargeId?: string;
  paymentIntentId?: string;
  /** Set: the fee is on the payment (its balance transaction is known). */
  balanceTransactionId?: string | null;
}

/** A recorded online payment entry (a charge in the ledger). */
export async function newPayment(db: DataSource, o: NewPaymentFixture): Promise<LedgerRow> {
  const charge = o.chargeId ?? `ch_test_${uniq()}`;
  const gross = o.gross ?? 2500;
  const fee = o.balanceTransactionId ? (o.fee ?? 70) : 0;
  const [row] = await db.query(
    `INSERT INTO ledger_entries (idempotency_key, kind, type, channel, method, gross, fee, net, currency, supporter_id, checkout_id,
                                 stripe_payment_intent_id, stripe_charge_id, stripe_balance_transaction_id, occurred_at)
     VALUES ($1, 'payment', $2, 'online', 'card', $3, $4, $5, $6, $7, $8, $9, $10, $11, now()) RETURNING *`,
    [
      `payment:${charge}`,
      o.type ?? 'donation',
      gross,
      fee,
      gross - fee,
      o.currency ?? 'AUD',
      o.supporterId,
      o.checkoutId ?? null,
      o.paymentIntentId ?? `pi_test_${uniq()}`,
      charge,
      o.balanceTransactionId ?? null,
    ],
  );
  return row as LedgerRow;
}

/** A Stripe event of `type` carrying exactly `overrides.data.object` (no example fields laid under it). */
export function stripeEventWith<T extends Stripe.Event['type']>(
  type: T,
  overrides: { data: { object: unknown } } & Partial<Omit<Stripe.Event, 'type' | 'data'>>,
): Extract<Stripe.Event, { type: T }> {
  return {
    id: `evt_test_${uniq()}`,
    object: 'event',
    api_version: '2026-02-25.clover',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    ...overrides,
    type,
  } as unknown as Extract<Stripe.Event, { type: T }>;
}
