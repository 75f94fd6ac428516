import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { PaymentNotYetRecordedError } from '@app/refunds';
import { StripeGateway } from '@app/stripe';
import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

/** Stripe's published example of every object (`../shared/stripe/fixtures3.json`, copied beside the simulator). */
const FIXTURES = (
  JSON.parse(readFileSync(join(__dirname, '../libs/stripe-simulator/src/fixtures/fixtures3.json'), 'utf8')) as {
    resources: Record<string, Record<string, unknown>>;
  }
).resources;

/** The event types Stripe sends about each kind of object, as a second integration would receive them. */
const TYPES: Record<string, string[]> = {
  charge: [
    'charge.succeeded',
    'charge.updated',
    'charge.captured',
    'charge.failed',
    'charge.refunded',
    'charge.pending',
    'charge.expired',
  ],
  refund: ['refund.created', 'refund.updated', 'refund.failed', 'charge.refund.updated'],
  dispute: [
    'charge.dispute.created',
    'charge.dispute.funds_withdrawn',
    'charge.dispute.updated',
    'charge.dispute.closed',
    'charge.dispute.funds_reinstated',
  ],
  'checkout.session': [
    'checkout.session.completed',
    'checkout.session.async_payment_succeeded',
    'checkout.session.async_payment_failed',
    'checkout.session.expired',
  ],
  invoice: [
    'invoice.created',
    'invoice.finalized',
    'invoice.paid',
    'invoice.payment_succeeded',
    'invoice.payment_failed',
    'invoice.updated',
  ],
  subscription: [
    'customer.subscription.created',
    'customer.subscription.updated',
    'customer.subscription.deleted',
    'customer.subscription.paused',
    'customer.subscription.resumed',
  ],
  payment_intent: [
    'payment_intent.created',
    'payment_intent.succeeded',
    'payment_intent.payment_failed',
    'payment_intent.canceled',
  ],
  invoice_payment: ['invoice_payment.paid'],
  customer: ['customer.created', 'customer.updated'],
  payout: ['payout.created', 'payout.paid'],
};

/** Variants of the published objects in the states live events carry them (refunded, failed, paid, lost). */
const VARIANTS: Array<[string, string, Record<string, unknown>]> = [
  ['charge', 'charge.refunded', { amount_refunded: 100, refunded: true, amount_captured: 100, captured: true }],
  [
    'refund',
    'refund.updated',
    {
      status: 'failed',
      failure_reason: 'expired_or_canceled_card',
      failure_balance_transaction: 'txn_1PgaxNB7WZ01zgkWEV3TLf40',
    },
  ],
  ['refund', 'refund.failed', { status: 'failed', failure_reason: 'lost_or_stolen_card' }],
  ['dispute', 'charge.dispute.closed', { status: 'lost' }],
  ['dispute', 'charge.dispute.created', { status: 'needs_response' }],
  ['checkout.session', 'checkout.session.completed', { status: 'complete', payment_status: 'paid' }],
  [
    'checkout.session',
    'checkout.session.completed',
    {
      status: 'complete',
      payment_status: 'paid',
      mode: 'subscription',
      subscription: 'sub_1Pgc6rB7WZ01zgkWNy0Cn5nw',
      invoice: 'in_1Pgc6tB7WZ01zgkWu9fdqL6I',
    },
  ],
  [
    'invoice',
    'invoice.paid',
    {
      status: 'paid',
      amount_paid: 2000,
      parent: {
        type: 'subscription_details',
        quote_details: null,
        subscription_details: { metadata: { order: 'A-17' }, subscription: 'sub_1Pgc6rB7WZ01zgkWNy0Cn5nw' },
      },
    },
  ],
  ['subscription', 'customer.subscription.updated', { status: 'past_due' }],
];

let seq = 0;
function wrap(type: string, object: Record<string, unknown>): string {
  const id = `evt_foreign${Date.now()}x${seq++}`;
  return JSON.stringify({
    id,
    object: 'event',
    api_version: '2025-09-30.clover',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  });
}

/**
 * Events this service never caused, fed to the real endpoint: Stripe's published objects wrapped
 * as events of every type they come in (most about objects no Stripe account has), and the events
 * of a second integration on the same Stripe account (its own Checkout payments, their refunds and
 * disputes, a subscription and the refund of its invoice). Each is answered 200, settled at once
 * with an outcome that says why, never retried or parked, and no total moves.
 */
