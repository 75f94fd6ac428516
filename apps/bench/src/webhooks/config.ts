/** The bench's settings (environment, see bench-webhooks.ts), targets and machine facts. */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The event types the service's handlers register (the *.handler.ts files of libs), for BENCH_ENABLED_EVENTS=handled. */
export const HANDLED_TYPES = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
  'payment_intent.succeeded',
  'charge.succeeded',
  'charge.updated',
  'charge.refunded',
  'refund.created',
  'refund.updated',
  'charge.dispute.created',
  'charge.dispute.funds_withdrawn',
  'charge.dispute.closed',
  'charge.dispute.funds_reinstated',
  'customer.subscription.created',
  'customer.subscription.updated',
  'customer.subscription.deleted',
  'customer.subscription.paused',
  'customer.subscription.resumed',
  'invoice.paid',
  'invoice.payment_failed',
]);
export const DB_URL = process.env.BENCH_WEBHOOKS_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/bench_webhooks';
export const EVENTS = Number(process.env.BENCH_EVENTS || 12_000);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 64);
export const ORDER = (process.env.BENCH_ORDER || 'stripe') as 'stripe' | 'shuffle';
export const ENABLED_EVENTS = (process.env.BENCH_ENABLED_EVENTS || 'all') as 'all' | 'handled';
export const SETUP_CONCURRENCY = Number(process.env.BENCH_SETUP_CONCURRENCY || 16);
export const PG_SECONDS = Number(process.env.BENCH_PG_SECONDS || 5);
export const PROCESS_TIMEOUT_S = Number(process.env.BENCH_PROCESS_TIMEOUT || 900);
export const POOL_SIZE = Number(process.env.DATABASE_POOL_SIZE || 10);
export const WORKER_CONCURRENCY = Number(process.env.WEBHOOK_WORKER_CONCURRENCY || 8);
export const WORKERS = Number(process.env.BENCH_WORKERS || 0);
export const PG_CLIENTS = (process.env.BENCH_PG_CLIENTS || `${POOL_SIZE},50`)
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
export const STRIPE_PROXY = /^(1|true|yes)$/i.test(process.env.BENCH_STRIPE_PROXY || '');
export const SERVICE_NODE_ARGS = (process.env.BENCH_SERVICE_NODE_ARGS || '').split(/\s+/).filter(Boolean);
export const SIMULATOR_NODE_ARGS = (process.env.BENCH_SIMULATOR_NODE_ARGS || '').split(/\s+/).filter(Boolean);
export const WEBHOOK_SECRET = `whsec_bench${randomBytes(16).toString('hex')}`;
export const DAY = 86_400;

export const TARGETS = { eventsPerSecond: 1500, ackP99Ms: 100 };

/** Roughly how many events each thing makes (the simulator's flows; the real mix is printed). */
export const EVENTS_PER = { payment: 6, subscriptionStart: 13, renewal: 10, refund: 2 };
/** Shares of the events: one-off payments (prepaid periods among them), subscriptions (start + one renewal), refunds. */
export const SHARE = { payments: 0.45, subscriptions: 0.45, refunds: 0.1 };

export const CLK_TCK = 100;
export const CORES = (() => {
  try {
    return (
      readFileSync('/proc/cpuinfo', 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('processor')).length || 1
    );
  } catch {
    return 1;
  }
})();

export const dbName = () => decodeURIComponent(new URL(DB_URL).pathname.replace(/^\//, ''));
export const safeUrl = (url: string) => url.replace(/\/\/[^@/]*@/, '//…@');
