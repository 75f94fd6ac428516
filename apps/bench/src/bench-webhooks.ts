/*
 * `npm run bench:webhooks`
 *
 * Stripe webhooks end to end: signed events in Stripe's real shapes, fired at the running service
 * at high concurrency, until every one is processed into the ledger; beside it, on the same
 * PostgreSQL, the rate of plain single-row insert transactions (the database's own limit). Prints
 * the figures beside their targets (no assertions): a table, then one JSON line
 * (`BENCH_JSON {...}`) for machines.
 *
 *   npm run bench:webhooks
 *   BENCH_EVENTS=20000 WEBHOOK_WORKER_CONCURRENCY=16 DATABASE_POOL_SIZE=20 npm run bench:webhooks
 *
 * Environment (all optional):
 *   BENCH_WEBHOOKS_DATABASE_URL  default postgresql://postgres@127.0.0.1:5432/bench_webhooks; dropped
 *                                and created again on every run (the ledger is append-only)
 *   BENCH_EVENTS                 about how many events to make and send (default 12,000)
 *   BENCH_CONNECTIONS            concurrent senders (autocannon connections, default 64)
 *   BENCH_ORDER                  `stripe` (default: the order Stripe made them) or `shuffle`
 *   BENCH_ENABLED_EVENTS         `all` (default) or `handled`: only the types the service's handlers take
 *                                (HANDLED_TYPES below), as a Stripe endpoint limited to them would send
 *   BENCH_SETUP_CONCURRENCY      concurrent requests while making the objects (default 16)
 *   BENCH_PG_CLIENTS             client counts of the insert baseline (default: the pool size and 50)
 *   BENCH_PG_SECONDS             seconds per insert baseline (default 5, after 1 of warm-up)
 *   BENCH_PROCESS_TIMEOUT        seconds to wait for processing to finish (default 900)
 *   BENCH_WORKERS                0 (default): one service process receives and processes. N > 0: the service
 *                                only receives (WEBHOOK_WORKER_CONCURRENCY=0) and N more processes of the same
 *                                service, on the same database, process (woken by PostgreSQL notifications)
 *   BENCH_SERVICE_NODE_ARGS      extra node arguments for the service, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
 *   BENCH_STRIPE_PROXY=1         profile: the service reaches the simulator through a counting proxy in this
 *                                process (Stripe calls by endpoint, their latency; adds a hop and CPU here)
 *   WEBHOOK_WORKER_CONCURRENCY, DATABASE_POOL_SIZE, WEBHOOK_RETRY_BASE_MS … are passed on to the service
 *
 * 1. A standalone Stripe simulator (dist/apps/stripe-simulator/src/main.js) with no webhook URL:
 *    it keeps every event and delivers none. A fresh service (dist/apps/api/src/main.js) on a
 *    fresh database, talking to that simulator (STRIPE_API_URL) with a known webhook secret.
 * 2. The objects the events are about, made through that same service (its checkouts are what
 *    the handlers look up): one-off donations and prepaid periods (POST /api/donations,
 *    /api/subscriptions) paid with the simulator's checkout control; monthly subscriptions and
 *    monthly donations, paid; refunds, full and partial (stripe SDK against the simulator); one
 *    renewal of every subscription (clock advance); fees settled (flush). Then every event the
 *    simulator made (GET /_simulator/events: fixtures3.json shapes), in Stripe's order.
 * 3. The events, each signed at send time like Stripe does (`t=…,v1=HMAC-SHA256`), POSTed to
 *    /api/stripe/webhook by autocannon, BENCH_CONNECTIONS at a time: acknowledgement latency and
 *    rate. Meanwhile and until every event has processed_at, the inbox is read every second
 *    (acknowledged, processed, pending, age of the oldest pending event: the processing lag) and
 *    the service's database connections are sampled (pg_stat_activity); CPU time of the service,
 *    the simulator, this database's PostgreSQL processes, this process and everything else
 *    (/proc), while sending and after; database work per event (pg_stat_database,
 *    pg_stat_user_tables); processing time per event type from the service's /metrics.
 * 4. End to end: events ÷ (last processed_at − first send). Processing "keeps up" when no event
 *    waits more than 5 s. Correctness: one ledger payment per paid charge, one refund entry per
 *    refund, gross and fees as Stripe charged them.
 * 5. The service and simulator stopped, N concurrent pg clients each running single-row INSERT
 *    transactions (autocommit) into a scratch table for BENCH_PG_SECONDS: transactions/s.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { log, round, runMain, stop } from './bench-support';
import { insertBaseline } from './webhooks/baseline';
import {
  CONNECTIONS,
  CORES,
  DB_URL,
  ENABLED_EVENTS,
  EVENTS,
  ORDER,
  POOL_SIZE,
  safeUrl,
  WORKER_CONCURRENCY,
} from './webhooks/config';
import { recreateDatabase } from './webhooks/database';
import { plan } from './webhooks/events';
import { reportRun, reportSummary } from './webhooks/report';
import { sendAndProcess } from './webhooks/run';
import { setUp } from './webhooks/setup';

// The parts, in apps/bench/src/webhooks/: config (the environment above), processes (simulator,
// service, workers, the counting proxy), events (the plan and the objects that make the events),
// setup (1), fire and inbox-watch (sending, sampling), run (2), verify (correctness), cpu and
// database (accounting), baseline (3), report (what is printed).

async function main(): Promise<void> {
  const p = plan(EVENTS);
  log(
    `bench database ${safeUrl(DB_URL)} (dropped and created again), ${CORES} cores, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
  log(
    `service: WEBHOOK_WORKER_CONCURRENCY ${WORKER_CONCURRENCY}, DATABASE_POOL_SIZE ${POOL_SIZE}; senders ${CONNECTIONS}; order ${ORDER}; event types ${ENABLED_EVENTS}`,
  );
  await recreateDatabase();

  const s = await setUp(p);
  const r = await sendAndProcess(s);
  reportRun(s, r);

  const { sim, proxy } = s;
  await stop(sim.child);
  const stripeCalls = proxy
    ? Object.fromEntries(
        [...proxy.calls.entries()].map(([k, c]) => [k, { calls: c.calls, meanMs: round(c.ms / c.calls, 2) }]),
      )
    : undefined;
  await proxy?.close();

  const baseline = await insertBaseline();
  reportSummary(p, s, r, baseline, stripeCalls);
}

runMain(main);
