import type Stripe from 'stripe';
import { loadConfig } from '@app/config';
import { createApp } from '../apps/api/src/bootstrap';
import { simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

/**
 * The inbox stores concurrent deliveries together (one INSERT and one commit for all that
 * arrive meanwhile): each event is still stored exactly once, every delivery is counted, a
 * redelivery in the same batch is answered as a duplicate, and one body the database refuses
 * fails alone.
 */
describe('webhook inbox: acknowledgements stored in batches', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** An event of a type no handler takes (stored already settled: nothing else happens). */
  const event = (id: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      id,
      object: 'event',
      type: 'customer.created',
      api_version: '2025-03-31.basil',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: { id: `cus_${id.slice(4)}`, object: 'customer', ...extra } },
    });
  const deliver = (payload: string) =>
    t.http
      .post('/api/stripe/webhook')
      .set('content-type', 'application/json')
      .set('stripe-signature', t.stripe.webhooks.generateTestHeaderString({ payload, secret: t.webhookSecret }))
      .send(payload);

  it('40 concurrent deliveries of 10 events (4 each, shuffled): 10 rows, 40 deliveries counted, each event answered once as new', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `evt_batch${i}${Date.now()}`);
    const bodies = new Map(ids.map((id) => [id, event(id)]));
    const order = ids.flatMap((id) => [id, id, id, id]).sort(() => Math.random() - 0.5);
    const answers = await Promise.all(order.map((id) => deliver(bodies.get(id)!)));
    expect(answers.map((a) => a.status)).toEqual(order.map(() => 200));
    for (const id of ids) {
      const mine = answers.filter((a) => a.body.eventId === id);
      expect(mine).toHaveLength(4);
      expect(mine.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    }
    const rows = await t.query<{ id: string; deliveries: number; processed: boolean }>(
      `SELECT id, deliveries, processed_at IS NOT NULL AS processed FROM stripe_events WHERE id = ANY($1::text[]) ORDER BY id`,
      [ids],
    );
    expect(rows).toEqual([...ids].sort().map((id) => ({ id, deliveries: 4, processed: true })));
  });

  it('a row the database refuses fails only its own delivery (500, Stripe retries it); the events stored in the same batch are stored', async () => {
    const good = Array.from({ length: 12 }, (_, i) => `evt_nextto${i}${Date.now()}`);
    const poison = `evt_poison${Date.now()}`;
    // No body the service accepts is refused by PostgreSQL any more, so one row is made refusable here.
    await t.query(`ALTER TABLE stripe_events ADD CONSTRAINT test_poison CHECK (id <> '${poison}')`);
    try {
      const answers = await Promise.all([
        ...good.slice(0, 6).map((id) => deliver(event(id))),
        deliver(event(poison)),
        ...good.slice(6).map((id) => deliver(event(id))),
      ]);
      expect(answers[6].status).toBe(500);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(12);
      const stored = await t.query<{ id: string }>(`SELECT id FROM stripe_events WHERE id = ANY($1::text[])`, [
        [...good, poison],
      ]);
      expect(stored.map((r) => r.id).sort()).toEqual([...good].sort());
    } finally {
      await t.query(`ALTER TABLE stripe_events DROP CONSTRAINT test_poison`);
    }
    // Redelivered once the cause is gone, it is stored.
    expect((await deliver(event(poison))).status).toBe(200);
  });

  it('an event dated beyond what a timestamp holds gets 400 naming the body, nothing stored', async () => {
    const id = `evt_far${Date.now()}`;
    const body = event(id).replace(/"created":\d+/, '"created":1000000000000000');
    const res = await deliver(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'WEBHOOK_PAYLOAD_INVALID', field: 'body' });
    expect(await t.query(`SELECT 1 FROM stripe_events WHERE id = $1`, [id])).toHaveLength(0);
  });

  it('events about the same checkout or charge share an ordering key (their handlers say); others have none', () => {
    const ev = (type: string, object: Record<string, unknown>) =>
      ({ type, data: { object } }) as unknown as Stripe.Event;
    const orderingKey = (event: Stripe.Event) => t.inbox.orderingKey(event);
    expect(
      orderingKey(
        ev('checkout.session.completed', { object: 'checkout.session', id: 'cs_1', metadata: { checkout_id: 'c1' } }),
      ),
    ).toBe('checkout:c1');
    expect(
      orderingKey(
        ev('customer.subscription.updated', { object: 'subscription', id: 'sub_1', metadata: { checkout_id: 'c1' } }),
      ),
    ).toBe('checkout:c1');
    expect(
      orderingKey(
        ev('invoice.paid', {
          object: 'invoice',
          id: 'in_1',
          parent: { subscription_details: { metadata: { checkout_id: 'c1' } } },
        }),
      ),
    ).toBe('checkout:c1');
    expect(orderingKey(ev('charge.updated', { object: 'charge', id: 'ch_1', metadata: { checkout_id: 'c1' } }))).toBe(
      'charge:ch_1',
    );
    expect(orderingKey(ev('charge.refunded', { object: 'charge', id: 'ch_1' }))).toBe('charge:ch_1');
    expect(orderingKey(ev('refund.created', { object: 'refund', id: 're_1', charge: 'ch_1' }))).toBe('charge:ch_1');
    expect(orderingKey(ev('charge.dispute.created', { object: 'dispute', id: 'du_1', charge: { id: 'ch_1' } }))).toBe(
      'charge:ch_1',
    );
    expect(orderingKey(ev('customer.created', { object: 'customer', id: 'cus_1' }))).toBeNull();
  });
});

