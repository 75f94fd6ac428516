import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../apps/api/src/bootstrap';
import { type AppConfig, loadConfig } from '@app/config';
import { startStripeSimulator, type StripeSimulator, type StripeSimulatorOptions } from '@app/stripe-simulator';
import { WebhookInboxService } from '@app/webhooks';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestContext {
  app: NestFastifyApplication;
  config: AppConfig;
  baseUrl: string;
  http: ReturnType<typeof request>;
  sim: StripeSimulator;
  /** A client of the simulator, for test-side Stripe calls and signing hand-made events. */
  stripe: Stripe;
  webhookSecret: string;
  inbox: WebhookInboxService;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Waits until the simulator has delivered everything and the webhook worker has processed every due event. */
  settled(): Promise<void>;
  /** Waits until the receipt issuer has numbered every queued payment (and written its email or notice). */
  receiptsIssued(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Boots the real application on a clean database and a Stripe simulator, both over real
 * sockets: the app reaches the simulator with the real `stripe` package, the simulator
 * delivers signed webhooks to the app's HTTP endpoint.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  simOptions: StripeSimulatorOptions = {},
): Promise<TestContext> {
  const db: TestDatabase = await createTestDatabase();
  const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
  const sim = await startStripeSimulator({
    port: 0,
    webhookSecret,
    feeDelayMs: 200,
    deliveryJitterMs: 30,
    retryDelaysMs: [100, 300, 1000],
    ...simOptions,
  });
  const config = loadConfig({
    ...(db.url ? { DATABASE_URL: db.url } : {}),
    EMBEDDED_DB_DIR: 'memory',
    STRIPE_SECRET_KEY: 'sk_test_e2e',
    STRIPE_WEBHOOK_SECRET: webhookSecret,
    STRIPE_API_URL: sim.url,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WEBHOOK_RETRY_INTERVAL_MS: '0',
    PROGRESS_REFRESH_MS: '50',
    WEBHOOK_RECOVERY_INTERVAL_MS: '0',
    // Suites post many times from 127.0.0.1; http-guards.e2e-spec turns the per-IP limit on.
    RATE_LIMIT_PER_MINUTE: '0',
    PORT: '0',
    ...env,
  });
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${port}`;
  // As main.ts does: unset, PUBLIC_BASE_URL is where the service listens, so the links it emails
  // and Checkout's return URLs lead back to this app (a browser test can follow them).
  if (!env.PUBLIC_BASE_URL) config.PUBLIC_BASE_URL = baseUrl;
  sim.configureWebhook({ url: `${baseUrl}/api/stripe/webhook`, secret: webhookSecret, enabled: true });
  const dataSource = app.get(DataSource);
  const simUrl = new URL(sim.url);
  return {
    app,
    config,
    baseUrl,
    http: request(baseUrl),
    sim,
    stripe: new Stripe('sk_test_e2e', { host: simUrl.hostname, port: Number(simUrl.port), protocol: 'http' }),
    webhookSecret,
    inbox: app.get(WebhookInboxService),
    query: (sql, params) => dataSource.query(sql, params),
    async settled() {
      await sim.idle();
      await waitFor(
        async () => {
          const [row] = await dataSource.query(
            `SELECT count(*)::int AS n FROM stripe_events WHERE processed_at IS NULL AND next_attempt_at <= now()`,
          );
          return row.n === 0;
        },
        15000,
        'webhook events processed',
      );
    },
    async receiptsIssued() {
      await waitFor(
        async () => {
          const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM receipt_queue`);
          return row.n === 0;
        },
        15000,
        'receipts issued',
      );
    },
    async close() {
      await sim.close();
      await app.close();
      await db.drop();
    },
  };
}

/** Polls until `check` returns a truthy value (or throws the last failure after `timeoutMs`). */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 10000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${lastError}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Calls a simulator test control (JSON). */
export async function simControl<T = unknown>(
  sim: StripeSimulator,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Public progress is served from memory and refreshed every PROGRESS_REFRESH_MS (50 ms in tests):
 * reads `read()` until it equals `expected`, then asserts (so a wrong value fails with a diff).
 */
export async function eventuallyEqual<T>(read: () => Promise<T>, expected: T, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    last = await read();
  }
  expect(last).toEqual(expected);
}

/** What a campaign has raised, summed straight from the ledger (the truth progress must equal). */
export async function ledgerRaised(t: TestContext, slug = 'current'): Promise<number> {
  const [row] = await t.query<{ raised: string }>(
    `SELECT COALESCE(SUM(l.gross), 0) AS raised FROM ledger_entries l JOIN campaigns c ON c.id = l.campaign_id
      WHERE (c.slug = $1 OR ($1 = 'current' AND c.is_current)) AND l.type = ANY(c.counted_types) AND l.currency = c.currency`,
    [slug],
  );
  return Number(row.raised);
}
