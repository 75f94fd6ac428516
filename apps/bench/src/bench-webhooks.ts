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
import { createHmac, randomBytes } from 'node:crypto';
import { cardProcessingFee } from '@app/stripe-simulator';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import Stripe from 'stripe';
import { autocannon, DIST, fmt, freePort, log, percentile, request, round, runMain, sleep, start, stop, table, verdict, waitUntilAnswering } from './bench-support';
import type { AutocannonResult, Response } from './bench-support';

/** The event types the service's handlers register (the *.handler.ts files of libs), for BENCH_ENABLED_EVENTS=handled. */
const HANDLED_TYPES = new Set([
  'checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.async_payment_failed', 'checkout.session.expired',
  'payment_intent.succeeded', 'charge.succeeded', 'charge.updated', 'charge.refunded', 'refund.created', 'refund.updated',
  'charge.dispute.created', 'charge.dispute.funds_withdrawn', 'charge.dispute.closed', 'charge.dispute.funds_reinstated',
  'customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted', 'customer.subscription.paused',
  'customer.subscription.resumed', 'invoice.paid', 'invoice.payment_failed',
]);
const DB_URL = process.env.BENCH_WEBHOOKS_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/bench_webhooks';
const EVENTS = Number(process.env.BENCH_EVENTS || 12_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 64);
const ORDER = (process.env.BENCH_ORDER || 'stripe') as 'stripe' | 'shuffle';
const ENABLED_EVENTS = (process.env.BENCH_ENABLED_EVENTS || 'all') as 'all' | 'handled';
const SETUP_CONCURRENCY = Number(process.env.BENCH_SETUP_CONCURRENCY || 16);
const PG_SECONDS = Number(process.env.BENCH_PG_SECONDS || 5);
const PROCESS_TIMEOUT_S = Number(process.env.BENCH_PROCESS_TIMEOUT || 900);
const POOL_SIZE = Number(process.env.DATABASE_POOL_SIZE || 10);
const WORKER_CONCURRENCY = Number(process.env.WEBHOOK_WORKER_CONCURRENCY || 8);
const WORKERS = Number(process.env.BENCH_WORKERS || 0);
const PG_CLIENTS = (process.env.BENCH_PG_CLIENTS || `${POOL_SIZE},50`).split(',').map(Number).filter((n) => n > 0);
const STRIPE_PROXY = /^(1|true|yes)$/i.test(process.env.BENCH_STRIPE_PROXY || '');
const SERVICE_NODE_ARGS = (process.env.BENCH_SERVICE_NODE_ARGS || '').split(/\s+/).filter(Boolean);
const SIMULATOR_NODE_ARGS = (process.env.BENCH_SIMULATOR_NODE_ARGS || '').split(/\s+/).filter(Boolean);
const WEBHOOK_SECRET = `whsec_bench${randomBytes(16).toString('hex')}`;
const DAY = 86_400;

const TARGETS = { eventsPerSecond: 1500, ackP99Ms: 100 };

/** Roughly how many events each thing makes (the simulator's flows; the real mix is printed). */
const EVENTS_PER = { payment: 6, subscriptionStart: 13, renewal: 10, refund: 2 };
/** Shares of the events: one-off payments (prepaid periods among them), subscriptions (start + one renewal), refunds. */
const SHARE = { payments: 0.45, subscriptions: 0.45, refunds: 0.1 };

const CLK_TCK = 100;
const CORES = (() => {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => l.startsWith('processor')).length || 1;
  } catch {
    return 1;
  }
})();

// ---------------------------------------------------------------- small helpers

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

async function json<T>(url: string, method: 'GET' | 'POST' = 'GET', body?: unknown, expect = [200, 201]): Promise<T> {
  const res: Response = await request(url, {
    method,
    agent,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!expect.includes(res.status)) throw new Error(`${method} ${url} answered ${res.status}: ${res.body.slice(0, 500)}`);
  return (res.body ? JSON.parse(res.body) : undefined) as T;
}

/** Runs fn over items, `n` at a time. */
async function inParallel<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

/** A deterministic shuffle (mulberry32). */
function shuffle<T>(xs: T[], seed = 42): T[] {
  let a = seed;
  const rnd = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const dbName = () => decodeURIComponent(new URL(DB_URL).pathname.replace(/^\//, ''));
const safeUrl = (url: string) => url.replace(/\/\/[^@/]*@/, '//…@');

// ---------------------------------------------------------------- CPU accounting (/proc)

/** utime + stime of a process, in seconds (0 when it is gone). */
function cpuOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** PostgreSQL processes serving this database, plus its shared background processes (WAL writer …). */
function postgresPids(): number[] {
  const name = dbName();
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (!cmd.startsWith('postgres: ')) continue;
    const isBackend = / \d+\.\d+\.\d+\.\d+\(\d+\)| \[local\]/.test(cmd);
    if (!isBackend || cmd.includes(` ${name} `)) pids.push(Number(entry));
  }
  return pids;
}

/** CPU seconds and command line of every process (to name what else ran on the machine). */
function allProcesses(): Map<number, { cpu: number; cmd: string }> {
  const out = new Map<number, { cpu: number; cmd: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const cpu = cpuOf(pid);
    if (!cpu) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      // gone
    }
    out.set(pid, { cpu, cmd: cmd || `[pid ${pid}]` });
  }
  return out;
}

/** Busy seconds of the whole machine (all cores) from /proc/stat. */
function machineBusy(): number {
  const [, ...v] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const n = v.map(Number);
  // user nice system idle iowait irq softirq steal
  return (n[0] + n[1] + n[2] + n[5] + n[6] + (n[7] || 0)) / CLK_TCK;
}

interface CpuSnapshot {
  at: number;
  service: number;
  simulator: number;
  postgres: number;
  bench: number;
  machine: number;
}

/**
 * CPU seconds by process group, sampled every 250 ms per process: a PostgreSQL backend that
 * exits (a pool closing an idle connection) keeps what it used up to the last sample instead of
 * taking its whole life's CPU out of the sum.
 */
function cpuTracker(servicePids: number[], simulatorPid: number): { snapshot: () => CpuSnapshot; stop: () => void; others: () => Array<{ cmd: string; seconds: number }> } {
  const atStart = allProcesses();
  const last = new Map<number, number>();
  const totals = { service: 0, simulator: 0, postgres: 0 };
  const groupOf = (pid: number): keyof typeof totals => (servicePids.includes(pid) ? 'service' : pid === simulatorPid ? 'simulator' : 'postgres');
  const sample = () => {
    for (const pid of [...servicePids, simulatorPid, ...postgresPids()]) {
      const cpu = cpuOf(pid);
      if (!cpu) continue;
      const before = last.get(pid);
      // A backend first seen now counts from its start only if it started after tracking began.
      if (before !== undefined) totals[groupOf(pid)] += Math.max(0, cpu - before);
      else if (started) totals[groupOf(pid)] += cpu;
      last.set(pid, cpu);
    }
  };
  let started = false;
  sample();
  started = true;
  const timer = setInterval(sample, 250);
  return {
    snapshot: () => {
      sample();
      const usage = process.cpuUsage();
      return { at: performance.now(), ...totals, bench: (usage.user + usage.system) / 1e6, machine: machineBusy() };
    },
    stop: () => clearInterval(timer),
    /** The processes outside this bench that used the most CPU since tracking began (those still running). */
    others: () => {
      const ours = new Set([...servicePids, simulatorPid, process.pid, ...last.keys()]);
      return [...allProcesses().entries()]
        .filter(([pid]) => !ours.has(pid))
        .map(([pid, p]) => ({ cmd: p.cmd.slice(0, 100), seconds: p.cpu - (atStart.get(pid)?.cpu ?? 0) }))
        .filter((p) => p.seconds >= 0.5)
        .sort((a, b) => b.seconds - a.seconds)
        .slice(0, 5);
    },
  };
}

interface CpuPhase {
  seconds: number;
  service: number;
  simulator: number;
  postgres: number;
  bench: number;
  other: number;
}

function cpuPhase(a: CpuSnapshot, b: CpuSnapshot): CpuPhase {
  const service = b.service - a.service;
  const simulator = b.simulator - a.simulator;
  const postgres = b.postgres - a.postgres;
  const bench = b.bench - a.bench;
  return { seconds: (b.at - a.at) / 1000, service, simulator, postgres, bench, other: Math.max(0, b.machine - a.machine - service - simulator - postgres - bench) };
}

// ---------------------------------------------------------------- database

async function recreateDatabase(): Promise<void> {
  const name = dbName();
  if (!name) throw new Error('BENCH_WEBHOOKS_DATABASE_URL names no database');
  const url = new URL(DB_URL);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const quoted = `"${name.replace(/"/g, '""')}"`;
    await admin.query(`DROP DATABASE IF EXISTS ${quoted} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoted}`);
  } finally {
    await admin.end();
  }
}

async function connect(): Promise<Client> {
  const c = new Client({ connectionString: DB_URL });
  // A connection the server ends (another session dropping the database, an administrator) fails
  // the next query with its reason instead of crashing this process with an unhandled 'error'.
  c.on('error', (err) => log(`  (a database connection of this bench was closed: ${err.message})`));
  await c.connect();
  return c;
}

// ---------------------------------------------------------------- children

interface Child {
  child: import('node:child_process').ChildProcess;
  output: () => string;
}

async function startSimulator(): Promise<Child & { url: string }> {
  const port = await freePort();
  // No line per request: printing (and this process reading) them would be measured as the simulator's work.
  const env: NodeJS.ProcessEnv = { ...process.env, STRIPE_SIMULATOR_PORT: String(port), SIMULATOR_HOST: '127.0.0.1', SIMULATOR_LOG_REQUESTS: '0' };
  delete env.STRIPE_WEBHOOK_URL; // it keeps the events and delivers none
  delete env.STRIPE_WEBHOOK_SECRET;
  delete env.SIMULATOR_PUBLIC_URL;
  const sim = start('stripe simulator', [...SIMULATOR_NODE_ARGS, path.join(DIST, 'apps/stripe-simulator/src/main.js')], env);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(`${url}/_simulator/clock`, sim.child, sim.output, 'the Stripe simulator', 30_000);
  return { ...sim, url };
}

async function startService(simulatorUrl: string, role: 'service' | 'receiver' | 'worker' = 'service'): Promise<Child & { base: string; errors: () => number }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: DB_URL,
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_URL: simulatorUrl,
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    // Stripe's event list holds every event (none was delivered): recovery would adopt them all.
    WEBHOOK_RECOVERY_INTERVAL_MS: '0',
  };
  if (role === 'receiver') env.WEBHOOK_WORKER_CONCURRENCY = '0';
  delete env.METRICS_TOKEN;
  delete env.EMBEDDED_DB_DIR;
  const service = start(role, [...SERVICE_NODE_ARGS, path.join(DIST, 'apps/api/src/main.js')], env);
  let errors = 0;
  const count = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (/"level":\s*"?(error|50|fatal|60)|\bERROR\b/i.test(line)) errors++;
  };
  service.child.stdout!.on('data', count);
  service.child.stderr!.on('data', count);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(`${base}/health`, service.child, service.output, `the ${role}`);
  return { ...service, base, errors: () => errors };
}