/**
 * WEBHOOK_WORKER_CONCURRENCY=0: an instance that only receives. Another instance on the same
 * database, woken by PostgreSQL's notification (its retry poll is off here), processes what the
 * first stored. PostgreSQL only: the embedded database lives inside one process.
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
onPostgres('webhook inbox: one instance receives, another processes', () => {
  let t: TestContext;
  let worker: Awaited<ReturnType<typeof createApp>> | undefined;

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_WORKER_CONCURRENCY: '0' });
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
  });

  it('a payment received by the receiving instance is recorded once, by the other instance', async () => {
    const { id } = (
      await t.http
        .post('/api/donations')
        .send({ amount: 4200, frequency: 'one_off', email: 'split@example.com' })
        .expect(201)
    ).body;
    const [{ stripe_session_id: sessionId }] = await t.query<{ stripe_session_id: string }>(
      `SELECT stripe_session_id FROM checkouts WHERE id = $1`,
      [id],
    );
    await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${sessionId}/complete`);
    await t.sim.idle();
    // Received and stored, and nobody processes them here.
    const waiting = await t.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM stripe_events WHERE processed_at IS NULL`,
    );
    expect(waiting[0].n).toBeGreaterThan(0);
    expect(await t.query(`SELECT 1 FROM ledger_entries WHERE checkout_id = $1`, [id])).toHaveLength(0);

    const c = t.config;
    worker = await createApp(
      loadConfig({
        DATABASE_URL: c.DATABASE_URL,
        STRIPE_SECRET_KEY: 'sk_test_e2e',
        STRIPE_WEBHOOK_SECRET: t.webhookSecret,
        STRIPE_API_URL: t.sim.url,
        PUBLIC_BASE_URL: c.PUBLIC_BASE_URL,
        LOG_LEVEL: 'silent',
        WEBHOOK_RETRY_INTERVAL_MS: '0',
        WEBHOOK_RECOVERY_INTERVAL_MS: '0',
        RATE_LIMIT_PER_MINUTE: '0',
      }),
    );
    await worker.init();
    await t.settled();
    const entries = await t.query<{ kind: string; gross: string }>(
      `SELECT kind, gross FROM ledger_entries WHERE checkout_id = $1 ORDER BY id`,
      [id],
    );
    expect(entries).toEqual([{ kind: 'payment', gross: '4200' }]);

    // A new event reaches the receiver; the worker is woken by the notification, not by a poll.
    const payload = JSON.stringify({
      id: `evt_split${Date.now()}`,
      object: 'event',
      type: 'charge.updated',
      api_version: '2025-03-31.basil',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: { id: 'ch_not_ours', object: 'charge' } },
    });
    const res = await t.http
      .post('/api/stripe/webhook')
      .set('content-type', 'application/json')
      .set('stripe-signature', t.stripe.webhooks.generateTestHeaderString({ payload, secret: t.webhookSecret }))
      .send(payload);
    expect(res.body).toMatchObject({ status: 'queued', duplicate: false });
    await waitFor(
      async () =>
        (await t.query(`SELECT 1 FROM stripe_events WHERE id = $1 AND processed_at IS NOT NULL`, [res.body.eventId]))
          .length > 0,
      5000,
      'the notified worker',
    );
  });
});
