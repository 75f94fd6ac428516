/*
 * `npm run bench:pages`
 *
 * The donate page beside the progress endpoint, measured in the same run against the same
 * service: time to first byte of single requests, then latency and throughput under load
 * (autocannon). Prints a table and one JSON line (`BENCH_JSON {...}`); asserts nothing.
 *
 *   npm run bench:pages
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:pages
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL   a PostgreSQL database for the service (unset: the embedded one, in memory)
 *   BENCH_CONNECTIONS    autocannon connections (default 50)
 *   BENCH_DURATION       autocannon seconds per endpoint and round (default 10; 2 more of warm-up)
 *   BENCH_TTFB_REQUESTS  single requests per endpoint for time to first byte (default 500)
 *
 * The built service (dist/apps/api/src/main.js) runs as a child process on a free port with
 * the in-process Stripe simulator. GET /give is asked without cookies, as a first visit is: each
 * answer mints a CSRF cookie and renders the form with the current campaign's bar from memory.
 * The two endpoints are measured alternately (progress, give, progress, give), so a slower
 * moment of the machine does not fall on one of them only.
 */
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  autocannon,
  DIST,
  fmt,
  freePort,
  log,
  percentile,
  request,
  round,
  runMain,
  start,
  table,
  waitUntilAnswering,
} from './bench-support';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const DURATION = Number(process.env.BENCH_DURATION || 10);
const TTFB_REQUESTS = Number(process.env.BENCH_TTFB_REQUESTS || 500);
const WARMUP = 2;

const ENDPOINTS = { give: '/give', progress: '/api/campaigns/current/progress' } as const;
type Endpoint = keyof typeof ENDPOINTS;

interface AutocannonLatency {
  p50: number;
  p97_5: number;
  p99: number;
}

interface LoadFigures {
  requestsPerSecond: number;
  p50: number;
  p975: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** Milliseconds from sending a request to its first byte (the response's status line), one at a time on a kept-alive connection. */
function firstByte(url: string, agent: http.Agent): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  return new Promise((ok, fail) => {
    const req = http.get(url, { agent }, (res) => {
      const at = performance.now();
      let size = 0;
      res.on('data', (c: Buffer) => (size += c.length));
      res.on('end', () => {
        if (res.statusCode !== 200) fail(new Error(`${url} answered ${res.statusCode}`));
        else ok({ ms: at - t0, bytes: size });
      });
    });
    req.on('error', fail);
  });
}

/** Time to first byte of each endpoint, `n` requests each, the endpoints taking turns (after 20 turns of warm-up). */
async function ttfb(base: string, n: number): Promise<Record<Endpoint, { p50: number; p99: number; bytes: number }>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const names = Object.keys(ENDPOINTS) as Endpoint[];
  const times = { give: [] as number[], progress: [] as number[] };
  const bytes = { give: 0, progress: 0 };
  for (let i = 0; i < n + 20; i++) {
    for (const e of names) {
      const r = await firstByte(`${base}${ENDPOINTS[e]}`, agent);
      bytes[e] = r.bytes;
      if (i >= 20) times[e].push(r.ms);
    }
  }
  agent.destroy();
  const figures = (e: Endpoint) => {
    const sorted = times[e].sort((a, b) => a - b);
    return { p50: round(percentile(sorted, 50), 2), p99: round(percentile(sorted, 99), 2), bytes: bytes[e] };
  };
  return { give: figures('give'), progress: figures('progress') };
}

async function load(url: string): Promise<LoadFigures> {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
  const latency = r.latency as unknown as AutocannonLatency;
  return {
    requestsPerSecond: r.requests.average,
    p50: latency.p50,
    p975: latency.p97_5,
    p99: latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

/** The better of two rounds' figures (alternating endpoints), by throughput. */
const better = (a: LoadFigures, b: LoadFigures) => (b.requestsPerSecond > a.requestsPerSecond ? b : a);

async function main(): Promise<void> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    STRIPE_SIMULATOR_PORT: '0',
    RATE_LIMIT_PER_MINUTE: '0',
    ...(process.env.BENCH_DATABASE_URL
      ? { DATABASE_URL: process.env.BENCH_DATABASE_URL }
      : { EMBEDDED_DB_DIR: 'memory' }),
  };
  delete env.STRIPE_SECRET_KEY;
  delete env.STRIPE_WEBHOOK_SECRET;
  delete env.STRIPE_API_URL;
  if (!process.env.BENCH_DATABASE_URL) delete env.DATABASE_URL;
  const { child, output } = start('service', [path.join(DIST, 'apps/api/src/main.js')], env);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(`${base}/health`, child, output, 'the service');
  for (const p of Object.values(ENDPOINTS)) {
    const res = await request(`${base}${p}`);
    if (res.status !== 200) throw new Error(`GET ${p} answered ${res.status}: ${res.body.slice(0, 300)}`);
  }

  log(`time to first byte: ${TTFB_REQUESTS} single requests each, taking turns (after 20 turns of warm-up) ...`);
  const first = await ttfb(base, TTFB_REQUESTS);

  log(
    `under load: autocannon, ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s, two rounds alternating ...`,
  );
  const rounds: Array<Record<Endpoint, LoadFigures>> = [];
  for (let i = 0; i < 2; i++) {
    const progress = await load(`${base}${ENDPOINTS.progress}`);
    const give = await load(`${base}${ENDPOINTS.give}`);
    rounds.push({ progress, give });
  }
  const loaded: Record<Endpoint, LoadFigures> = {
    progress: better(rounds[0].progress, rounds[1].progress),
    give: better(rounds[0].give, rounds[1].give),
  };

  const row = (name: string, e: Endpoint) => [
    name,
    `${first[e].bytes}`,
    `${first[e].p50} / ${first[e].p99}`,
    fmt(loaded[e].requestsPerSecond),
    `${loaded[e].p50} / ${loaded[e].p975} / ${loaded[e].p99}`,
    `${loaded[e].non2xx + loaded[e].errors}`,
  ];
  log('');
  log(
    table([
      [
        'endpoint',
        'bytes',
        'TTFB p50 / p99 ms (one at a time)',
        'req/s (load)',
        'latency p50 / p97.5 / p99 ms (load)',
        'non-2xx+errors',
      ],
      row('GET /give', 'give'),
      row('GET /api/campaigns/current/progress', 'progress'),
    ]),
  );
  log(
    `\n/give ÷ progress: ${round(loaded.give.requestsPerSecond / loaded.progress.requestsPerSecond, 2)} of the throughput, TTFB p50 ${round(first.give.p50 / first.progress.p50, 1)}×`,
  );
  log(
    `BENCH_JSON ${JSON.stringify({ connections: CONNECTIONS, duration: DURATION, ttfb: first, load: loaded, rounds })}`,
  );
}

runMain(main);