// ---------------------------------------------------------------- profiling: a counting proxy in front of the simulator

interface StripeCall {
  calls: number;
  ms: number;
}

/** A pass-through proxy to the simulator that counts the service's Stripe calls by endpoint and times them. */
async function startStripeProxy(target: string): Promise<{ url: string; calls: Map<string, StripeCall>; reset: () => void; close: () => Promise<void> }> {
  const upstream = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const calls = new Map<string, StripeCall>();
  const endpoint = (method: string, url: string) => {
    const [p, q = ''] = url.split('?');
    const params = [...new Set(q.split('&').filter(Boolean).map((kv) => decodeURIComponent(kv.split('=')[0]).replace(/\[\d*\]/g, '[]')))].sort();
    return `${method} ${p.replace(/\/[a-z]+_(?=[A-Za-z0-9_]*[A-Z0-9])[A-Za-z0-9_]+/g, '/:id')}${params.length ? `?${params.join('&')}` : ''}`;
  };
  const server = http.createServer((req, res) => {
    const t = performance.now();
    const key = endpoint(req.method ?? 'GET', req.url ?? '/');
    const out = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers, agent: upstream }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', () => {
        const c = calls.get(key) ?? { calls: 0, ms: 0 };
        c.calls++;
        c.ms += performance.now() - t;
        calls.set(key, c);
      });
    });
    out.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(out);
  });
  server.keepAliveTimeout = 65_000;
  const port = await freePort();
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    reset: () => calls.clear(),
    close: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
      upstream.destroy();
    }),
  };
}

// ---------------------------------------------------------------- 1. the objects and their events

interface SimEvent {
  id: string;
  type: string;
  created: number;
  data: { object: Record<string, unknown> & { id: string; object: string } };
  delivery?: unknown;
}

interface Plan {
  oneOff: number;
  prepaid: number;
  tierSubscriptions: number;
  monthlyDonations: number;
  refunds: number;
}

function plan(events: number): Plan {
  const payments = Math.max(2, Math.round((events * SHARE.payments) / EVENTS_PER.payment));
  const subscriptions = Math.max(2, Math.round((events * SHARE.subscriptions) / (EVENTS_PER.subscriptionStart + EVENTS_PER.renewal)));
  const prepaid = Math.max(1, Math.round(payments * 0.1));
  const oneOff = payments - prepaid;
  const refunds = Math.min(Math.round(oneOff * 0.8), Math.max(1, Math.round((events * SHARE.refunds) / EVENTS_PER.refund)));
  const monthlyDonations = Math.round(subscriptions / 2);
  return { oneOff, prepaid, tierSubscriptions: subscriptions - monthlyDonations, monthlyDonations, refunds };
}

const ADDRESS = { line1: '1 Bench Street', city: 'Sydney', state: 'NSW', postalCode: '2000', country: 'AU' };

interface Phase {
  key: string;
  name: string;
  from: number;
  to: number;
}

