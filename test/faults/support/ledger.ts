import type { Pool } from 'pg';
import type Stripe from 'stripe';
import { rows } from './db';
import { type Workload } from './workload';

/** A ledger entry as compared: what it is and the money, never its id or time. */
export interface Entry {
  kind: string;
  type: string;
  channel: string;
  gross: number;
  fee: number;
  net: number;
  currency: string;
  charge: string | null;
  refund: string | null;
  invoice: string | null;
  checkout: string | null;
  email: string | null;
}

export async function ledgerEntries(db: Pool): Promise<Entry[]> {
  const found = await rows<Record<string, string | null>>(
    db,
    `SELECT l.kind, l.type, l.channel, l.gross::text, l.fee::text, l.net::text, l.currency, l.stripe_charge_id AS charge,
            l.stripe_refund_id AS refund, l.stripe_invoice_id AS invoice, l.checkout_id::text AS checkout, lower(s.email) AS email
       FROM ledger_entries l LEFT JOIN supporters s ON s.id = l.supporter_id`,
  );
  return found.map((r) => ({
    kind: r.kind!,
    type: r.type!,
    channel: r.channel!,
    gross: Number(r.gross),
    fee: Number(r.fee),
    net: Number(r.net),
    currency: r.currency!,
    charge: r.charge,
    refund: r.refund,
    invoice: r.invoice,
    checkout: r.checkout,
    email: r.email,
  }));
}

/** The multiset difference of two lists of comparable keys. */
export function multisetDiff(
  expected: readonly string[],
  actual: readonly string[],
): { missing: string[]; extra: string[] } {
  const counts = new Map<string, number>();
  for (const k of expected) counts.set(k, (counts.get(k) ?? 0) + 1);
  const extra: string[] = [];
  for (const k of actual) {
    const n = counts.get(k) ?? 0;
    if (n > 0) counts.set(k, n - 1);
    else extra.push(k);
  }
  const missing: string[] = [];
  for (const [k, n] of counts) for (let i = 0; i < n; i++) missing.push(k);
  return { missing: missing.sort(), extra: extra.sort() };
}

/** `{ missing: [...10], extra: [...10] }` with counts, for an assertion message. */
export function describeDiff(d: { missing: string[]; extra: string[] }): string {
  return JSON.stringify(
    {
      missingCount: d.missing.length,
      extraCount: d.extra.length,
      missing: d.missing.slice(0, 10),
      extra: d.extra.slice(0, 10),
    },
    null,
    1,
  );
}

/** Every field but ids and times: two runs of the same events must give the same multiset of these. */
export const fullKey = (e: Entry) =>
  JSON.stringify([
    e.kind,
    e.type,
    e.channel,
    e.gross,
    e.fee,
    e.net,
    e.currency,
    e.charge,
    e.refund,
    e.invoice,
    e.checkout,
    e.email,
  ]);

/** One movement of money as Stripe knows it: a payment with its fee (however the ledger split it), or a refund. */
export interface Movement {
  kind: string;
  type: string;
  gross: number;
  fee: number;
  net: number;
  currency: string;
  charge: string | null;
  refund: string | null;
  email: string | null;
}

export const movementKey = (m: Movement) =>
  JSON.stringify([m.kind, m.type, m.gross, m.fee, m.net, m.currency, m.charge, m.refund, m.email]);

/**
 * The ledger as movements: a late `fee` entry is folded into its payment (the payment may carry
 * its fee or be followed by one: both are right, and both total the same). A fee entry without
 * its payment, or a second fee for the same payment, stays visible (and will not match).
 */