describe('events of another integration and of objects Stripe does not have: settled at once, totals unchanged', () => {
  let t: TestContext;
  let finance: string;

  beforeAll(async () => {
    t = await startTestApp();
    finance = await signedIn(t, 'finance');
  });
  afterAll(async () => {
    await t?.close();
  });

  const deliver = (payload: string) =>
    t.http
      .post('/api/stripe/webhook')
      .set('content-type', 'application/json')
      .set('stripe-signature', t.stripe.webhooks.generateTestHeaderString({ payload, secret: t.webhookSecret }))
      .send(payload);

  const totals = async () => {
    const progress = (await t.http.get('/api/campaigns/current/progress').expect(200)).body;
    const summary = (
      await t.http
        .get('/api/reports/summary')
        .query({ from: '2020-01-01', to: '2030-12-31', interval: 'month' })
        .set('authorization', finance)
        .expect(200)
    ).body;
    const [ledger] = await t.query<{ n: number; gross: string; fee: string }>(
      `SELECT count(*)::int AS n, COALESCE(sum(gross), 0)::text AS gross, COALESCE(sum(fee), 0)::text AS fee FROM ledger_entries`,
    );
    const [subs] = await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM subscriptions`);
    return {
      raised: progress.raised,
      supporters: progress.supporters,
      summary: summary.totals,
      ledger,
      subscriptions: subs.n,
    };
  };

  /** A payment of the shop (another integration's own Checkout, no metadata of ours); its charge id. */
  const shopPayment = async (amount: number) => {
    const session = await t.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        { quantity: 1, price_data: { currency: 'aud', unit_amount: amount, product_data: { name: 'Tote bag' } } },
      ],
      metadata: { order: `shop-${amount}` },
      payment_intent_data: { metadata: { order: `shop-${amount}` } },
      success_url: 'https://shop.example/thanks',
      cancel_url: 'https://shop.example/cart',
    });
    const done = await simControl<Stripe.Checkout.Session>(
      t.sim,
      'POST',
      `/_simulator/checkout/sessions/${session.id}/complete`,
      { email: 'buyer@example.com' },
    );
    const pi = await t.stripe.paymentIntents.retrieve(done.payment_intent as string);
    return pi.latest_charge as string;
  };

  /** Every event of `ids` is processed with an outcome, within a few seconds; none failed, waits for a retry or is parked. */
  const expectSettled = async (ids: string[], within = 5000) => {
    const rows = () =>
      t.query<{
        id: string;
        type: string;
        processed: boolean;
        outcome: string | null;
        last_error: string | null;
        attempts: number;
        parked: boolean;
      }>(
        `SELECT id, type, processed_at IS NOT NULL AS processed, outcome, last_error, attempts, next_attempt_at = 'infinity' AS parked FROM stripe_events WHERE id = ANY($1::text[])`,
        [ids],
      );
    await waitFor(
      async () => (await rows()).every((r) => r.processed) && (await rows()).length === ids.length,
      within,
      'every event settled',
    ).catch(async (err) => {
      const open = (await rows()).filter((r) => !r.processed);
      throw new Error(
        `${err.message}; not settled: ${JSON.stringify(
          open.map((r) => ({ type: r.type, attempts: r.attempts, err: r.last_error?.slice(0, 160) })),
          null,
          1,
        )}`,
      );
    });
    const all = await rows();
    expect(all).toHaveLength(ids.length);
    expect(all.filter((r) => !r.outcome || r.last_error !== null || r.parked)).toEqual([]);
    return all;
  };

  it("Stripe's published objects wrapped as events of every type: 200 each, all settled within seconds with an outcome, totals unchanged", async () => {
    await paidDonation(t, 4000);
    const before = await totals();
    const payloads: string[] = [];
    for (const [resource, types] of Object.entries(TYPES)) {
      for (const type of types) payloads.push(wrap(type, structuredClone(FIXTURES[resource])));
    }
    for (const [resource, type, patch] of VARIANTS) {
      payloads.push(wrap(type, { ...structuredClone(FIXTURES[resource]), ...patch }));
    }

    const answers = await Promise.all(payloads.map((p) => deliver(p)));
    expect(answers.map((a) => a.status)).toEqual(payloads.map(() => 200));
    const ids = payloads.map((p) => JSON.parse(p).id as string);
    const rows = await expectSettled(ids);
    // Objects no Stripe account has are named as such, not retried.
    if (process.env.SHOW_OUTCOMES) console.log(rows.map((r) => `${r.type}: ${r.outcome}`).join('\n'));
    expect(
      rows
        .filter((r) => r.type.startsWith('charge.dispute.') && r.type !== 'charge.dispute.updated')
        .every((r) => r.outcome!.startsWith('no longer on Stripe')),
    ).toBe(true);
    expect(
      rows
        .filter((r) => r.type.startsWith('customer.subscription.'))
        .every((r) => r.outcome!.startsWith('no longer on Stripe')),
    ).toBe(true);
    expect(await totals()).toEqual(before);
  });

  it('a second integration on the same Stripe account (its payments, refunds, disputes and a subscription): every event settled, the refunds and disputes as "not ours", totals unchanged', async () => {
    await paidDonation(t, 2500);
    const before = await totals();
    const [{ last }] = await t.query<{ last: Date }>(
      `SELECT COALESCE(max(received_at), now()) AS last FROM stripe_events`,
    );

    const refunded = await shopPayment(3300);
    const partly = await shopPayment(5100);
    const disputedLost = await shopPayment(2700);
    const disputedWon = await shopPayment(1900);
    await t.stripe.refunds.create({ charge: refunded });
    await t.stripe.refunds.create({ charge: partly, amount: 1000 });
    await simControl(t.sim, 'POST', `/_simulator/charges/${partly}/refund`, { amount: 500 });
    const lost = await simControl<{ id: string }>(t.sim, 'POST', `/_simulator/charges/${disputedLost}/dispute`, {});
    await simControl(t.sim, 'POST', `/_simulator/disputes/${lost.id}/close`, { status: 'lost' });
    const won = await simControl<{ id: string }>(t.sim, 'POST', `/_simulator/charges/${disputedWon}/dispute`, {});
    await simControl(t.sim, 'POST', `/_simulator/disputes/${won.id}/close`, { status: 'won' });

    // The events system's memberships: a subscription of its own, whose first invoice is refunded.
    const product = await t.stripe.products.create({ name: 'Events pass' });
    const price = await t.stripe.prices.create({
      currency: 'aud',
      unit_amount: 1500,
      product: product.id,
      recurring: { interval: 'month' },
    });
    const session = await t.stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price: price.id, quantity: 1 }],
      customer_email: 'member@example.com',
      metadata: { member: 'm-9' },
      subscription_data: { metadata: { member: 'm-9' } },
      success_url: 'https://events.example/welcome',
      cancel_url: 'https://events.example/join',
    });
    const paid = await simControl<Stripe.Checkout.Session>(
      t.sim,
      'POST',
      `/_simulator/checkout/sessions/${session.id}/complete`,
      { name: 'Member' },
    );
    const [invoicePayment] = (await t.stripe.invoicePayments.list({ invoice: paid.invoice as string })).data;
    const pi = await t.stripe.paymentIntents.retrieve(invoicePayment.payment.payment_intent as string);
    await t.stripe.refunds.create({ charge: pi.latest_charge as string });
    await simControl(t.sim, 'POST', `/_simulator/charges/${pi.latest_charge as string}/dispute`, { amount: 500 }).catch(
      () => undefined,
    );

    await t.sim.idle();
    const events = await t.query<{ id: string }>(`SELECT id FROM stripe_events WHERE received_at > $1`, [last]);
    expect(events.length).toBeGreaterThan(30);
    const rows = await expectSettled(events.map((e) => e.id));
    // Refunds and disputes of charges this service never made: settled as another integration's.
    const moneyOut = rows.filter(
      (r) =>
        r.type.startsWith('refund.') ||
        r.type === 'charge.refunded' ||
        (r.type.startsWith('charge.dispute.') && r.type !== 'charge.dispute.updated'),
    );
    expect(moneyOut.length).toBeGreaterThanOrEqual(10);
    expect(
      moneyOut.filter((r) => !r.outcome!.startsWith('not ours') && !/already recorded|no money moved/.test(r.outcome!)),
    ).toEqual([]);
    expect(moneyOut.filter((r) => r.outcome!.startsWith('not ours')).length).toBeGreaterThanOrEqual(6);
    expect(rows.every((r) => r.attempts <= 1)).toBe(true);
    expect(await totals()).toEqual(before);
  });

  (process.env.DATABASE_URL ? it : it.skip)(
    'another integration\'s refund and dispute while Stripe is slow to say whose the charge is: no connection waits idle in a transaction meanwhile, and both are settled as "not ours"',
    async () => {
      await paidDonation(t, 1200);
      const before = await totals();
      const refundedCharge = await shopPayment(4100);
      const disputedCharge = await shopPayment(2300);
      await t.settled();

      // Stripe takes 1.5 s to answer whose the charge is (the look-up made only for a charge the
      // ledger does not know).
      const gateway = t.app.get(StripeGateway);
      const original = gateway.checkoutIdsOfCharge.bind(gateway);
      let asked = 0;
      let answered = 0;
      gateway.checkoutIdsOfCharge = async (chargeId: string) => {
        asked++;
        await new Promise((r) => setTimeout(r, 1500));
        try {
          return await original(chargeId);
        } finally {
          answered++;
        }
      };
      try {
        const [{ last }] = await t.query<{ last: Date }>(`SELECT max(received_at) AS last FROM stripe_events`);
        await t.stripe.refunds.create({ charge: refundedCharge });
        await simControl(t.sim, 'POST', `/_simulator/charges/${disputedCharge}/dispute`, {});
        await waitFor(async () => asked > 0, 10000, 'the look-up asked');

        // Every connection of this database, watched while the look-ups wait on Stripe.
        const idleInTransaction: Array<{ pid: number; state: string; query: string }> = [];
        let watched = 0;
        while (asked > answered || watched === 0) {
          const rows = await t.query<{ pid: number; state: string; query: string }>(
            `SELECT pid, state, query FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
          );
          idleInTransaction.push(...rows);
          watched++;
          await new Promise((r) => setTimeout(r, 20));
        }
        expect(watched).toBeGreaterThan(10);
        expect(idleInTransaction).toEqual([]);

        await t.sim.idle();
        const events = await t.query<{ id: string; type: string }>(
          `SELECT id, type FROM stripe_events WHERE received_at > $1`,
          [last],
        );
        const rows = await expectSettled(
          events.map((e) => e.id),
          20000,
        );
        const moneyOut = rows.filter(
          (r) => r.type.startsWith('refund.') || r.type === 'charge.refunded' || r.type === 'charge.dispute.created',
        );
        expect(moneyOut.length).toBeGreaterThanOrEqual(3);
        expect(moneyOut.filter((r) => !r.outcome!.startsWith('not ours'))).toEqual([]);
        expect(asked).toBeGreaterThanOrEqual(3);
      } finally {
        gateway.checkoutIdsOfCharge = original;
      }
      expect(await totals()).toEqual(before);
    },
    40000,
  );

  it('a refund of one of our payments that arrives before the payment is "not yet": retried (not settled as "not ours"), then recorded', async () => {
    await simControl(t.sim, 'POST', '/_simulator/webhooks', { enabled: false });
    const { id: checkoutId } = (
      await t.http
        .post('/api/donations')
        .send({ amount: 1800, frequency: 'one_off', email: 'early@example.com' })
        .expect(201)
    ).body;
    const [{ stripe_session_id: sessionId }] = await t.query<{ stripe_session_id: string }>(
      `SELECT stripe_session_id FROM checkouts WHERE id = $1`,
      [checkoutId],
    );
    const session = await simControl<Stripe.Checkout.Session>(
      t.sim,
      'POST',
      `/_simulator/checkout/sessions/${sessionId}/complete`,
    );
    const chargeId = (await t.stripe.paymentIntents.retrieve(session.payment_intent as string)).latest_charge as string;
    const refund = await t.stripe.refunds.create({ charge: chargeId });
    const events = await simControl<Array<{ id: string; type: string; data: { object: { id: string } } }>>(
      t.sim,
      'GET',
      '/_simulator/events',
    );
    const refundCreated = events.find((e) => e.type === 'refund.created' && e.data.object.id === refund.id)!;
    // Only the refund's event reaches us: the payment's are still on their way.
    const { delivery: _d, ...plain } = refundCreated as typeof refundCreated & { delivery?: unknown };
    expect((await deliver(JSON.stringify(plain))).status).toBe(200);
    const waiting = await waitFor(
      async () => {
        const [row] = await t.query<{ processed: boolean; last_error: string | null; outcome: string | null }>(
          `SELECT processed_at IS NOT NULL AS processed, last_error, outcome FROM stripe_events WHERE id = $1`,
          [refundCreated.id],
        );
        return row?.last_error ? row : null;
      },
      5000,
      'the refund event tried once',
    );
    expect(waiting).toMatchObject({ processed: false, outcome: null });
    // The inbox keeps "<error name>: <message>": the failure is the "not yet" type, whatever its words.
    expect(waiting.last_error?.slice(0, waiting.last_error.indexOf(':'))).toBe(
      new PaymentNotYetRecordedError('ch').name,
    );

    // The payment's events arrive: the refund is recorded on its retry.
    await simControl(t.sim, 'POST', '/_simulator/webhooks', { enabled: true });
    for (const e of events.filter((x) => x.id !== refundCreated.id)) {
      await simControl(t.sim, 'POST', `/_simulator/events/${e.id}/resend`).catch(() => undefined);
    }
    await waitFor(
      async () => {
        await t.inbox.sweep();
        const r = await t.query(`SELECT 1 FROM ledger_entries WHERE stripe_refund_id = $1 AND kind = 'refund'`, [
          refund.id,
        ]);
        return r.length === 1;
      },
      10000,
      'refund recorded',
    );
    // Its own retry (due within a second) then finds the refund recorded.
    const done = await waitFor(
      async () => {
        await t.inbox.sweep();
        const [row] = await t.query<{ outcome: string }>(
          `SELECT outcome FROM stripe_events WHERE id = $1 AND processed_at IS NOT NULL`,
          [refundCreated.id],
        );
        return row;
      },
      10000,
      'the refund event settled',
    );
    expect(done.outcome).toMatch(/recorded refund|already recorded/);
  });
});