async function makeEvents(service: string, sim: string, p: Plan): Promise<{ events: SimEvent[]; phases: Phase[]; setupSeconds: number }> {
  const t0 = performance.now();
  const stripe = (() => {
    const u = new URL(sim);
    return new Stripe('sk_test_bench', { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 2 });
  })();
  const eventCount = async () => (await json<SimEvent[]>(`${sim}/_simulator/events`)).length;
  const flush = () => json(`${sim}/_simulator/flush`, 'POST', { fast_forward: true });
  const phases: Phase[] = [];
  let mark = await eventCount();
  if (mark) phases.push({ key: 'startup', name: 'service start-up (products, prices)', from: 0, to: mark });
  const endPhase = async (key: string, name: string) => {
    await flush();
    const n = await eventCount();
    phases.push({ key, name, from: mark, to: n });
    mark = n;
  };

  /** Opens a checkout through the service and pays it with the simulator's control. */
  const checkout = async (route: string, body: Record<string, unknown>) => {
    const { checkoutUrl } = await json<{ id: string; checkoutUrl: string }>(`${service}${route}`, 'POST', body, [201]);
    const sessionId = new URL(checkoutUrl).pathname.split('/').pop()!;
    await json(`${sim}/_simulator/checkout/sessions/${sessionId}/complete`, 'POST', {});
  };

  // One-off donations and prepaid periods (payment mode).
  const amounts = [500, 1000, 2000, 2500, 5000, 10000, 1500, 3000];
  const payments = [
    ...Array.from({ length: p.oneOff }, (_, i) => () =>
      checkout('/api/donations', { amount: amounts[i % amounts.length] + (i % 7) * 100, frequency: 'one_off', email: `donor${i}@bench.example.org`, name: `Donor ${i}` })),
    ...Array.from({ length: p.prepaid }, (_, i) => () =>
      checkout('/api/subscriptions', i % 2
        ? { tier: 'print', billing: 'prepaid', months: 12, email: `prepaid${i}@bench.example.org`, name: `Prepaid ${i}`, deliveryAddress: ADDRESS }
        : { tier: 'digital', billing: 'prepaid', months: 12, email: `prepaid${i}@bench.example.org`, name: `Prepaid ${i}` })),
  ];
  log(`  ${fmt(p.oneOff)} one-off donations and ${fmt(p.prepaid)} prepaid periods: checkout through the service, paid on the simulator ...`);
  await inParallel(payments, SETUP_CONCURRENCY, (f) => f());
  await endPhase('payments', 'one-off donations and prepaid periods');

  // Monthly subscriptions and monthly donations (subscription mode). The first of each price alone
  // (the service makes one Stripe price per amount on first use).
  const monthlyAmounts = [500, 1000, 2500];
  const subs = [
    ...Array.from({ length: p.tierSubscriptions }, (_, i) => () =>
      checkout('/api/subscriptions', i % 3 === 2
        ? { tier: 'print', billing: 'monthly', email: `subscriber${i}@bench.example.org`, name: `Subscriber ${i}`, deliveryAddress: ADDRESS }
        : { tier: 'digital', billing: 'monthly', email: `subscriber${i}@bench.example.org`, name: `Subscriber ${i}` })),
    ...Array.from({ length: p.monthlyDonations }, (_, i) => () =>
      checkout('/api/donations', { amount: monthlyAmounts[i % monthlyAmounts.length], frequency: 'monthly', email: `monthly${i}@bench.example.org`, name: `Monthly ${i}` })),
  ];
  log(`  ${fmt(p.tierSubscriptions)} monthly subscriptions and ${fmt(p.monthlyDonations)} monthly donations: checkout, paid ...`);
  const firsts = [0, 1, 2, p.tierSubscriptions, p.tierSubscriptions + 1, p.tierSubscriptions + 2].filter((i) => i < subs.length);
  for (const i of firsts) await subs[i]();
  await inParallel(subs.filter((_, i) => !firsts.includes(i)), SETUP_CONCURRENCY, (f) => f());
  await endPhase('signups', 'subscription and monthly donation sign-ups');

  // Refunds of one-off donations: two in three full, one in three half.
  const all = await json<SimEvent[]>(`${sim}/_simulator/events`);
  const donationIntents = new Set(
    all
      .filter((e) => e.type === 'checkout.session.completed' && e.data.object.mode === 'payment' && (e.data.object.metadata as Record<string, string> | null)?.purpose === 'donation')
      .map((e) => e.data.object.payment_intent as string),
  );
  const charges = all
    .filter((e) => e.type === 'charge.succeeded' && donationIntents.has(e.data.object.payment_intent as string))
    .map((e) => ({ id: e.data.object.id, amount: e.data.object.amount as number }));
  const toRefund = charges.filter((_, i) => i % Math.max(1, Math.floor(charges.length / p.refunds)) === 0).slice(0, p.refunds);
  log(`  ${fmt(toRefund.length)} refunds (stripe SDK against the simulator) ...`);
  await inParallel(toRefund, SETUP_CONCURRENCY, async (c, i) => {
    await stripe.refunds.create({ charge: c.id, ...(i % 3 === 2 ? { amount: Math.floor(c.amount / 2) } : {}), reason: 'requested_by_customer' });
  });
  await endPhase('refunds', 'refunds');

  log('  one renewal of every subscription (simulator clock + 31 days) ...');
  await json(`${sim}/_simulator/clock/advance`, 'POST', { seconds: 31 * DAY });
  await endPhase('renewals', 'subscription renewals (invoices)');

  const events = (await json<SimEvent[]>(`${sim}/_simulator/events`)).map((e) => {
    delete e.delivery;
    return e;
  });
  return { events, phases, setupSeconds: (performance.now() - t0) / 1000 };
}

// ---------------------------------------------------------------- 2. fire them, watch the inbox

interface Sample {
  t: number;
  acknowledged: number;
  processed: number;
  pending: number;
  retrying: number;
  lagSeconds: number;
}

interface ActivityTotals {
  samples: number;
  counts: Map<string, number>;
  /** Statements found waiting for a lock, by their text. */
  blocked: Map<string, number>;
}

type Activity = Record<'sending' | 'after', ActivityTotals>;

/**
 * Every 200 ms the service's connections (pg_stat_activity), every second the inbox: what is
 * pending and how old the oldest pending event is (the partial indexes on unprocessed events make
 * that cheap; a count of the whole table every second would itself cost the database). Processed
 * = acknowledged (counted here) − pending. A line a second.
 */