export function movementsOf(entries: readonly Entry[]): Movement[] {
  const payments = new Map<string, Movement>();
  const out: Movement[] = [];
  const feeEntries: Entry[] = [];
  for (const e of entries) {
    if (e.kind === 'fee') {
      feeEntries.push(e);
      continue;
    }
    const m: Movement = {
      kind: e.kind,
      type: e.type,
      gross: e.gross,
      fee: e.fee,
      net: e.net,
      currency: e.currency,
      charge: e.charge,
      refund: e.refund,
      email: e.email,
    };
    if (e.kind === 'payment' && e.charge && !payments.has(e.charge)) payments.set(e.charge, m);
    out.push(m);
  }
  const folded = new Set<string>();
  for (const f of feeEntries) {
    const p = f.charge ? payments.get(f.charge) : undefined;
    if (p && p.fee === 0 && !folded.has(f.charge!)) {
      folded.add(f.charge!);
      p.fee += f.fee;
      p.net -= f.fee;
    } else {
      out.push({
        kind: 'fee',
        type: f.type,
        gross: f.gross,
        fee: f.fee,
        net: f.net,
        currency: f.currency,
        charge: f.charge,
        refund: null,
        email: f.email,
      });
    }
  }
  return out;
}

const idOf = (v: string | { id: string } | null | undefined) => (typeof v === 'string' ? v : (v?.id ?? null));

/**
 * What the ledger must hold, from Stripe's own records (the simulator's API, not the events):
 * one payment per succeeded charge of our customers, with its balance transaction's fee, and one
 * negative entry per succeeded refund.
 */
export async function expectedMovements(stripe: Stripe, workload: Workload): Promise<Movement[]> {
  const charges = await stripe.charges
    .list({ limit: 100, expand: ['data.balance_transaction'] })
    .autoPagingToArray({ limit: 10000 });
  const refunds = await stripe.refunds
    .list({ limit: 100, expand: ['data.balance_transaction'] })
    .autoPagingToArray({ limit: 10000 });
  const out: Movement[] = [];
  const chargeOwner = new Map<string, { type: string; email: string }>();
  for (const c of charges) {
    const owner = workload.customers.get(idOf(c.customer) ?? '');
    if (!owner) throw new Error(`charge ${c.id} of an unknown customer ${idOf(c.customer)}`);
    chargeOwner.set(c.id, owner);
    if (c.status !== 'succeeded') continue;
    const bt = c.balance_transaction as Stripe.BalanceTransaction | null;
    if (!bt || typeof bt !== 'object') {
      throw new Error(`charge ${c.id} has no balance transaction yet: Stripe's state is not final`);
    }
    out.push({
      kind: 'payment',
      type: owner.type,
      gross: c.amount,
      fee: bt.fee,
      net: c.amount - bt.fee,
      currency: c.currency.toUpperCase(),
      charge: c.id,
      refund: null,
      email: owner.email.toLowerCase(),
    });
  }
  for (const r of refunds) {
    if (r.status !== 'succeeded') continue;
    const charge = idOf(r.charge)!;
    const owner = chargeOwner.get(charge);
    if (!owner) throw new Error(`refund ${r.id} of an unknown charge ${charge}`);
    const bt = r.balance_transaction as Stripe.BalanceTransaction | null;
    const fee = bt && typeof bt === 'object' ? bt.fee : 0;
    out.push({
      kind: 'refund',
      type: owner.type,
      gross: -r.amount,
      fee,
      net: -r.amount - fee,
      currency: r.currency.toUpperCase(),
      charge,
      refund: r.id,
      email: owner.email.toLowerCase(),
    });
  }
  return out;
}

/** What the current campaign has raised, summed from the ledger (what progress must show). */
export async function ledgerRaised(db: Pool): Promise<number> {
  const [row] = await rows<{ raised: string }>(
    db,
    `SELECT COALESCE(SUM(l.gross), 0) AS raised FROM ledger_entries l JOIN campaigns c ON c.id = l.campaign_id
      WHERE c.is_current AND l.type = ANY(c.counted_types) AND l.currency = c.currency`,
  );
  return Number(row.raised);
}

/** Subscriptions as compared: state mirrored from Stripe and what was asked for, not ids or local times. */
export async function subscriptionRows(db: Pool): Promise<string[]> {
  const found = await rows<Record<string, unknown>>(
    db,
    `SELECT s.kind, s.billing, s.status, s.tier_code, s.amount::text, s.currency, s.stripe_subscription_id, s.stripe_price_id,
            s.cancel_at_period_end, s.current_period_start, s.current_period_end, s.canceled_at, s.ended_at, s.past_due_since,
            s.checkout_id::text, lower(p.email) AS email
       FROM subscriptions s LEFT JOIN supporters p ON p.id = s.supporter_id`,
  );
  return found.map((r) => JSON.stringify(r)).sort();
}

