import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../apps/api/src/bootstrap';
import { loadConfig } from '@app/config';
import { StaffService } from '@app/staff';
import { StripeGateway } from '@app/stripe';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { waitFor } from './support/test-app';
import { followEmailedLink } from './support/emailed-link';

const DAY = 86_400;
const PASSWORD = 'correct horse battery staple';

/**
 * The no-key default: the service starts its own Stripe simulator, which keeps its state in
 * EMBEDDED_DB_DIR beside the database. After a restart, what the database remembers Stripe's
 * stand-in remembers too: a staff refund of an old payment, the emailed self-service link, and
 * the renewal of a monthly donation started before the restart.
 */
describe('in-process Stripe simulator across a service restart (no STRIPE_SECRET_KEY, state in EMBEDDED_DB_DIR)', () => {
  let dir: string;
  let db: TestDatabase;
  let app: NestFastifyApplication | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'embedded-restart-'));
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Boots the service as `npm start` does with no Stripe key (the simulator on a free port) and no
   * AUTH_TOKEN_SECRET or LINK_SIGNING_SECRET. `embedded`: on the embedded database in `dataDir`
   * whatever DATABASE_URL says (the no-configuration start), else on the suite's database.
   */
  async function boot(opts: { embedded?: boolean; dataDir?: string } = {}) {
    const config = loadConfig({
      ...(db.url && !opts.embedded ? { DATABASE_URL: db.url } : {}),
      EMBEDDED_DB_DIR: opts.dataDir ?? dir,
      STRIPE_SIMULATOR_PORT: '0',
      PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      WEBHOOK_RETRY_INTERVAL_MS: '0',
      WEBHOOK_RECOVERY_INTERVAL_MS: '0',
      RATE_LIMIT_PER_MINUTE: '0',
      PORT: '0',
    });
    app = await createApp(config);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const gateway = app.get(StripeGateway);
    expect(gateway.mode).toBe('simulator');
    const sim = gateway.simulator!;
    // What main.ts does once the service listens.
    sim.configureWebhook({ url: `${base}/api/stripe/webhook`, secret: gateway.webhookSecret, enabled: true });
    const dataSource = app.get(DataSource);
    const query = <T = Record<string, unknown>>(sql: string, params?: unknown[]) =>
      dataSource.query(sql, params) as Promise<T[]>;
    const control = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${sim.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const settled = async () => {
      await sim.idle();
      await waitFor(
        async () =>
          (await query<{ n: number }>(`SELECT count(*)::int AS n FROM stripe_events WHERE processed_at IS NULL`))[0]
            .n === 0,
        15000,
        'webhook events processed',
      );
    };
    return { app, baseUrl: base, http: request(base), sim, query, control, settled };
  }

  /** The path and query of the latest self-service link emailed to `to`. */
  async function linkIn(s: Awaited<ReturnType<typeof boot>>, to: string): Promise<string> {
    const [email] = await s.query<{ body: string }>(
      `SELECT body FROM emails WHERE kind = 'self_service_link' AND to_address = $1 ORDER BY created_at DESC LIMIT 1`,
      [to],
    );
    const link = new URL(/https?:\/\/\S+\/api\/self-service\/portal\?token=\S+/.exec(email.body)![0]);
    return `${link.pathname}${link.search}`;
  }

  it('a payment and a monthly donation made before the restart: refunded, reached by the emailed link, and renewed after it', async () => {
    // Before the restart.
    let s = await boot();
    const donation = (
      await s.http
        .post('/api/donations')
        .send({ amount: 2500, frequency: 'one_off', email: 'before@example.com', name: 'Before Restart' })
        .expect(201)
    ).body;
    await fetch(`${donation.checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
    const monthly = (
      await s.http
        .post('/api/donations')
        .send({ amount: 800, frequency: 'monthly', email: 'monthly.before@example.com', name: 'Monthly Before' })
        .expect(201)
    ).body;
    await fetch(`${monthly.checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
    const [payment] = await waitFor(
      async () => {
        const r = await s.query<{ id: string; stripe_charge_id: string }>(
          `SELECT id, stripe_charge_id FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`,
          [donation.id],
        );
        return r.length ? r : null;
      },
      10000,
      'payment',
    );
    await waitFor(
      async () =>
        (
          await s.query(`SELECT 1 FROM ledger_entries WHERE checkout_id = $1 AND type = 'monthly_donation'`, [
            monthly.id,
          ])
        ).length === 1,
      10000,
      'first monthly gift',
    );
    await s.settled();
    // The self-service link is emailed before the restart and followed after it.
    await s.http.post('/api/self-service/links').send({ email: 'before@example.com' }).expect(202);
    const emailedLink = await linkIn(s, 'before@example.com');
    const clockBefore = await s.control<{ offset: number }>('POST', '/_simulator/clock/advance', { seconds: 2 * DAY });
    await s.app.get(StaffService).create({ email: 'finance@staff.test', name: 'Finance', role: 'finance' }, PASSWORD, {
      staffId: null,
      label: 'test',
    });
    await s.app.close();
    app = undefined;
    expect(existsSync(join(dir, 'stripe-simulator', 'state.json'))).toBe(true);

    // After the restart: same database, same EMBEDDED_DB_DIR, a new process's simulator.
    s = await boot();
    expect((await s.control<{ offset: number }>('GET', '/_simulator/clock')).offset).toBe(clockBefore.offset);

    // The self-service link emailed before the restart still leads to Stripe's portal for the old
    // customer (signed with the secret kept in EMBEDDED_DB_DIR, not one drawn anew by this process).
    const { post: portal } = await followEmailedLink(s.baseUrl, emailedLink);
    expect(portal.status).toBe(303);
    expect(portal.headers.get('location')).toContain(s.sim.url);

    // A staff refund of the payment made before the restart reaches Stripe and comes back to the ledger.
    const login = await s.http
      .post('/api/auth/login')
      .send({ email: 'finance@staff.test', password: PASSWORD })
      .expect(200);
    await s.http
      .post(`/api/ledger-entries/${payment.id}/refund`)
      .set('authorization', `Bearer ${login.body.accessToken}`)
      .set('idempotency-key', 'refund-after-restart')
      .send({ amount: 1000, reason: 'requested_by_customer' })
      .expect(202);
    const refunds = await waitFor(
      async () => {
        const r = await s.query<{ gross: string }>(
          `SELECT gross FROM ledger_entries WHERE reverses_entry_id = $1 AND kind = 'refund'`,
          [payment.id],
        );
        return r.length ? r : null;
      },
      10000,
      'refund entry',
    );
    expect(refunds.map((r) => Number(r.gross))).toEqual([-1000]);

    // The monthly donation started before the restart renews after it.
    await s.control('POST', '/_simulator/clock/advance', { seconds: 31 * DAY });
    await s.settled();
    const gifts = await waitFor(
      async () => {
        const r = await s.query<{ gross: string; type: string }>(
          `SELECT gross, type FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment' ORDER BY occurred_at`,
          [monthly.id],
        );
        return r.length === 2 ? r : null;
      },
      10000,
      'the renewal after the restart',
    );
    expect(gifts.map((g) => [g.type, Number(g.gross)])).toEqual([
      ['monthly_donation', 800],
      ['monthly_donation', 800],
    ]);
  });

  it('on the embedded database with no secrets configured: a link emailed and a staff token issued before a restart work after it', async () => {
    // The first test's service stops here (one at a time, as on a machine).
    await app?.close();
    app = undefined;
    const dataDir = mkdtempSync(join(tmpdir(), 'embedded-secrets-'));
    try {
      let s = await boot({ embedded: true, dataDir });
      const donation = (
        await s.http
          .post('/api/donations')
          .send({ amount: 2500, frequency: 'one_off', email: 'kept@example.com', name: 'Kept Link' })
          .expect(201)
      ).body;
      await fetch(`${donation.checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
      await waitFor(
        async () =>
          (await s.query(`SELECT 1 FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`, [donation.id]))
            .length === 1,
        10000,
        'payment',
      );
      await s.settled();
      await s.app.get(StaffService).create({ email: 'admin@staff.test', name: 'Admin', role: 'admin' }, PASSWORD, {
        staffId: null,
        label: 'test',
      });
      const { accessToken } = (
        await s.http.post('/api/auth/login').send({ email: 'admin@staff.test', password: PASSWORD }).expect(200)
      ).body;
      await s.http.post('/api/self-service/links').send({ email: 'kept@example.com' }).expect(202);
      const link = await linkIn(s, 'kept@example.com');
      await s.app.close();
      app = undefined;

      // Kept beside the data, readable by this user only.
      const secrets = join(dataDir, 'secrets.json');
      expect(statSync(secrets).mode & 0o777).toBe(0o600);
      expect(Object.keys(JSON.parse(readFileSync(secrets, 'utf8'))).sort()).toEqual([
        'AUTH_TOKEN_SECRET',
        'LINK_SIGNING_SECRET',
      ]);

      s = await boot({ embedded: true, dataDir });
      const { post: portal } = await followEmailedLink(s.baseUrl, link);
      expect(portal.status).toBe(303);
      expect(portal.headers.get('location')).toContain(s.sim.url);
      await s.http.get('/api/staff').set('authorization', `Bearer ${accessToken}`).expect(200);
      // The used link's page: its "email me a new link" sends one (the link checks out after the restart).
      const spent = await s.http.get(link).expect(410);
      expect(spent.text).toContain('This link has already been used');
      const token = new URL(link, 'http://x').searchParams.get('token')!;
      const sent = await s.http.post('/self-service/new-link').type('form').send({ token }).expect(200);
      expect(sent.text).toContain('Check your email');
      expect(
        await s.query(`SELECT 1 FROM emails WHERE kind = 'self_service_link' AND to_address = 'kept@example.com'`),
      ).toHaveLength(2);
      await s.app.close();
      app = undefined;
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Two starts on an embedded database on disk (migrations and all): slower than PostgreSQL.
  }, 240_000);
});