function watchInbox(client: Client, t0: number, total: number, acknowledged: () => number): { stop: () => Promise<{ samples: Sample[]; activity: Activity }> } {
  const samples: Sample[] = [];
  const activity: Activity = { sending: { samples: 0, counts: new Map(), blocked: new Map() }, after: { samples: 0, counts: new Map(), blocked: new Map() } };
  let stopped = false;
  let lastProcessed = 0;
  let lastT = 0;
  const loop = (async () => {
    let tick = 0;
    while (!stopped) {
      const started = performance.now();
      const { rows } = await client.query(
        `SELECT state, wait_event_type, wait_event, count(*)::int AS n,
                array_agg(left(regexp_replace(query, '\\s+', ' ', 'g'), 110)) FILTER (WHERE wait_event_type = 'Lock') AS blocked
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
          GROUP BY 1, 2, 3`,
      );
      const phase = activity[acknowledged() < total ? 'sending' : 'after'];
      phase.samples++;
      for (const r of rows) {
        const key = r.state === 'active' ? (r.wait_event_type ? `active, waiting ${r.wait_event_type}:${r.wait_event}` : 'active, running') : String(r.state);
        phase.counts.set(key, (phase.counts.get(key) ?? 0) + r.n);
        for (const q of (r.blocked as string[] | null) ?? []) phase.blocked.set(q, (phase.blocked.get(q) ?? 0) + 1);
      }
      if (tick++ % 5 === 0) {
        const acked = acknowledged();
        const { rows: [s] } = await client.query(
          `SELECT count(*)::int AS pending, count(*) FILTER (WHERE last_error IS NOT NULL)::int AS retrying,
                  COALESCE(EXTRACT(epoch FROM clock_timestamp() - min(received_at)), 0)::float8 AS lag
             FROM stripe_events WHERE processed_at IS NULL`,
        );
        const t = (performance.now() - t0) / 1000;
        const processed = Math.max(0, acked - s.pending);
        const sample: Sample = { t, acknowledged: acked, processed, pending: s.pending, retrying: s.retrying, lagSeconds: s.lag };
        samples.push(sample);
        const rate = t > lastT ? (processed - lastProcessed) / (t - lastT) : 0;
        lastProcessed = processed;
        lastT = t;
        log(
          `  t=${t.toFixed(1).padStart(5)} s  acknowledged ${fmt(acked).padStart(6)}/${fmt(total)}  processed ${fmt(processed).padStart(6)}  ` +
            `pending ${fmt(s.pending).padStart(6)}  lag ${sample.lagSeconds.toFixed(2).padStart(6)} s  processing ${fmt(rate).padStart(5)}/s` +
            (s.retrying ? `  awaiting retry ${fmt(s.retrying)}` : ''),
        );
      }
      await sleep(Math.max(0, 200 - (performance.now() - started)));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return { samples, activity };
    },
  };
}

interface AckFigures {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  startedAt: number;
}

/** Sends every body once, `CONNECTIONS` at a time, each signed when it is sent; `onAck` counts the answers. */
async function fire(base: string, bodies: Buffer[], onAck: () => void): Promise<AckFigures> {
  let next = 0;
  const url = new URL(`${base}/api/stripe/webhook`);
  const latencies: number[] = [];
  const startedAt = Date.now();
  const t0 = performance.now();
  const result = await new Promise<AutocannonResult>((ok, fail) => {
    const instance = autocannon(
      {
        url: url.origin,
        connections: Math.min(CONNECTIONS, bodies.length),
        amount: bodies.length,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: url.pathname,
            setupRequest: (req) => {
              const body = bodies[next++ % bodies.length];
              const timestamp = Math.floor(Date.now() / 1000);
              const v1 = createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.`).update(body).digest('hex');
              return {
                ...req,
                body,
                headers: {
                  'Content-Type': 'application/json; charset=utf-8',
                  'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
                  'Stripe-Signature': `t=${timestamp},v1=${v1}`,
                  'Cache-Control': 'no-cache',
                  Accept: '*/*; q=0.5, application/xml',
                },
              };
            },
          },
        ],
      },
      (err, res) => (err ? fail(err) : ok(res)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      onAck();
    });
  });
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    sent: result.requests.sent ?? result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds,
    perSecond: result['2xx'] / seconds,
    p50Ms: percentile(latencies, 50),
    p90Ms: percentile(latencies, 90),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
    startedAt,
  };
}

/**
 * The service's event-loop delay since the previous scrape (prom-client's default metrics reset
 * it at every scrape), in ms; null when /metrics does not have it.
 */
async function eventLoopDelay(base: string): Promise<{ p50: number; p99: number; max: number } | null> {
  const res = await request(`${base}/metrics`).catch(() => null);
  if (!res || res.status !== 200) return null;
  const get = (name: string) => Number(new RegExp(`^nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? ([\\d.e+-]+)`, 'm').exec(res.body)?.[1] ?? NaN) * 1000;
  const d = { p50: get('p50'), p99: get('p99'), max: get('max') };
  return Number.isNaN(d.p99) ? null : d;
}

/** The service's own per-type processing times and webhook request durations, from /metrics. */
async function serviceMetrics(base: string): Promise<{ byType: Array<{ type: string; count: number; meanMs: number; totalSeconds: number }>; ackServerMeanMs: number; ackServerCount: number; failed: number }> {
  const res = await request(`${base}/metrics`);
  if (res.status !== 200) return { byType: [], ackServerMeanMs: NaN, ackServerCount: 0, failed: NaN };
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  let ackSum = 0;
  let ackCount = 0;
  let failed = 0;
  for (const line of res.body.split('\n')) {
    let m = /^webhook_processing_seconds_(sum|count)\{type="([^"]+)"\} ([\d.e+-]+)/.exec(line);
    if (m) (m[1] === 'sum' ? sums : counts).set(m[2], Number(m[3]));
    m = /^http_request_duration_seconds_(sum|count)\{([^}]*route="\/api\/stripe\/webhook"[^}]*)\} ([\d.e+-]+)/.exec(line);
    if (m) {
      if (m[1] === 'sum') ackSum += Number(m[3]);
      else ackCount += Number(m[3]);
    }
    m = /^webhook_events_failed_total\{[^}]*\} ([\d.e+-]+)/.exec(line);
    if (m) failed += Number(m[1]);
  }
  const byType = [...counts.entries()]
    .map(([type, count]) => ({ type, count, totalSeconds: sums.get(type) ?? 0, meanMs: ((sums.get(type) ?? 0) / count) * 1000 }))
    .sort((a, b) => b.totalSeconds - a.totalSeconds);
  return { byType, ackServerMeanMs: ackCount ? (ackSum / ackCount) * 1000 : NaN, ackServerCount: ackCount, failed };
}

// ---------------------------------------------------------------- 3. correctness

interface Check {
  paidCharges: number;
  payments: number;
  paymentCharges: number;
  duplicatePayments: number;
  missingPayments: number;
  extraPayments: number;
  refunds: number;
  refundEntries: number;
  duplicateRefunds: number;
  grossExpected: number;
  grossFound: number;
  feesExpected: number;
  feesFound: number;
  ok: boolean;
}

async function verify(db: Client, events: SimEvent[]): Promise<Check> {
  const charges = new Map<string, number>();
  for (const e of events) if (e.type === 'charge.succeeded') charges.set(e.data.object.id, e.data.object.amount as number);
  const refunds = new Set(events.filter((e) => e.type === 'refund.created').map((e) => e.data.object.id));
  const { rows: pay } = await db.query<{ charge: string | null; n: number; gross: string; fee: string }>(
    `SELECT stripe_charge_id AS charge, count(*)::int AS n, sum(gross) AS gross, sum(fee) AS fee FROM ledger_entries WHERE kind = 'payment' GROUP BY 1`,
  );
  const { rows: [fees] } = await db.query<{ fee: string }>(`SELECT COALESCE(sum(fee), 0) AS fee FROM ledger_entries WHERE kind IN ('payment', 'fee')`);
  const { rows: ref } = await db.query<{ refund: string; n: number }>(`SELECT stripe_refund_id AS refund, count(*)::int AS n FROM ledger_entries WHERE kind = 'refund' GROUP BY 1`);
  const found = new Set(pay.map((r) => r.charge ?? '(none)'));
  const payments = pay.reduce((s, r) => s + r.n, 0);
  // Stripe's Australian domestic card pricing, as the simulator charges it: 1.7% + 30c.
  const feesExpected = [...charges.values()].reduce((s, amount) => s + cardProcessingFee(amount), 0);
  const c: Check = {
    paidCharges: charges.size,
    payments,
    paymentCharges: found.size,
    duplicatePayments: payments - found.size,
    missingPayments: [...charges.keys()].filter((id) => !found.has(id)).length,
    extraPayments: [...found].filter((id) => !charges.has(id)).length,
    refunds: refunds.size,
    refundEntries: ref.reduce((s, r) => s + r.n, 0),
    duplicateRefunds: ref.reduce((s, r) => s + r.n, 0) - ref.length,
    grossExpected: [...charges.values()].reduce((s, a) => s + a, 0),
    grossFound: pay.reduce((s, r) => s + Number(r.gross), 0),
    feesExpected,
    feesFound: Number(fees.fee),
    ok: false,
  };
  c.ok = c.payments === c.paidCharges && !c.duplicatePayments && !c.missingPayments && !c.extraPayments && c.refundEntries === c.refunds && !c.duplicateRefunds && c.grossFound === c.grossExpected && c.feesFound === c.feesExpected;
  return c;
}

// ---------------------------------------------------------------- 4. the database's own limit

interface InsertFigures {
  clients: number;
  seconds: number;
  transactions: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  benchCpuPercent: number;
  error?: string;
}

async function pgInserts(clients: number): Promise<InsertFigures> {
  const setup = await connect();
  await setup.query(`DROP TABLE IF EXISTS bench_insert_scratch`);
  await setup.query(`CREATE TABLE bench_insert_scratch (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)`);
  const conns: Client[] = [];
  try {
    for (let i = 0; i < clients; i++) conns.push(await connect());
  } catch (err) {
    await Promise.all(conns.map((c) => c.end()));
    await setup.end();
    return { clients, seconds: 0, transactions: 0, perSecond: NaN, p50Ms: NaN, p99Ms: NaN, benchCpuPercent: NaN, error: `could not open ${clients} connections: ${(err as Error).message}` };
  }
  const runFor = async (seconds: number, latencies?: number[]) => {
    const deadline = performance.now() + seconds * 1000;
    let n = 0;
    await Promise.all(
      conns.map(async (c, i) => {
        while (performance.now() < deadline) {
          const t = performance.now();
          await c.query('INSERT INTO bench_insert_scratch (payload) VALUES ($1)', [`client ${i} row ${n}`]);
          latencies?.push(performance.now() - t);
          n++;
        }
      }),
    );
    return n;
  };
  try {
    await runFor(1);
    const latencies: number[] = [];
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const n = await runFor(PG_SECONDS, latencies);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    latencies.sort((a, b) => a - b);
    return { clients, seconds, transactions: n, perSecond: n / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), benchCpuPercent: ((cpu.user + cpu.system) / 1e6 / seconds) * 100 };
  } finally {
    await Promise.all(conns.map((c) => c.end()));
    await setup.query(`DROP TABLE IF EXISTS bench_insert_scratch`);
    await setup.end();
  }
}

// ---------------------------------------------------------------- database statistics

interface PgStats {
  xact: number;
  returned: number;
  fetched: number;
  inserted: number;
  updated: number;
  blksHit: number;
  blksRead: number;
  walBytes: number;
  tables: Map<string, { seqScan: number; seqRead: number; idxScan: number; inserted: number; updated: number; hot: number }>;
}

async function pgStats(db: Client): Promise<PgStats> {
  await db.query('SELECT pg_stat_clear_snapshot()');
  const { rows: [d] } = await db.query(
    `SELECT xact_commit + xact_rollback AS xact, tup_returned, tup_fetched, tup_inserted, tup_updated, blks_hit, blks_read FROM pg_stat_database WHERE datname = current_database()`,
  );
  const wal = await db.query(`SELECT wal_bytes FROM pg_stat_wal`).then((r) => Number(r.rows[0].wal_bytes), () => NaN);
  const { rows } = await db.query(`SELECT relname, seq_scan, seq_tup_read, COALESCE(idx_scan, 0) AS idx_scan, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables`);
  return {
    xact: Number(d.xact),
    returned: Number(d.tup_returned),
    fetched: Number(d.tup_fetched),
    inserted: Number(d.tup_inserted),
    updated: Number(d.tup_updated),
    blksHit: Number(d.blks_hit),
    blksRead: Number(d.blks_read),
    walBytes: wal,
    tables: new Map(rows.map((r) => [r.relname, { seqScan: Number(r.seq_scan), seqRead: Number(r.seq_tup_read), idxScan: Number(r.idx_scan), inserted: Number(r.n_tup_ins), updated: Number(r.n_tup_upd), hot: Number(r.n_tup_hot_upd) }])),
  };
}

function pgDelta(a: PgStats, b: PgStats) {
  const zero = { seqScan: 0, seqRead: 0, idxScan: 0, inserted: 0, updated: 0, hot: 0 };
  const tables = [...b.tables.entries()]
    .map(([name, t]) => {
      const o = a.tables.get(name) ?? zero;
      return { name, seqScan: t.seqScan - o.seqScan, seqRead: t.seqRead - o.seqRead, idxScan: t.idxScan - o.idxScan, inserted: t.inserted - o.inserted, updated: t.updated - o.updated, hot: t.hot - o.hot };
    })
    .filter((t) => t.seqScan || t.idxScan || t.inserted || t.updated)
    .sort((x, y) => y.seqRead + y.idxScan + y.inserted + y.updated - (x.seqRead + x.idxScan + x.inserted + x.updated));
  return {
    xact: b.xact - a.xact,
    returned: b.returned - a.returned,
    fetched: b.fetched - a.fetched,
    inserted: b.inserted - a.inserted,
    updated: b.updated - a.updated,
    blksHit: b.blksHit - a.blksHit,
    blksRead: b.blksRead - a.blksRead,
    walBytes: b.walBytes - a.walBytes,
    tables,
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const p = plan(EVENTS);
  log(`bench database ${safeUrl(DB_URL)} (dropped and created again), ${CORES} cores, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  log(`service: WEBHOOK_WORKER_CONCURRENCY ${WORKER_CONCURRENCY}, DATABASE_POOL_SIZE ${POOL_SIZE}; senders ${CONNECTIONS}; order ${ORDER}; event types ${ENABLED_EVENTS}`);
  await recreateDatabase();

  log('\n1. the objects: Stripe simulator and a fresh service (child processes), checkouts through the service ...');
  const sim = await startSimulator();
  const proxy = STRIPE_PROXY ? await startStripeProxy(sim.url) : undefined;
  if (proxy) log(`  profiling: the service reaches the simulator through a counting proxy (${proxy.url})`);
  const service = await startService(proxy?.url ?? sim.url, WORKERS > 0 ? 'receiver' : 'service');
  const workers: Array<Child & { base: string; errors: () => number }> = [];
  for (let i = 0; i < WORKERS; i++) workers.push(await startService(proxy?.url ?? sim.url, 'worker'));
  if (WORKERS) log(`  the service receives only; ${WORKERS} more process${WORKERS > 1 ? 'es' : ''} of it process${WORKERS > 1 ? '' : 'es'} (BENCH_WORKERS=${WORKERS})`);
  const made = await makeEvents(service.base, sim.url, p);
  const enabled = ENABLED_EVENTS === 'handled' ? made.events.filter((e) => HANDLED_TYPES.has(e.type)) : made.events;
  if (enabled.length < made.events.length) log(`  BENCH_ENABLED_EVENTS=handled: ${fmt(made.events.length - enabled.length)} events of types no handler takes are left out (a Stripe endpoint limited to the handled types)`);
  const events = ORDER === 'shuffle' ? shuffle(enabled) : enabled;
  const bodies = events.map((e) => Buffer.from(JSON.stringify(e, null, 2), 'utf8'));
  const payloadBytes = bodies.reduce((s, b) => s + b.length, 0);
  const byType = new Map<string, number>();
  for (const e of events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
  log(`  ${fmt(events.length)} events made in ${round(made.setupSeconds, 1)} s (${round(payloadBytes / events.length / 1024, 1)} kB each on average)`);

  const db = await connect();
  const { rows: [{ n: before }] } = await db.query(`SELECT count(*)::int AS n FROM stripe_events`);
  if (before) throw new Error(`the inbox already holds ${before} events: something delivered them (a webhook URL on the simulator?)`);
  const { rows: [{ n: ledgerBefore }] } = await db.query(`SELECT count(*)::int AS n FROM ledger_entries`);
  if (ledgerBefore) throw new Error(`the ledger already holds ${ledgerBefore} entries before any event was sent`);

  // The mix of what is sent, by the flow that made each event.
  const sent = new Set(events.map((e) => e.id));
  const phases = made.phases.map((ph) => ({ ...ph, events: made.events.slice(ph.from, ph.to).filter((e) => sent.has(e.id)) }));
  log('\n  the mix:');
  for (const ph of phases) {
    const types = new Map<string, number>();
    for (const e of ph.events) types.set(e.type, (types.get(e.type) ?? 0) + 1);
    log(`  - ${ph.name}: ${fmt(ph.events.length)} events (${[...types.entries()].sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${fmt(n)}`).join(', ')})`);
  }

  log(`\n2. ${fmt(events.length)} signed events → POST /api/stripe/webhook, ${Math.min(CONNECTIONS, events.length)} connections (autocannon); the inbox every second:`);
  const monitor = await connect();
  await sleep(1500); // the service's connections report their statistics when idle for a second
  const stats0 = await pgStats(db);
  proxy?.reset();
  await eventLoopDelay(service.base); // resets the service's event-loop histogram
  let acknowledged = 0;
  const t0 = performance.now();
  const cpu = cpuTracker([service.child.pid!, ...workers.map((w) => w.child.pid!)], sim.child.pid!);
  const cpu0 = cpu.snapshot();
  const watch = watchInbox(monitor, t0, events.length, () => acknowledged);
  const ack = await fire(service.base, bodies, () => acknowledged++);
  const cpu1 = cpu.snapshot();
  const loopSending = await eventLoopDelay(service.base);
  log(`  all sent in ${round(ack.seconds, 2)} s: ${fmt(ack.ok)} answered 2xx, ${fmt(ack.non2xx)} other, ${fmt(ack.errors)} errors/timeouts; processing goes on ...`);

  // Until every stored event is processed (or only parked ones are left, or time runs out).
  const deadline = performance.now() + PROCESS_TIMEOUT_S * 1000;
  let doneAt = NaN;
  let stalled = '';
  for (let i = 0; ; i++) {
    // Cheap while events are pending (the partial index of unprocessed events); every 100 ms.
    const { rows: [s] } = await db.query(
      `SELECT count(*)::int AS pending, count(*) FILTER (WHERE next_attempt_at = 'infinity')::int AS parked
         FROM (SELECT next_attempt_at FROM stripe_events WHERE processed_at IS NULL LIMIT ${i % 20 === 0 ? 'ALL' : '1'}) pending`,
    );
    if (s.pending === 0) {
      doneAt = performance.now();
      break;
    }
    if (i % 20 === 0 && s.pending === s.parked) {
      stalled = `${s.parked} events parked (failed WEBHOOK_MAX_ATTEMPTS times)`;
      break;
    }
    if (performance.now() > deadline) {
      const { rows: [left] } = await db.query(`SELECT count(*)::int AS n FROM stripe_events WHERE processed_at IS NULL`);
      stalled = `${left.n} events still pending after ${PROCESS_TIMEOUT_S} s`;
      break;
    }
    if (service.child.exitCode !== null) throw new Error(`the service exited\n${service.output()}`);
    for (const w of workers) if (w.child.exitCode !== null) throw new Error(`a worker exited\n${w.output()}`);
    await sleep(100);
  }
  const cpu2 = cpu.snapshot();
  const others = cpu.others();
  cpu.stop();
  const { samples, activity } = await watch.stop();
  await monitor.end();
  if (stalled) log(`  STOPPED WAITING: ${stalled}`);
  const loopAfter = await eventLoopDelay(service.base);
  const metrics = await serviceMetrics(service.base);
  // Processing times come from the processes that process.
  if (workers.length) {
    const merged = new Map<string, { type: string; count: number; totalSeconds: number; meanMs: number }>();
    for (const w of workers) {
      for (const t of (await serviceMetrics(w.base)).byType) {
        const m = merged.get(t.type) ?? { type: t.type, count: 0, totalSeconds: 0, meanMs: 0 };
        m.count += t.count;
        m.totalSeconds += t.totalSeconds;
        m.meanMs = (m.totalSeconds / m.count) * 1000;
        merged.set(t.type, m);
      }
    }
    metrics.byType = [...merged.values()].sort((a, b) => b.totalSeconds - a.totalSeconds);
  }
  const serviceErrors = service.errors() + workers.reduce((n, w) => n + w.errors(), 0);
  for (const w of workers) await stop(w.child);
  await stop(service.child); // its connections report their last statistics as they close
  await sleep(500);
  const stats1 = await pgStats(db);

  const { rows: [inbox] } = await db.query(
    `SELECT count(*)::int AS stored,
            count(*) FILTER (WHERE processed_at IS NOT NULL)::int AS processed,
            (EXTRACT(epoch FROM min(received_at)) * 1000)::float8 AS first_received,
            (EXTRACT(epoch FROM max(received_at)) * 1000)::float8 AS last_received,
            (EXTRACT(epoch FROM max(processed_at)) * 1000)::float8 AS last_processed,
            count(*) FILTER (WHERE attempts > 1)::int AS retried,
            count(*) FILTER (WHERE outcome LIKE 'ignored%')::int AS ignored,
            sum(deliveries)::int AS deliveries
       FROM stripe_events`,
  );
  const { rows: lagRows } = await db.query<{ s: number }>(`SELECT EXTRACT(epoch FROM processed_at - received_at)::float8 AS s FROM stripe_events WHERE processed_at IS NOT NULL ORDER BY 1`);
  const lags = lagRows.map((r) => r.s);
  const { rows: errorsByType } = await db.query<{ type: string; n: number; error: string }>(
    `SELECT type, count(*)::int AS n, min(last_error) AS error FROM stripe_events WHERE attempts > 1 OR last_error IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 8`,
  );
  const { rows: outcomes } = await db.query<{ outcome: string; n: number }>(
    `SELECT regexp_replace(coalesce(outcome, '(none)'), '(cs|ch|pi|in|sub|re|evt|cus|py|txn)_[A-Za-z0-9_]+|[0-9a-f]{8}-[0-9a-f-]{27}|[0-9]+', '…', 'g') AS outcome, count(*)::int AS n
       FROM stripe_events GROUP BY 1 ORDER BY 2 DESC LIMIT 12`,
  );
  const check = await verify(db, events);
  await db.end();

  const lastProcessedMs: number = inbox.last_processed;
  const e2eSeconds = (lastProcessedMs - ack.startedAt) / 1000;
  const e2ePerSecond = inbox.processed / e2eSeconds;
  const observedSeconds = (doneAt - t0) / 1000;
  const drainSeconds = (lastProcessedMs - inbox.first_received) / 1000;
  const maxLag = Math.max(0, ...samples.map((s) => s.lagSeconds));
  const maxPending = Math.max(0, ...samples.map((s) => s.pending));
  const processingWhileSending = samples.filter((s) => s.t <= ack.seconds).pop();
  const dbWork = pgDelta(stats0, stats1);

  log('\n  where the time went:');
  const ack1 = cpuPhase(cpu0, cpu1);
  const drain = cpuPhase(cpu1, cpu2);
  const whole = cpuPhase(cpu0, cpu2);
  const pct = (cpu: number, seconds: number) => `${round(cpu, 1)} s (${Math.round((cpu / seconds) * 100)}%)`;
  log(
    table([
      ['CPU time (% of one core)', `sending: ${round(ack1.seconds, 1)} s`, `after sending: ${round(drain.seconds, 1)} s`, `whole run: ${round(whole.seconds, 1)} s`],
      ...(['service', 'simulator', 'postgres', 'bench', 'other'] as const).map((k) => [
        k === 'service' ? 'service (node)' : k === 'simulator' ? 'Stripe simulator (node)' : k === 'postgres' ? 'PostgreSQL (this database + WAL/checkpoint)' : k === 'bench' ? 'this bench (autocannon, monitor)' : 'other processes on the machine',
        pct(ack1[k], ack1.seconds),
        pct(drain[k], drain.seconds),
        pct(whole[k], whole.seconds),
      ]),
      ['machine (all cores)', pct(ack1.service + ack1.simulator + ack1.postgres + ack1.bench + ack1.other, ack1.seconds * CORES).replace(/\)$/, ` of ${CORES} cores)`), pct(drain.service + drain.simulator + drain.postgres + drain.bench + drain.other, drain.seconds * CORES).replace(/\)$/, ` of ${CORES} cores)`), pct(whole.service + whole.simulator + whole.postgres + whole.bench + whole.other, whole.seconds * CORES).replace(/\)$/, ` of ${CORES} cores)`)],
    ]),
  );
  const loopText = (d: { p50: number; p99: number; max: number } | null) => (d ? `p50 ${round(d.p50, 1)} ms, p99 ${round(d.p99, 1)} ms, max ${round(d.max, 1)} ms` : 'n/a');
  log(`  the service's event-loop delay (ingest and the worker share one thread): while sending ${loopText(loopSending)}; after ${loopText(loopAfter)}`);
  if (others.length) log(`  other processes that used CPU meanwhile: ${others.map((o) => `${o.cmd} (${round(o.seconds, 1)} s)`).join('; ')}`);
  log(`\n  the service's ${POOL_SIZE * (1 + WORKERS)} database connections: average number in each state (pg_stat_activity every 200 ms):`);
  const states = [...new Set([...activity.sending.counts.keys(), ...activity.after.counts.keys()])];
  const avg = (a: ActivityTotals, k: string) => (a.samples ? ((a.counts.get(k) ?? 0) / a.samples).toFixed(2) : 'n/a');
  log(
    table([
      ['state', `while sending (${activity.sending.samples} samples)`, `after (${activity.after.samples})`],
      ...states.sort((x, y) => (activity.after.counts.get(y) ?? 0) + (activity.sending.counts.get(y) ?? 0) - (activity.after.counts.get(x) ?? 0) - (activity.sending.counts.get(x) ?? 0)).map((k) => [k, avg(activity.sending, k), avg(activity.after, k)]),
    ]),
  );
  const blocked = new Map<string, number>();
  for (const a of [activity.sending, activity.after]) for (const [q, n] of a.blocked) blocked.set(q, (blocked.get(q) ?? 0) + n);
  const allSamples = activity.sending.samples + activity.after.samples;
  if (blocked.size) {
    log('  statements seen waiting for a lock (average number waiting):');
    for (const [q, n] of [...blocked.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6)) log(`    ${(n / allSamples).toFixed(2).padStart(6)}  ${q}`);
  }
  log(`\n  database work while sending and processing (pg_stat_database / pg_stat_user_tables; the monitor's own queries included), per event:`);
  log(`    ${round(dbWork.xact / events.length, 2)} transactions, ${round(dbWork.inserted / events.length, 2)} rows inserted, ${round(dbWork.updated / events.length, 2)} updated, ${round((dbWork.returned + dbWork.fetched) / events.length, 1)} rows read, ${round(dbWork.blksHit / events.length, 1)} buffer hits, ${round(dbWork.walBytes / events.length / 1024, 1)} kB of WAL${Number.isNaN(dbWork.walBytes) ? ' (n/a)' : ''}`);
  log(
    table([
      ['table', 'seq scans', 'rows read by them', 'index scans', 'inserted', 'updated (HOT)'],
      ...dbWork.tables.slice(0, 10).map((t) => [t.name, fmt(t.seqScan), fmt(t.seqRead), fmt(t.idxScan), fmt(t.inserted), `${fmt(t.updated)} (${fmt(t.hot)})`]),
    ]),
  );
  if (metrics.byType.length) {
    log(`\n  processing time by event type (service /metrics: prepare + transaction, per event; ${WORKER_CONCURRENCY} lanes):`);
    log(
      table([
        ['event type', 'processed', 'mean ms', 'lane-seconds', 'share'],
        ...metrics.byType.map((r) => [r.type, fmt(r.count), round(r.meanMs, 1).toFixed(1), round(r.totalSeconds, 1).toFixed(1), `${Math.round((r.totalSeconds / metrics.byType.reduce((s, x) => s + x.totalSeconds, 0)) * 100)}%`]),
      ]),
    );
    log(`  webhook requests, server side (fastify onResponse): mean ${round(metrics.ackServerMeanMs, 2)} ms over ${fmt(metrics.ackServerCount)}`);
  }
  log('\n  outcomes (ids and numbers elided):');
  for (const o of outcomes) log(`    ${fmt(o.n).padStart(6)}  ${o.outcome.slice(0, 140)}`);
  if (errorsByType.length) {
    log('  events that needed more than one attempt:');
    for (const r of errorsByType) log(`    ${fmt(r.n).padStart(6)}  ${r.type}: ${r.error ? r.error.slice(0, 160) : 'succeeded on a later attempt (the last error is cleared; see the service log)'}`);
  }
  if (proxy) {
    const total = [...proxy.calls.values()].reduce((s, c) => s + c.calls, 0);
    log(`\n  Stripe API calls while processing (counting proxy): ${fmt(total)}, ${round(total / Math.max(1, inbox.processed), 2)} per event, ${fmt(total / whole.seconds)}/s`);
    log(
      table([
        ['endpoint', 'calls', 'per event', 'mean ms'],
        ...[...proxy.calls.entries()].sort((a, b) => b[1].calls - a[1].calls).map(([k, c]) => [k, fmt(c.calls), round(c.calls / Math.max(1, inbox.processed), 3).toFixed(3), round(c.ms / c.calls, 2).toFixed(2)]),
      ]),
    );
  }
  if (serviceErrors) log(`  the service logged ${fmt(serviceErrors)} error lines; its last output:\n${service.output()}`);

  log(`\n  correctness: ledger payment entries expected ${fmt(check.paidCharges)} (one per paid charge), found ${fmt(check.payments)} on ${fmt(check.paymentCharges)} charges` +
    ` (duplicates ${check.duplicatePayments}, missing ${check.missingPayments}, not Stripe's ${check.extraPayments}); refunds expected ${fmt(check.refunds)}, found ${fmt(check.refundEntries)} (duplicates ${check.duplicateRefunds});` +
    ` gross expected ${fmt(check.grossExpected)}, found ${fmt(check.grossFound)}; fees expected ${fmt(check.feesExpected)}, found ${fmt(check.feesFound)}: ${check.ok ? 'OK' : 'WRONG'}`);

  await stop(sim.child);
  const stripeCalls = proxy ? Object.fromEntries([...proxy.calls.entries()].map(([k, c]) => [k, { calls: c.calls, meanMs: round(c.ms / c.calls, 2) }])) : undefined;
  await proxy?.close();

  log(`\n3. the database's own limit: single-row INSERT transactions (autocommit), ${PG_SECONDS} s each, the service stopped ...`);
  const settings = await (async () => {
    const c = await connect();
    try {
      const { rows } = await c.query(`SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'max_connections', 'shared_buffers', 'server_version')`);
      return Object.fromEntries(rows.map((r) => [r.name, r.setting])) as Record<string, string>;
    } finally {
      await c.end();
    }
  })();
  log(`  PostgreSQL ${settings.server_version}: synchronous_commit ${settings.synchronous_commit}, fsync ${settings.fsync}, wal_sync_method ${settings.wal_sync_method}, commit_delay ${settings.commit_delay}, max_connections ${settings.max_connections}`);
  const inserts: InsertFigures[] = [];
  for (const n of PG_CLIENTS) {
    const r = await pgInserts(n);
    inserts.push(r);
    log(r.error ? `  ${n} clients: ${r.error}` : `  ${n} clients: ${fmt(r.perSecond)} tx/s (p50 ${round(r.p50Ms, 2)} ms, p99 ${round(r.p99Ms, 2)} ms; this process ${Math.round(r.benchCpuPercent)}% of a core)`);
  }

  const mix = phases.map((ph) => `${ph.key} ${fmt(ph.events.length)}`).join(', ');
  const rows: string[][] = [
    ['measure', 'value', 'target', ''],
    ['events sent (signed, Stripe shapes)', fmt(events.length), '', ''],
    ['  mix by flow', mix, '', ''],
    ...phases.map((ph) => [`  ${ph.name}`, fmt(ph.events.length), '', '']),
    ['  event types', fmt(byType.size), '', ''],
    ['acknowledged 2xx / other / errors', `${fmt(ack.ok)} / ${fmt(ack.non2xx)} / ${fmt(ack.errors)}`, '', ''],
    [`ack latency p50 / p99 (${Math.min(CONNECTIONS, events.length)} connections)`, `${round(ack.p50Ms, 1)} / ${round(ack.p99Ms, 1)} ms`, `p99 < ${TARGETS.ackP99Ms} ms`, verdict(ack.p99Ms < TARGETS.ackP99Ms && ack.ok === events.length)],
    ['ack rate', `${fmt(ack.perSecond)} events/s`, '', ''],
    ['processed into the ledger, end to end', `${fmt(e2ePerSecond)} events/s`, `≥ ${fmt(TARGETS.eventsPerSecond)}`, verdict(e2ePerSecond >= TARGETS.eventsPerSecond && !stalled)],
    ['  events ÷ (last processed_at − first send)', `${fmt(inbox.processed)} ÷ ${round(e2eSeconds, 2)} s`, '', ''],
    ['  worker rate (first received → last processed)', `${fmt(inbox.processed / drainSeconds)} events/s`, '', ''],
    ['  processed while sending', processingWhileSending ? `${fmt(processingWhileSending.processed)} of ${fmt(processingWhileSending.acknowledged)} acknowledged` : 'n/a', '', ''],
    ['processing lag: max backlog / oldest pending', `${fmt(maxPending)} events / ${round(maxLag, 1)} s`, 'keeps up', verdict(maxLag < 5 && !stalled)],
    ['  per event received → processed p50 / p99 / max', `${round(percentile(lags, 50), 2)} / ${round(percentile(lags, 99), 2)} / ${round(lags[lags.length - 1] ?? NaN, 2)} s`, '', ''],
    ['  events retried / ignored (no effect)', `${fmt(inbox.retried)} / ${fmt(inbox.ignored)}`, '', ''],
    ...inserts.map((r) => [`PG single-row INSERT tx/s, ${r.clients} clients`, r.error ? 'n/a' : fmt(r.perSecond), '', '']),
    ['ledger: payments expected / found (each once)', `${fmt(check.paidCharges)} / ${fmt(check.payments)}${check.duplicatePayments ? ` (${check.duplicatePayments} doubled)` : ''}`, 'equal', verdict(check.ok)],
  ];
  log(`\n${table(rows)}\n`);
  log(
    'BENCH_JSON ' +
      JSON.stringify({
        events: events.length,
        order: ORDER,
        enabledEvents: ENABLED_EVENTS,
        mix: Object.fromEntries(phases.map((ph) => [ph.key, ph.events.length])),
        types: Object.fromEntries([...byType.entries()].sort((a, b) => b[1] - a[1])),
        plan: p,
        payloadBytesAverage: Math.round(payloadBytes / events.length),
        service: { workers: WORKERS, workerConcurrency: WORKER_CONCURRENCY, poolSize: POOL_SIZE, errorsLogged: serviceErrors },
        ack: { connections: Math.min(CONNECTIONS, events.length), ok: ack.ok, non2xx: ack.non2xx, errors: ack.errors, seconds: round(ack.seconds, 3), perSecond: Math.round(ack.perSecond), p50Ms: ack.p50Ms, p90Ms: ack.p90Ms, p99Ms: ack.p99Ms, maxMs: ack.maxMs, serverMeanMs: round(metrics.ackServerMeanMs, 3), targetP99Ms: TARGETS.ackP99Ms },
        processing: {
          processed: inbox.processed,
          stored: inbox.stored,
          endToEndSeconds: round(e2eSeconds, 3),
          endToEndPerSecond: Math.round(e2ePerSecond),
          observedDoneSeconds: round(observedSeconds, 3),
          workerPerSecond: Math.round(inbox.processed / drainSeconds),
          maxPending,
          maxLagSeconds: round(maxLag, 2),
          lagP50Seconds: round(percentile(lags, 50), 3),
          lagP99Seconds: round(percentile(lags, 99), 3),
          retried: inbox.retried,
          ignored: inbox.ignored,
          stalled: stalled || null,
          targetPerSecond: TARGETS.eventsPerSecond,
          byType: metrics.byType.map((r) => ({ type: r.type, count: r.count, meanMs: round(r.meanMs, 2) })),
        },
        eventLoopDelayMs: { sending: loopSending, after: loopAfter },
        cpuSeconds: { sending: ack1, afterSending: drain, whole, cores: CORES, otherProcesses: others },
        lockWaits: Object.fromEntries([...blocked.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([q, n]) => [q, round(n / allSamples, 2)])),
        dbConnections: Object.fromEntries((['sending', 'after'] as const).map((ph) => [ph, Object.fromEntries([...activity[ph].counts.entries()].map(([k, n]) => [k, round(n / Math.max(1, activity[ph].samples), 2)]))])),
        lagSamples: samples.map((s) => [round(s.t, 1), s.acknowledged, s.processed, round(s.lagSeconds, 2)]),
        dbWorkPerEvent: { transactions: round(dbWork.xact / events.length, 2), tuplesInserted: round(dbWork.inserted / events.length, 2), tuplesUpdated: round(dbWork.updated / events.length, 2), tuplesRead: round((dbWork.returned + dbWork.fetched) / events.length, 1), blocksHit: round(dbWork.blksHit / events.length, 1), walMegabytes: round(dbWork.walBytes / 1048576, 1) },
        postgres: { settings, inserts: inserts.map((r) => ({ clients: r.clients, perSecond: Math.round(r.perSecond), p50Ms: round(r.p50Ms, 3), p99Ms: round(r.p99Ms, 3), error: r.error })) },
        correctness: check,
        ...(stripeCalls ? { stripeCalls } : {}),
      }),
  );
}

runMain(main);