/** The webhook inbox, in figures. */
export async function inboxFigures(db: Pool): Promise<{
  events: number;
  unprocessed: number;
  parked: number;
  deliveries: Record<string, number>;
  noOutcome: number;
}> {
  const [row] = await rows<{ events: number; unprocessed: number; parked: number; no_outcome: number }>(
    db,
    `SELECT count(*)::int AS events, count(*) FILTER (WHERE processed_at IS NULL)::int AS unprocessed,
            count(*) FILTER (WHERE next_attempt_at = 'infinity')::int AS parked,
            count(*) FILTER (WHERE processed_at IS NOT NULL AND outcome IS NULL)::int AS no_outcome FROM stripe_events`,
  );
  const byDeliveries = await rows<{ deliveries: number; n: number }>(
    db,
    `SELECT deliveries, count(*)::int AS n FROM stripe_events GROUP BY deliveries ORDER BY deliveries`,
  );
  return {
    events: row.events,
    unprocessed: row.unprocessed,
    parked: row.parked,
    noOutcome: row.no_outcome,
    deliveries: Object.fromEntries(byDeliveries.map((r) => [String(r.deliveries), r.n])),
  };
}

/** Waits until every stored event is processed (fails early, naming it, if one is parked). */
export async function waitProcessed(db: Pool, expectedEvents: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let last: string;
  for (;;) {
    try {
      const f = await inboxFigures(db);
      last = JSON.stringify(f);
      if (f.parked) {
        const parked = await rows(
          db,
          `SELECT id, type, attempts, last_error FROM stripe_events WHERE next_attempt_at = 'infinity' LIMIT 5`,
        );
        throw new Error(`events parked after failing every attempt: ${JSON.stringify(parked)}`);
      }
      if (f.events >= expectedEvents && f.unprocessed === 0) return Date.now() - started;
    } catch (err) {
      if (String(err).includes('parked')) throw err;
      last = String(err);
    }
    if (Date.now() - started > timeoutMs) {
      const stuck = await rows(
        db,
        `SELECT id, type, attempts, last_error, locked_until, next_attempt_at FROM stripe_events WHERE processed_at IS NULL LIMIT 5`,
      ).catch(() => []);
      throw new Error(`events not all processed after ${timeoutMs} ms: ${last} ${JSON.stringify(stuck)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Each Stripe subscription's status and cancellation as Stripe has it now: what the service must mirror. */
export async function stripeSubscriptionStates(stripe: Stripe): Promise<string[]> {
  const subs = await stripe.subscriptions.list({ status: 'all', limit: 100 }).autoPagingToArray({ limit: 10000 });
  return subs.map((s) => JSON.stringify([s.id, s.status, s.cancel_at_period_end])).sort();
}

export async function mirroredSubscriptionStates(db: Pool): Promise<string[]> {
  const found = await rows<{ id: string; status: string; cancel: boolean }>(
    db,
    `SELECT stripe_subscription_id AS id, status, cancel_at_period_end AS cancel FROM subscriptions WHERE stripe_subscription_id IS NOT NULL`,
  );
  return found.map((r) => JSON.stringify([r.id, r.status, r.cancel])).sort();
}

/** Waits until the public progress of the current campaign shows what the ledger holds; answers it. */
export async function settledProgress(
  baseUrl: string,
  db: Pool,
  timeoutMs = 15000,
): Promise<{ raised: number; supporters: number } & Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${baseUrl}/api/campaigns/current/progress`);
    if (res.status !== 200) throw new Error(`progress answered ${res.status}`);
    const body = (await res.json()) as { raised: number; supporters: number } & Record<string, unknown>;
    const raised = await ledgerRaised(db);
    if (body.raised === raised) return body;
    if (Date.now() > deadline) throw new Error(`progress shows raised ${body.raised}, the ledger ${raised}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
