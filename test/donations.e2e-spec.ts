import { cardProcessingFee } from '@app/stripe-simulator';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LedgerRow } from './support/rows';
import { eventuallyEqual, simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

interface SimEvent {
  id: string;
  type: string;
  data: { object: { id: string } };
}

const expectedFee = cardProcessingFee;

describe('one-off donations end to end (real database, Stripe simulator over HTTP)', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const ledgerFor = (checkoutId: string) =>
    t.query<LedgerRow>(`SELECT * FROM ledger_entries WHERE checkout_id = $1 ORDER BY id`, [checkoutId]);
  const progress = async () => (await t.http.get('/api/campaigns/current/progress').expect(200)).body;
  const sessionIdOf = async (checkoutId: string) =>
    (
      await t.query<{ stripe_session_id: string }>(`SELECT stripe_session_id FROM checkouts WHERE id = $1`, [
        checkoutId,
      ])
    )[0].stripe_session_id;
  const totals = (rows: LedgerRow[]) => ({
    payments: rows.filter((r) => r.kind === 'payment').length,
    gross: rows.reduce((s, r) => s + Number(r.gross), 0),
    fee: rows.reduce((s, r) => s + Number(r.fee), 0),
    net: rows.reduce((s, r) => s + Number(r.net), 0),
  });

  async function donate(amount: number, email = 'reader@example.com', extra: Record<string, unknown> = {}) {
    const res = await t.http
      .post('/api/donations')
      .send({ amount, frequency: 'one_off', email, name: 'Jenny Rosen', ...extra })
      .expect(201);
    expect(Object.keys(res.body).sort()).toEqual(['checkoutUrl', 'id']);
    return res.body as { id: string; checkoutUrl: string };
  }

  /** Waits until the payment and its fee are in the ledger. */
  async function settled(checkoutId: string, amount: number) {
    return waitFor(
      async () => {
        const rows = await ledgerFor(checkoutId);
        const s = totals(rows);
        return s.payments === 1 && s.fee === expectedFee(amount) ? rows : null;
      },
      15000,
      `payment of ${amount} with its fee`,
    );
  }

  it('a reader gives 25.00: paid on the checkout page, recorded once with fee and net, progress grows', async () => {
    const before = await progress();
    expect(before).toMatchObject({ slug: 'fighting-fund', currency: 'AUD', target: 25000000, endsAt: null });

    const { id, checkoutUrl } = await donate(2500, 'Jenny@Example.com');
    expect(checkoutUrl.startsWith(t.sim.url)).toBe(true);

    // The reader opens the hosted page and presses Pay, as a browser would.
    const pageRes = await fetch(checkoutUrl);
    const html = await pageRes.text();
    expect(html).toContain('25.00');
    expect(html).toMatch(/>\s*Pay\s*</);
    const payRes = await fetch(`${checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
    expect(payRes.status).toBe(303);
    expect(payRes.headers.get('location')).toContain(`/checkout/complete?checkout=${id}`);

    const rows = await settled(id, 2500);
    expect(totals(rows)).toEqual({ payments: 1, gross: 2500, fee: 73, net: 2427 });
    const payment = rows.find((r) => r.kind === 'payment')!;
    expect(payment).toMatchObject({ type: 'donation', channel: 'online', currency: 'AUD' });

    const supporters = await t.query<{ id: string; email: string; name: string }>(
      `SELECT * FROM supporters WHERE lower(email) = 'jenny@example.com'`,
    );
    expect(supporters).toHaveLength(1);
    expect(payment.supporter_id).toBe(supporters[0].id);

    const status = (await t.http.get(`/api/donations/${id}`).expect(200)).body;
    expect(status).toMatchObject({ id, status: 'complete', amount: 2500, currency: 'AUD', campaign: 'fighting-fund' });

    const delta = async () => {
      const now = await progress();
      return { raised: now.raised - before.raised, supporters: now.supporters - before.supporters };
    };
    await eventuallyEqual(delta, { raised: 2500, supporters: 1 });

    // The same reader (email in another case) giving again is the same supporter.
    const second = await donate(1000, 'jenny@example.com');
    await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${await sessionIdOf(second.id)}/complete`);
    await settled(second.id, 1000);
    expect(await t.query(`SELECT id FROM supporters WHERE lower(email) = 'jenny@example.com'`)).toHaveLength(1);
    await eventuallyEqual(delta, { raised: 3500, supporters: 1 });
  });

  it('a blank "Name on card" stays blank: the supporter keeps the name given to the API, Stripe\'s customer has no name', async () => {
    const payBlank = async (checkoutUrl: string) => {
      // What the Pay button posts when the reader leaves "Name on card" empty.
      const res = await fetch(`${checkoutUrl}/pay`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=&name=',
      });
      expect(res.status).toBe(303);
    };
    const named = await donate(1500, 'named-blank-card@example.com', { name: 'Ana María López' });
    await payBlank(named.checkoutUrl);
    const none = (
      await t.http
        .post('/api/donations')
        .send({ amount: 1600, frequency: 'one_off', email: 'anonymous-blank-card@example.com' })
        .expect(201)
    ).body as { id: string; checkoutUrl: string };
    await payBlank(none.checkoutUrl);
    await settled(named.id, 1500);
    await settled(none.id, 1600);

    const supporter = async (email: string) =>
      (
        await t.query<{ name: string | null; stripe_customer_id: string }>(
          `SELECT name, stripe_customer_id FROM supporters WHERE email = $1`,
          [email],
        )
      )[0];
    const givenName = await supporter('named-blank-card@example.com');
    const noName = await supporter('anonymous-blank-card@example.com');
    expect(givenName.name).toBe('Ana María López');
    expect(noName.name).toBeNull();
    for (const s of [givenName, noName]) {
      const customer = await t.stripe.customers.retrieve(s.stripe_customer_id);
      expect('name' in customer && customer.name).toBeNull();
      const session = (await t.stripe.checkout.sessions.list({ customer: s.stripe_customer_id, limit: 1 })).data[0];
      expect(session?.customer_details?.name ?? null).toBeNull();
    }
  });

  it('every event delivered again, and 20 times concurrently, still leaves one payment and one fee', async () => {
    const { id } = await donate(4000);
    const sessionId = await sessionIdOf(id);
    await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${sessionId}/complete`);
    await settled(id, 4000);
    await t.sim.idle();
    const raisedBefore = (await progress()).raised;

    const events = (await simControl<SimEvent[]>(t.sim, 'GET', '/_simulator/events')).filter((e) =>
      ['checkout.session.completed', 'charge.succeeded', 'charge.updated', 'payment_intent.succeeded'].includes(e.type),
    );
    const ours = [];
    for (const e of events) {
      const obj = e.data.object as unknown as {
        id: string;
        payment_intent?: string;
        metadata?: Record<string, string>;
      };
      if (obj.id === sessionId || obj.metadata?.checkout_id === id) ours.push(e);
    }
    expect(ours.length).toBeGreaterThanOrEqual(4);
    for (const e of ours) await simControl(t.sim, 'POST', `/_simulator/events/${e.id}/resend`);
    await Promise.all(
      ours.flatMap((e) =>
        Array.from({ length: 20 }, () => simControl(t.sim, 'POST', `/_simulator/events/${e.id}/resend`)),
      ),
    );
    await t.settled();

    const rows = await ledgerFor(id);
    expect(totals(rows)).toEqual({ payments: 1, gross: 4000, fee: expectedFee(4000), net: 4000 - expectedFee(4000) });
    await new Promise((r) => setTimeout(r, 200)); // several refresh intervals: a doubled payment would show
    expect((await progress()).raised).toBe(raisedBefore);
    const [inbox] = await t.query<{ deliveries: number }>(`SELECT deliveries FROM stripe_events WHERE id = $1`, [
      ours[0].id,
    ]);
    expect(inbox.deliveries).toBeGreaterThanOrEqual(22);
  });

  it('events arriving out of order (fee first, session last) record the payment once with its fee', async () => {
    t.sim.configureWebhook({ enabled: false });
    try {
      const { id } = await donate(5000);
      const sessionId = await sessionIdOf(id);
      await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${sessionId}/complete`);
      await simControl(t.sim, 'POST', '/_simulator/flush');
      const events = (await simControl<SimEvent[]>(t.sim, 'GET', '/_simulator/events')).filter((e) => {
        const obj = e.data.object as unknown as { id: string; metadata?: Record<string, string> };
        return obj.id === sessionId || obj.metadata?.checkout_id === id;
      });
      const order = ['charge.updated', 'charge.succeeded', 'payment_intent.succeeded', 'checkout.session.completed'];
      t.sim.configureWebhook({ enabled: true });
      for (const type of order) {
        const e = events.find((x) => x.type === type);
        expect(e).toBeDefined();
        await simControl(t.sim, 'POST', `/_simulator/events/${e!.id}/resend`);
        // Processed before the next one arrives: the order is the test.
        await waitFor(
          async () =>
            (await t.query(`SELECT 1 FROM stripe_events WHERE id = $1 AND processed_at IS NOT NULL`, [e!.id]))
              .length === 1,
          10000,
          `${type} processed`,
        );
      }
      const rows = await ledgerFor(id);
      expect(rows.map((r) => r.kind)).toEqual(['payment']);
      expect(totals(rows)).toEqual({ payments: 1, gross: 5000, fee: expectedFee(5000), net: 5000 - expectedFee(5000) });
    } finally {
      t.sim.configureWebhook({ enabled: true });
    }
  });

  it('a bad or missing signature is a 400 and stores nothing', async () => {
    const [{ count: before }] = await t.query<{ count: string }>(`SELECT count(*) FROM stripe_events`);
    const payload = JSON.stringify({
      id: 'evt_forged',
      object: 'event',
      type: 'checkout.session.completed',
      data: { object: {} },
    });
    const forged = t.stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_wrongsecret' });
    const bad = await t.http
      .post('/api/stripe/webhook')
      .set('content-type', 'application/json')
      .set('stripe-signature', forged)
      .send(payload)
      .expect(400);
    expect(bad.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'WEBHOOK_SIGNATURE_INVALID' });
    const missing = await t.http
      .post('/api/stripe/webhook')
      .set('content-type', 'application/json')
      .send(payload)
      .expect(400);
    expect(missing.body.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    // A valid signature over a different body is also refused.
    const signed = t.stripe.webhooks.generateTestHeaderString({ payload, secret: t.webhookSecret });
    await t.http
      .post('/api/stripe/webhook')
      .set('content-type', 'application/json')
      .set('stripe-signature', signed)
      .send(payload.replace('forged', 'forged2'))
      .expect(400);
    const [{ count: after }] = await t.query<{ count: string }>(`SELECT count(*) FROM stripe_events`);
    expect(after).toBe(before);
  });

  it("accepts events in Stripe's real shapes (fixtures3.json): a checkout.session.completed and an unhandled type", async () => {
    const sharedPath = join(__dirname, '../../shared/stripe/fixtures3.json');
    const fixtures = JSON.parse(
      readFileSync(
        existsSync(sharedPath) ? sharedPath : join(__dirname, '../libs/stripe-simulator/src/fixtures/fixtures3.json'),
        'utf8',
      ),
    ).resources;

    t.sim.configureWebhook({ enabled: false });
    let id: string;
    let sessionId: string;
    try {
      ({ id } = await donate(1234));
      sessionId = await sessionIdOf(id);
      await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${sessionId}/complete`);
      await simControl(t.sim, 'POST', '/_simulator/flush');
    } finally {
      t.sim.configureWebhook({ enabled: true });
    }
    const real = await t.stripe.checkout.sessions.retrieve(sessionId);
    const session = {
      ...fixtures['checkout.session'],
      id: sessionId,
      status: 'complete',
      payment_status: 'paid',
      amount_total: 1234,
      amount_subtotal: 1234,
      currency: 'aud',
      payment_intent: real.payment_intent,
      metadata: { checkout_id: id },
    };
    const event = {
      ...fixtures.event,
      id: 'evt_fixture_session_1',
      type: 'checkout.session.completed',
      api_version: '2026-10-28.endive',
      created: Math.floor(Date.now() / 1000),
      data: { object: session },
    };
    const payload = JSON.stringify(event);
    const res = await t.http
      .post('/api/stripe/webhook')
      .set('content-type', 'application/json')
      .set('stripe-signature', t.stripe.webhooks.generateTestHeaderString({ payload, secret: t.webhookSecret }))
      .send(payload)
      .expect(200);
    expect(res.body).toMatchObject({ eventId: 'evt_fixture_session_1', status: 'queued', duplicate: false });
    await t.settled();
    expect(totals(await ledgerFor(id))).toEqual({
      payments: 1,
      gross: 1234,
      fee: expectedFee(1234),
      net: 1234 - expectedFee(1234),
    });

    // An event type nobody handles (the fixture's own plan.created) is stored and acknowledged.
    const other = JSON.stringify({ ...fixtures.event, id: 'evt_fixture_plan_1' });
    const ack = await t.http
      .post('/api/stripe/webhook')
      .set('content-type', 'application/json')
      .set('stripe-signature', t.stripe.webhooks.generateTestHeaderString({ payload: other, secret: t.webhookSecret }))
      .send(other)
      .expect(200);
    // No handler wants it: stored already settled, the worker never sees it.
    expect(ack.body).toMatchObject({ eventId: 'evt_fixture_plan_1', type: 'plan.created', status: 'processed' });
    await t.settled();
    const [stored] = await t.query<{ outcome: string; processed_at: Date | null }>(
      `SELECT outcome, processed_at FROM stripe_events WHERE id = 'evt_fixture_plan_1'`,
    );
    expect(stored.outcome).toMatch(/^ignored/);
    expect(stored.processed_at).not.toBeNull();
  });

  it('a processing failure is recorded, acknowledged, and retried until it succeeds', async () => {
    t.sim.configureWebhook({ enabled: false });
    let id: string;
    let sessionId: string;
    let completed: SimEvent | undefined;
    try {
      ({ id } = await donate(2000));
      sessionId = await sessionIdOf(id);
      await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${sessionId}/complete`);
      await simControl(t.sim, 'POST', '/_simulator/flush');
      completed = (await simControl<SimEvent[]>(t.sim, 'GET', '/_simulator/events')).find(
        (e) => e.type === 'checkout.session.completed' && e.data.object.id === sessionId,
      );
    } finally {
      t.sim.configureWebhook({ enabled: true });
    }
    expect(completed).toBeDefined();
    // Stripe's API is down while the event arrives: the event is stored, answered 2xx, and the failure kept.
    await simControl(t.sim, 'POST', '/_simulator/outage', { requests: 10 });
    await simControl(t.sim, 'POST', `/_simulator/events/${completed!.id}/resend`);
    const [failed] = await waitFor(
      async () => {
        const rows = await t.query<{ processed_at: Date | null; attempts: number; last_error: string | null }>(
          `SELECT * FROM stripe_events WHERE id = $1 AND last_error IS NOT NULL`,
          [completed!.id],
        );
        return rows.length ? rows : null;
      },
      10000,
      'the failed attempt',
    );
    expect(failed.processed_at).toBeNull();
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toBeTruthy();
    expect(await ledgerFor(id)).toHaveLength(0);

    await simControl(t.sim, 'POST', '/_simulator/outage', { requests: 0 });
    await t.query(`UPDATE stripe_events SET next_attempt_at = now() WHERE id = $1`, [completed!.id]);
    await t.inbox.sweep();
    const [done] = await t.query<{ processed_at: Date | null; attempts: number; last_error: string | null }>(
      `SELECT * FROM stripe_events WHERE id = $1`,
      [completed!.id],
    );
    expect(done.processed_at).not.toBeNull();
    expect(done.attempts).toBe(2);
    expect(done.last_error).toBeNull();
    expect(totals(await ledgerFor(id))).toMatchObject({ payments: 1, gross: 2000 });
  });

  it('an abandoned checkout that expires is marked expired and records no money', async () => {
    const { id } = await donate(1500);
    await t.stripe.checkout.sessions.expire(await sessionIdOf(id));
    await waitFor(
      async () => (await t.http.get(`/api/donations/${id}`)).body.status === 'expired',
      5000,
      'expired status',
    );
    expect(await ledgerFor(id)).toHaveLength(0);
  });

  describe('bad input: 400 naming the field, nothing stored, no Stripe session', () => {
    const valid = { amount: 2500, frequency: 'one_off', email: 'reader@example.com' };
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['negative amount', { ...valid, amount: -500 }, 'amount'],
      ['zero amount', { ...valid, amount: 0 }, 'amount'],
      ['fractional amount', { ...valid, amount: 25.5 }, 'amount'],
      ['amount below the minimum', { ...valid, amount: 99 }, 'amount'],
      ['amount above the maximum', { ...valid, amount: 10_000_001 }, 'amount'],
      ['huge amount', { ...valid, amount: 1e300 }, 'amount'],
      ['amount as a string', { ...valid, amount: '2500' }, 'amount'],
      ['missing amount', { frequency: 'one_off', email: 'reader@example.com' }, 'amount'],
      ['unknown field', { ...valid, tip: 100 }, 'tip'],
      ['bad email', { ...valid, email: 'not-an-email' }, 'email'],
      ['missing email', { amount: 2500, frequency: 'one_off' }, 'email'],
      ['bad frequency', { ...valid, frequency: 'weekly' }, 'frequency'],
      ['unknown campaign', { ...valid, campaign: 'no-such-campaign' }, 'campaign'],
      ['malformed campaign', { ...valid, campaign: 'Not A Slug!' }, 'campaign'],
      ['name of the wrong type', { ...valid, name: 42 }, 'name'],
    ];

    it.each(cases)('%s', async (_label, body, field) => {
      const [{ count: checkoutsBefore }] = await t.query<{ count: string }>(`SELECT count(*) FROM checkouts`);
      const sessionsBefore = (await t.stripe.checkout.sessions.list({ limit: 100 })).data.length;
      const res = await t.http.post('/api/donations').send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', field });
      expect(res.body.message).toContain(field);
      expect(typeof res.body.code).toBe('string');
      const [{ count: checkoutsAfter }] = await t.query<{ count: string }>(`SELECT count(*) FROM checkouts`);
      expect(checkoutsAfter).toBe(checkoutsBefore);
      expect((await t.stripe.checkout.sessions.list({ limit: 100 })).data.length).toBe(sessionsBefore);
    });

    it('a body that is not JSON is a 400', async () => {
      const res = await t.http
        .post('/api/donations')
        .set('content-type', 'application/json')
        .send('{"amount":')
        .expect(400);
      expect(res.body.statusCode).toBe(400);
    });
  });

  it('unknown campaign progress is a 404 in the error shape; health answers ok; OpenAPI is served', async () => {
    const res = await t.http.get('/api/campaigns/nope/progress').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found', code: 'CAMPAIGN_NOT_FOUND' });
    await t.http.get('/health').expect(200, { status: 'ok' });
    for (const id of ['-'.repeat(36), 'f'.repeat(36), 'not-a-uuid']) {
      expect((await t.http.get(`/api/donations/${id}`).expect(404)).body.code).toBe('NOT_FOUND');
    }
    const spec = (await t.http.get('/docs/openapi.json').expect(200)).body;
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/donations', '/api/campaigns/{slug}/progress', '/api/stripe/webhook', '/health']),
    );
    const headers = (await t.http.get('/health')).headers;
    expect(headers['x-request-id']).toBeTruthy();
    expect(headers['x-content-type-options']).toBe('nosniff');
  });
});
