import { DataSource } from 'typeorm';
import { Metrics } from '@app/observability';
import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { startTestApp, type TestContext, waitFor } from './support/test-app';

const SITE = 'https://site.example';

/** Scrapes /metrics until `check` passes (database gauges are re-read at most once a second). */
async function scrapeUntil(
  t: TestContext,
  check: (text: string) => boolean,
  what: string,
  auth?: string,
): Promise<string> {
  return waitFor(
    async () => {
      let req = t.http.get('/metrics');
      if (auth) req = req.set('authorization', auth);
      const res = await req.expect(200);
      return check(res.text) ? res.text : null;
    },
    5000,
    what,
  );
}

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('HTTP guards: per-IP rate limits, CORS, /metrics', () => {
  let t: TestContext;

  beforeAll(async () => {
    // The tests reach the app from 127.0.0.1, standing in for the proxy that writes X-Forwarded-For.
    t = await startTestApp({
      RATE_LIMIT_PER_MINUTE: '5',
      CORS_ORIGINS: `${SITE}, https://other.example`,
      TRUST_PROXY: '127.0.0.1/32',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  const checkouts = async () => Number((await t.query<{ n: string }>(`SELECT count(*) AS n FROM checkouts`))[0].n);
  const donation = (i: number) => ({ amount: 2500, frequency: 'one_off', email: `limit${i}@example.com` });

  describe('rate limits', () => {
    it('the 6th donation POST from one address within a minute is 429 RATE_LIMITED with Retry-After, and writes nothing', async () => {
      const ip = '203.0.113.10';
      for (let i = 0; i < 5; i++) {
        await t.http.post('/api/donations').set('x-forwarded-for', ip).send(donation(i)).expect(201);
      }
      const before = await checkouts();
      const limited = await t.http.post('/api/donations').set('x-forwarded-for', ip).send(donation(5)).expect(429);
      expect(limited.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.any(String),
        code: 'RATE_LIMITED',
      });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // An invalid body is refused by the limit too, before validation.
      await t.http.post('/api/donations').set('x-forwarded-for', ip).send({}).expect(429);
      expect(await checkouts()).toBe(before);
      expect(await t.query(`SELECT 1 FROM checkouts WHERE email = 'limit5@example.com'`)).toHaveLength(0);
    });

    it('another address is not limited; nor is the limited address on another route or on GETs', async () => {
      await t.http.post('/api/donations').set('x-forwarded-for', '203.0.113.11').send(donation(6)).expect(201);
      await t.http
        .post('/api/self-service/links')
        .set('x-forwarded-for', '203.0.113.10')
        .send({ email: 'someone@example.com' })
        .expect(202);
      for (let i = 0; i < 10; i++) await t.http.get('/api/tiers').set('x-forwarded-for', '203.0.113.10').expect(200);
      for (let i = 0; i < 8; i++) {
        await t.http.get('/api/campaigns/current/progress').set('x-forwarded-for', '203.0.113.10').expect(200);
      }
    });

    it('limits subscriptions, self-service links and sign-in the same way (each route its own count)', async () => {
      const ip = '203.0.113.20';
      // Invalid bodies count: a bot is limited whatever it sends.
      for (let i = 0; i < 5; i++) {
        await t.http.post('/api/subscriptions').set('x-forwarded-for', ip).send({ tier: 'digital' }).expect(400);
      }
      expect(
        (await t.http.post('/api/subscriptions').set('x-forwarded-for', ip).send({ tier: 'digital' }).expect(429)).body
          .code,
      ).toBe('RATE_LIMITED');

      for (let i = 0; i < 5; i++) {
        await t.http
          .post('/api/self-service/links')
          .set('x-forwarded-for', ip)
          .send({ email: `links${i}@example.com` })
          .expect(202);
      }
      const links = await t.http
        .post('/api/self-service/links')
        .set('x-forwarded-for', ip)
        .send({ email: 'links5@example.com' })
        .expect(429);
      expect(Number(links.headers['retry-after'])).toBeGreaterThan(0);

      // Different accounts each time, so the per-account sign-in throttle is not what answers.
      for (let i = 0; i < 5; i++) {
        await t.http
          .post('/api/auth/login')
          .set('x-forwarded-for', ip)
          .send({ email: `nobody${i}@staff.test`, password: 'not the password!' })
          .expect(401);
      }
      const login = await t.http
        .post('/api/auth/login')
        .set('x-forwarded-for', ip)
        .send({ email: 'nobody5@staff.test', password: 'not the password!' })
        .expect(429);
      expect(login.body.code).toBe('RATE_LIMITED');
      expect(Number(login.headers['retry-after'])).toBeGreaterThan(0);
      // Refused before sign-in ran: no failed attempt recorded for it.
      expect(
        await t.query(`SELECT 1 FROM audit_log WHERE action = 'auth.login_failed' AND actor = 'nobody5@staff.test'`),
      ).toHaveLength(0);
    });

    it('behind trusted proxies (TRUST_PROXY=127.0.0.1/32), the client is the right-most address that is not one of them', async () => {
      // What nginx and an ALB forward: whatever the client wrote, then the address they saw; here a
      // second local proxy appended its own too. A fresh left-most entry each time changes nothing.
      for (let i = 0; i < 5; i++) {
        await t.http
          .post('/api/donations')
          .set('x-forwarded-for', `198.51.100.${i}, 203.0.113.60, 127.0.0.1`)
          .send(donation(60 + i))
          .expect(201);
      }
      const limited = await t.http
        .post('/api/donations')
        .set('x-forwarded-for', '198.51.100.99, 203.0.113.60, 127.0.0.1')
        .send(donation(65))
        .expect(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      await t.http
        .post('/api/auth/login')
        .set('x-forwarded-for', '198.51.100.7, 203.0.113.61')
        .send({ email: 'proxied@staff.test', password: 'not the password!' })
        .expect(401);
      expect(
        await t.query(`SELECT ip FROM audit_log WHERE action = 'auth.login_failed' AND actor = 'proxied@staff.test'`),
      ).toEqual([{ ip: '203.0.113.61' }]);
    });

    it('never limits the Stripe webhook endpoint', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const res = await t.http
          .post('/api/stripe/webhook')
          .set('x-forwarded-for', '203.0.113.30')
          .set('stripe-signature', 't=1,v1=bad')
          .set('content-type', 'application/json')
          .send('{"id":"evt_x"}');
        statuses.push(res.status);
      }
      expect(statuses).toEqual(Array(8).fill(400));
    });
  });

  describe('CORS', () => {
    it('a listed origin gets Access-Control-Allow-Origin on a POST, and its preflight is answered 204', async () => {
      const res = await t.http
        .post('/api/donations')
        .set('x-forwarded-for', '203.0.113.40')
        .set('origin', SITE)
        .send(donation(40))
        .expect(201);
      expect(res.headers['access-control-allow-origin']).toBe(SITE);
      expect(res.headers.vary).toMatch(/origin/i);
      const other = await t.http.get('/api/tiers').set('origin', 'https://other.example').expect(200);
      expect(other.headers['access-control-allow-origin']).toBe('https://other.example');

      const preflight = await t.http
        .options('/api/donations')
        .set('origin', SITE)
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'content-type,idempotency-key')
        .expect(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(SITE);
      expect(preflight.headers['access-control-allow-methods']).toBe('GET,POST,PUT,PATCH');
      expect(preflight.headers['access-control-allow-headers']!.split(',')).toEqual([
        'content-type',
        'authorization',
        'idempotency-key',
        'x-api-key',
      ]);
      // The preflight reached no handler: nothing was written, nothing counted against the limit.
    });

    it('any other origin gets no CORS header', async () => {
      const res = await t.http.get('/api/tiers').set('origin', 'https://evil.example').expect(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const post = await t.http
        .post('/api/self-service/links')
        .set('x-forwarded-for', '203.0.113.41')
        .set('origin', 'https://site.example.evil.test')
        .send({ email: 'x@example.com' });
      expect(post.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await t.http
        .options('/api/donations')
        .set('origin', 'https://evil.example')
        .set('access-control-request-method', 'POST');
      expect(preflight.status).not.toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
      const noOrigin = await t.http.get('/api/tiers').expect(200);
      expect(noOrigin.headers['access-control-allow-origin']).toBeUndefined();
    });

    it('the webhook endpoint gets no CORS header even from a listed origin, and still checks the signature', async () => {
      const res = await t.http
        .post('/api/stripe/webhook')
        .set('origin', SITE)
        .set('stripe-signature', 't=1,v1=bad')
        .set('content-type', 'application/json')
        .send('{"id":"evt_y"}')
        .expect(400);
      expect(res.body.code).toBe('WEBHOOK_SIGNATURE_INVALID');
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
      const preflight = await t.http
        .options('/api/stripe/webhook')
        .set('origin', SITE)
        .set('access-control-request-method', 'POST');
      expect(preflight.status).not.toBe(204);
      expect(Object.keys(preflight.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    });

    it('public progress, its stream and the embed still answer CORS * to any origin', async () => {
      for (const origin of [SITE, 'https://evil.example']) {
        for (let i = 0; i < 2; i++) {
          // the first may take the route, the next the in-memory fast path
          const res = await t.http.get('/api/campaigns/current/progress').set('origin', origin).expect(200);
          expect(res.headers['access-control-allow-origin']).toBe('*');
        }
        const svg = await t.http.get('/embed/campaigns/current/progress.svg').set('origin', origin).expect(200);
        expect(svg.headers['access-control-allow-origin']).toBe('*');
      }
      const stream = await new Promise<Headers>((resolve, reject) => {
        const controller = new AbortController();
        fetch(`${t.baseUrl}/api/campaigns/current/progress/stream`, {
          headers: { origin: SITE },
          signal: controller.signal,
        })
          .then((r) => {
            resolve(r.headers);
            controller.abort();
          })
          .catch(reject);
      });
      expect(stream.get('access-control-allow-origin')).toBe('*');
    });
  });

  describe('/metrics', () => {
    it('answers the Prometheus text format: process metrics and request durations by route pattern', async () => {
      await t.http.get('/api/tiers').expect(200);
      await t.http.get('/api/campaigns/current/progress').expect(200);
      await t.http.get('/no/such/route/4711').expect(404);
      const res = await t.http.get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.text).toContain('# TYPE http_request_duration_seconds histogram');
      expect(res.text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(res.text).toMatch(/^nodejs_eventloop_lag_seconds /m);
      expect(
        sample(res.text, 'http_request_duration_seconds_count', {
          method: 'GET',
          route: '/api/tiers',
          status_code: '200',
        }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sample(res.text, 'http_request_duration_seconds_count', {
          method: 'GET',
          route: '/api/campaigns/:slug/progress',
          status_code: '200',
        }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sample(res.text, 'http_request_duration_seconds_count', {
          method: 'POST',
          route: '/api/donations',
          status_code: '429',
        }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sample(res.text, 'http_request_duration_seconds_count', {
          method: 'GET',
          route: 'unmatched',
          status_code: '404',
        }),
      ).toBeGreaterThanOrEqual(1);
      // The unmatched path never becomes a label (a digits-only check could match a heap size).
      expect(res.text).not.toContain('/no/such/route');
      const spec = (await t.http.get('/docs/openapi.json').expect(200)).body;
      expect(Object.keys(spec.paths)).not.toContain('/metrics');
    });

    it('counts webhook events through the Metrics service', async () => {
      const metrics = t.app.get(Metrics);
      metrics.webhookReceived('test.probe', false);
      metrics.webhookReceived('test.probe', false);
      metrics.webhookReceived('test.probe', true);
      metrics.webhookProcessed('test.probe', 0.12);
      metrics.webhookProcessed('test.probe', 0.3);
      metrics.webhookFailed('test.probe');
      const text = (await t.http.get('/metrics').expect(200)).text;
      expect(sample(text, 'webhook_events_received_total', { type: 'test.probe', duplicate: 'false' })).toBe(2);
      expect(sample(text, 'webhook_events_received_total', { type: 'test.probe', duplicate: 'true' })).toBe(1);
      expect(sample(text, 'webhook_events_processed_total', { type: 'test.probe' })).toBe(2);
      expect(sample(text, 'webhook_events_failed_total', { type: 'test.probe' })).toBe(1);
      expect(sample(text, 'webhook_processing_seconds_count', { type: 'test.probe' })).toBe(2);
      expect(sample(text, 'webhook_processing_seconds_sum', { type: 'test.probe' })).toBeCloseTo(0.42);
      expect(sample(text, 'webhook_processing_seconds_bucket', { type: 'test.probe', le: '0.25' })).toBe(1);
    });

    it("a real payment's webhooks are counted as received and processed by the inbox", async () => {
      await paidDonation(t, 1500, { email: 'metrics@example.com' });
      const text = (await t.http.get('/metrics').expect(200)).text;
      expect(
        sample(text, 'webhook_events_received_total', { type: 'checkout.session.completed', duplicate: 'false' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sample(text, 'webhook_events_processed_total', { type: 'checkout.session.completed' }),
      ).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'webhook_events_processed_total', { type: 'charge.updated' })).toBeGreaterThanOrEqual(1);
    });

    it('reads ledger totals from the daily roll-up', async () => {
      const admin = await signedIn(t, 'admin');
      for (const amount of [1000, 2500]) {
        await t.http
          .post('/api/phone-donations')
          .set('authorization', admin)
          .set('idempotency-key', `metrics-${amount}`)
          .send({ supporter: { name: 'Metrics Caller' }, amount, method: 'cash' })
          .expect(201);
      }
      const labels = { currency: 'AUD', type: 'donation', channel: 'phone', kind: 'payment' };
      const text = await scrapeUntil(t, (s) => sample(s, 'ledger_entries', labels) === 2, 'ledger gauges');
      expect(sample(text, 'ledger_gross_minor_units', labels)).toBe(3500);
      expect(sample(text, 'ledger_fee_minor_units', labels)).toBe(0);
      expect(text).toContain('# TYPE ledger_entries gauge');
      const [db] = await t.query<{ n: string }>(
        `SELECT count(*) AS n FROM ledger_entries WHERE channel = 'phone' AND kind = 'payment'`,
      );
      expect(Number(db.n)).toBe(2);
    });

    it('reports the webhook backlog: pending, parked and the age of the oldest pending event', async () => {
      const [{ pending: pendingBefore, parked: parkedBefore }] = await t.query<{ pending: number; parked: number }>(
        `SELECT count(*) FILTER (WHERE next_attempt_at < 'infinity')::int AS pending, count(*) FILTER (WHERE next_attempt_at = 'infinity')::int AS parked FROM stripe_events WHERE processed_at IS NULL`,
      );
      // Not due for an hour (no worker picks it up), received 90 s ago; and a parked one received earlier still.
      await t.query(
        `INSERT INTO stripe_events (id, type, stripe_created_at, payload, received_at, next_attempt_at)
         VALUES ('evt_metrics_pending', 'test.probe', now(), '{}', now() - interval '90 seconds', now() + interval '1 hour'),
                ('evt_metrics_parked', 'test.probe', now(), '{}', now() - interval '1 day', 'infinity')`,
      );
      const text = await scrapeUntil(
        t,
        (s) => sample(s, 'webhook_events_pending') === pendingBefore + 1,
        'webhook gauges',
      );
      expect(sample(text, 'webhook_events_parked')).toBe(parkedBefore + 1);
      const lag = sample(text, 'webhook_processing_lag_seconds')!;
      // The parked event is older but is not lag.
      expect(lag).toBeGreaterThanOrEqual(90);
      expect(lag).toBeLessThan(3600);
    });

    it('still answers when the database does not: those gauges are left out and the failure counted', async () => {
      const dataSource = t.app.get(DataSource);
      const real = dataSource.query.bind(dataSource);
      const spy = jest
        .spyOn(dataSource, 'query')
        .mockImplementation(((sql: string, params?: unknown[]) =>
          /FROM (stripe_events|ledger_daily_totals)/.test(sql) && !params
            ? Promise.reject(new Error('connection refused'))
            : real(sql, params)) as typeof dataSource.query);
      try {
        await new Promise((r) => setTimeout(r, 1100)); // past the one-second reuse of the last answer
        const res = await t.http.get('/metrics').expect(200);
        expect(res.text).toContain('http_request_duration_seconds_bucket');
        expect(res.text).not.toMatch(/^webhook_events_pending /m);
        expect(res.text).not.toMatch(/^ledger_entries\{/m);
        const again = await t.http.get('/metrics').expect(200);
        expect(sample(again.text, 'metrics_collect_failures_total', { source: 'webhooks' })).toBeGreaterThanOrEqual(1);
        expect(sample(again.text, 'metrics_collect_failures_total', { source: 'ledger' })).toBeGreaterThanOrEqual(1);
      } finally {
        spy.mockRestore();
      }
      await scrapeUntil(
        t,
        (s) =>
          sample(s, 'webhook_events_pending') !== undefined &&
          sample(s, 'ledger_entries', { channel: 'phone' }) !== undefined,
        'gauges back',
      );
    });
  });
});

describe('HTTP guards: TRUST_PROXY unset (the default) believes no X-Forwarded-For', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("a fresh X-Forwarded-For on every request does not get past the limit: the address is the connection's", async () => {
    for (let i = 0; i < 3; i++) {
      await t.http
        .post('/api/donations')
        .set('x-forwarded-for', `198.51.100.${i}`)
        .send({ amount: 2500, frequency: 'one_off', email: `spoof${i}@example.com` })
        .expect(201);
    }
    const limited = await t.http
      .post('/api/donations')
      .set('x-forwarded-for', '198.51.100.3')
      .send({ amount: 2500, frequency: 'one_off', email: 'spoof3@example.com' })
      .expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    for (let i = 0; i < 3; i++) {
      await t.http
        .post('/api/auth/login')
        .set('x-forwarded-for', `198.51.100.${10 + i}`)
        .send({ email: `spoof${i}@staff.test`, password: 'not the password!' })
        .expect(401);
    }
    expect(
      (
        await t.http
          .post('/api/auth/login')
          .set('x-forwarded-for', '198.51.100.13')
          .send({ email: 'spoof3@staff.test', password: 'not the password!' })
          .expect(429)
      ).body.code,
    ).toBe('RATE_LIMITED');
    // The sign-in throttle and the audit log see the same address: the connection's, not the header's.
    const ips = await t.query<{ ip: string }>(`SELECT DISTINCT ip FROM audit_log WHERE action = 'auth.login_failed'`);
    expect(ips).toEqual([{ ip: '127.0.0.1' }]);
  });
});

describe('HTTP guards: TRUST_PROXY=1 (one proxy appends the client address)', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '1' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the right-most X-Forwarded-For entry is the client: what the client wrote to its left changes nothing', async () => {
    const body = (i: number) => ({ amount: 2500, frequency: 'one_off', email: `hop${i}@example.com` });
    for (let i = 0; i < 3; i++) {
      await t.http
        .post('/api/donations')
        .set('x-forwarded-for', `198.51.100.${i}, 203.0.113.70`)
        .send(body(i))
        .expect(201);
    }
    await t.http.post('/api/donations').set('x-forwarded-for', '198.51.100.3, 203.0.113.70').send(body(3)).expect(429);
    // Another client behind the same proxy has its own count.
    await t.http.post('/api/donations').set('x-forwarded-for', '203.0.113.70, 203.0.113.71').send(body(4)).expect(201);
    await t.http
      .post('/api/auth/login')
      .set('x-forwarded-for', '10.9.9.9, 203.0.113.72')
      .send({ email: 'hop@staff.test', password: 'not the password!' })
      .expect(401);
    expect(
      await t.query(`SELECT ip FROM audit_log WHERE action = 'auth.login_failed' AND actor = 'hop@staff.test'`),
    ).toEqual([{ ip: '203.0.113.72' }]);
  });
});

describe('HTTP guards: METRICS_TOKEN, limits off, no CORS origins', () => {
  let t: TestContext;
  const token = 'metrics-token-0123456789abcdef';

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN: token });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('/metrics needs the bearer token when METRICS_TOKEN is set', async () => {
    const none = await t.http.get('/metrics').expect(401);
    expect(none.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
    expect(none.headers['www-authenticate']).toBe('Bearer');
    await t.http.get('/metrics').set('authorization', 'Bearer wrong-token-0123456789').expect(401);
    await t.http.get('/metrics').set('authorization', token).expect(401);
    const ok = await t.http.get('/metrics').set('authorization', `Bearer ${token}`).expect(200);
    expect(ok.text).toContain('http_request_duration_seconds');
    expect(sample(ok.text, 'webhook_events_pending')).toBe(0);
    expect(sample(ok.text, 'webhook_processing_lag_seconds')).toBe(0);
  });

  it('RATE_LIMIT_PER_MINUTE=0 turns the limit off; without CORS_ORIGINS no origin gets CORS headers', async () => {
    for (let i = 0; i < 8; i++) {
      await t.http
        .post('/api/self-service/links')
        .send({ email: `off${i}@example.com` })
        .expect(202);
    }
    const res = await t.http
      .post('/api/self-service/links')
      .set('origin', SITE)
      .send({ email: 'off@example.com' })
      .expect(202);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.http
      .options('/api/donations')
      .set('origin', SITE)
      .set('access-control-request-method', 'POST');
    expect(preflight.status).not.toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const progress = await t.http.get('/api/campaigns/current/progress').set('origin', SITE).expect(200);
    expect(progress.headers['access-control-allow-origin']).toBe('*');
  });
});
