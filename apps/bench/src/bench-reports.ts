/*
 * `npm run bench:reports`
 *
 * Measures the finance reports and the public progress endpoint on a ledger of about a million
 * entries, and prints the figures beside their targets (no assertions): a table, then one JSON
 * line (`BENCH_JSON {...}`) for machines.
 *
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench npm run bench:reports
 *
 * Environment (all optional):
 *   BENCH_DATABASE_URL   default postgresql://postgres@127.0.0.1:5432/bench; created if missing,
 *                        migrated, and seeded with seedLedger() (seed-ledger.ts) while its ledger
 *                        has fewer than BENCH_ENTRIES (default 1,000,000) entries
 *   BENCH_CONNECTIONS    autocannon connections (default 50)
 *   BENCH_DURATION       autocannon seconds per server (default 10; 2 more of warm-up each)
 *   BENCH_STAFF_PASSWORD password of the finance account bench-finance@example.org it creates
 *   REPORT_TIME_ZONE     default Australia/Sydney; CURRENCY default AUD
 *
 * 1. Summary: the most recent full local year by month through ReportsService.summary() in an
 *    in-process application context (3 warm-ups, 20 timed runs), beside a plain GROUP BY over
 *    the same entries through the same DataSource (5 runs).
 * 2. CSV export: the built service (dist/apps/api/src/main.js) as a child process on a free
 *    port with the in-process Stripe simulator; a finance account (create-staff CLI), sign-in,
 *    then GET /api/reports/ledger.csv for the last two years, streamed and counted, not kept;
 *    rows/s and the child's RSS before and peak (VmHWM) after.
 * 3. GET /api/campaigns/current/progress with autocannon from this process, against the service
 *    and against a bare node:http child answering the same bytes.
 *
 * Children are stopped at the end, on error and on Ctrl-C.
 */
import 'reflect-metadata';
import { type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { ReportsService } from '@app/reports';
import { AppModule } from '../../api/src/app.module';
import {
  autocannon,
  DIST,
  fmt,
  freePort,
  log,
  median,
  memoryMb,
  percentile,
  request,
  round,
  run,
  runMain,
  sleep,
  start,
  stop,
  table,
  verdict,
  waitUntilAnswering,
} from './bench-support';
import { openMigrated, seedLedger } from './seed-ledger';

const BENCH_URL = process.env.BENCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/bench';
const TARGET_ENTRIES = Number(process.env.BENCH_ENTRIES || 1_000_000);
const ZONE = process.env.REPORT_TIME_ZONE || 'Australia/Sydney';
const CURRENCY = (process.env.CURRENCY || 'AUD').toUpperCase();
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const DURATION = Number(process.env.BENCH_DURATION || 10);
const WARMUP = 2;
const STAFF_EMAIL = 'bench-finance@example.org';
const STAFF_PASSWORD = process.env.BENCH_STAFF_PASSWORD || 'bench-finance-password-2026';

const TARGETS = { summaryMs: 50, csvRowsPerSecond: 300_000, csvPeakRssMb: 250, progressRatio: 0.5 };

// ---------------------------------------------------------------- helpers

/** YYYY-MM-DD of a date in the report time zone. */
function localDate(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    d,
  );
}

/** The environment of the service: the bench database, no Stripe key (so the simulator). */
function serviceEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: BENCH_URL,
    LOG_LEVEL: 'warn',
    STRIPE_SIMULATOR_PORT: '0',
    ...extra,
  };
  delete env.STRIPE_SECRET_KEY;
  delete env.STRIPE_WEBHOOK_SECRET;
  delete env.STRIPE_API_URL;
  return env;
}

// ---------------------------------------------------------------- database

async function ensureDatabase(): Promise<void> {
  const url = new URL(BENCH_URL);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error('BENCH_DATABASE_URL names no database');
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      log(`creating database ${name}`);
      await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    }
  } finally {
    await admin.end();
  }
}

async function ensureLedger(): Promise<number> {
  const ds = await openMigrated(BENCH_URL);
  try {
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM ledger_entries`);
    if (n >= TARGET_ENTRIES * 0.99) {
      log(`bench ledger has ${fmt(n)} entries: no seeding`);
      return n;
    }
    const entries = TARGET_ENTRIES - n;
    const supporters = Math.max(1000, Math.round((100_000 * entries) / 1_000_000));
    log(
      `bench ledger has ${fmt(n)} entries (< ${fmt(TARGET_ENTRIES)}): seeding ${fmt(entries)} entries and ${fmt(supporters)} supporters with seedLedger()`,
    );
    await seedLedger(ds, { entries, supporters, years: 2, seed: 42 });
    const [{ n: after }] = await ds.query(`SELECT count(*)::int AS n FROM ledger_entries`);
    return after;
  } finally {
    await ds.destroy();
  }
}

// ---------------------------------------------------------------- 1. summary

interface SummaryFigures {
  summaryMedianMs: number;
  summaryP95Ms: number;
  summaryMinMs: number;
  sqlMedianMs: number;
  ratio: number;
  year: number;
  periods: number;
  check: string;
}

async function benchSummary(): Promise<SummaryFigures> {
  const year = Number(localDate(new Date()).slice(0, 4)) - 1;
  const env = serviceEnv({});
  const config = loadConfig({ ...env, DATABASE_URL: BENCH_URL, LOG_LEVEL: 'warn' });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    logger: ['warn', 'error', 'fatal'],
  });
  try {
    const reports = app.get(ReportsService);
    const db = app.get(DataSource);
    const query = { from: `${year}-01-01`, to: `${year}-12-31`, interval: 'month' as const, currency: CURRENCY };
    for (let i = 0; i < 3; i++) await reports.summary(query);
    const times: number[] = [];
    let report = await reports.summary(query);
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      report = await reports.summary(query);
      times.push(performance.now() - t0);
    }
    const sorted = [...times].sort((a, b) => a - b);

    const sql = `SELECT date_trunc('month', occurred_at AT TIME ZONE $1) AS m, type, channel, kind, sum(gross) AS gross, sum(fee) AS fee, sum(net) AS net, count(*) AS n
                   FROM ledger_entries
                  WHERE occurred_at >= ($2::timestamp AT TIME ZONE $1) AND occurred_at < ($3::timestamp AT TIME ZONE $1) AND currency = $4
                  GROUP BY 1, 2, 3, 4`;
    const params = [ZONE, `${year}-01-01`, `${year + 1}-01-01`, CURRENCY];
    const sqlTimes: number[] = [];
    let rows: Array<{ kind: string; net: string; n: string }> = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      rows = await db.query(sql, params);
      sqlTimes.push(performance.now() - t0);
    }
    // Informational: the two should describe the same money.
    const sqlNet = rows.reduce((s, r) => s + Number(r.net), 0);
    const sqlPayments = rows.filter((r) => r.kind === 'payment').reduce((s, r) => s + Number(r.n), 0);
    const totals = report.totals as unknown as { net?: number; payments?: number };
    const same = totals.net === sqlNet && totals.payments === sqlPayments;
    const check = `summary totals net ${fmt(totals.net ?? NaN)}, payments ${fmt(totals.payments ?? NaN)}; GROUP BY net ${fmt(sqlNet)}, payments ${fmt(sqlPayments)}: ${same ? 'same' : 'DIFFERENT'}`;
    const summaryMedianMs = median(times);
    const sqlMedianMs = median(sqlTimes);
    return {
      summaryMedianMs,
      summaryP95Ms: percentile(sorted, 95),
      summaryMinMs: sorted[0],
      sqlMedianMs,
      ratio: sqlMedianMs / summaryMedianMs,
      year,
      periods: report.periods.length,
      check,
    };
  } finally {
    await app.close();
  }
}

// ---------------------------------------------------------------- 2. CSV export

interface CsvFigures {
  from: string;
  to: string;
  status: number;
  rows: number;
  megabytes: number;
  seconds: number;
  rowsPerSecond: number;
  rssBeforeMb: number;
  peakRssBeforeMb: number;
  peakRssAfterMb: number;
}

async function startService(): Promise<{ base: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const { child, output } = start(
    'service',
    [path.join(DIST, 'apps/api/src/main.js')],
    serviceEnv({ PORT: String(port), HOST: '127.0.0.1' }),
  );
  const base = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(`${base}/health`, child, output, 'the service');
  return { base, child, output };
}

async function financeToken(base: string): Promise<string> {
  const created = await run(
    [
      path.join(DIST, 'libs/staff/src/cli/create-staff.js'),
      '--email',
      STAFF_EMAIL,
      '--name',
      'Bench',
      '--role',
      'finance',
    ],
    serviceEnv({ STAFF_PASSWORD }),
  );
  if (created.code === 0) log(`  ${created.output.split('\n').pop()}`);
  else if (/already exists/.test(created.output)) log(`  finance account ${STAFF_EMAIL} already exists`);
  else throw new Error(`create-staff failed (${created.code}): ${created.output}`);
  const res = await request(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: STAFF_EMAIL, password: STAFF_PASSWORD }),
  });
  if (res.status !== 200) {
    throw new Error(
      `login as ${STAFF_EMAIL} answered ${res.status}: ${res.body} (an account left by another run with another password? set BENCH_STAFF_PASSWORD)`,
    );
  }
  return JSON.parse(res.body).accessToken as string;
}

/** Streams the body, counting newlines; nothing is kept. */
function download(
  url: string,
  token: string,
): Promise<{ status: number; lines: number; bytes: number; seconds: number; firstLine: string; error?: string }> {
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    const req = http.get(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let lines = 0;
      let bytes = 0;
      let firstLine = '';
      let lastByte = 10;
      res.on('data', (chunk: Buffer) => {
        if (!firstLine && lines === 0) {
          firstLine = chunk.toString('utf8', 0, Math.min(chunk.length, 400)).split('\n')[0];
        }
        bytes += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        lastByte = chunk[chunk.length - 1];
      });
      res.on('end', () => {
        if (bytes && lastByte !== 10) lines++; // a last line without its newline
        ok({ status: res.statusCode ?? 0, lines, bytes, seconds: (performance.now() - t0) / 1000, firstLine });
      });
      res.on('error', fail);
      res.on('aborted', () =>
        ok({
          status: res.statusCode ?? 0,
          lines,
          bytes,
          seconds: (performance.now() - t0) / 1000,
          firstLine,
          error: 'aborted',
        }),
      );
    });
    req.on('error', fail);
  });
}

async function benchCsv(base: string, child: ChildProcess, token: string): Promise<CsvFigures> {
  const now = new Date();
  const to = localDate(now);
  const twoYearsAgo = new Date(now);
  twoYearsAgo.setUTCFullYear(now.getUTCFullYear() - 2);
  const from = localDate(twoYearsAgo);
  await sleep(1000); // let start-up garbage settle before reading the RSS
  const before = memoryMb(child.pid!);
  const result = await download(`${base}/api/reports/ledger.csv?from=${from}&to=${to}`, token);
  const after = memoryMb(child.pid!);
  if (result.status !== 200) {
    throw new Error(`GET /api/reports/ledger.csv answered ${result.status}: ${result.firstLine}`);
  }
  if (result.error) log(`  download ${result.error} after ${fmt(result.lines)} lines`);
  const rows = Math.max(0, result.lines - 1); // the header
  return {
    from,
    to,
    status: result.status,
    rows,
    megabytes: result.bytes / 1024 / 1024,
    seconds: result.seconds,
    rowsPerSecond: rows / result.seconds,
    rssBeforeMb: before.rss,
    peakRssBeforeMb: before.hwm,
    peakRssAfterMb: after.hwm,
  };
}

// ---------------------------------------------------------------- 3. progress endpoint

interface LoadFigures {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

async function load(url: string): Promise<LoadFigures> {
  await autocannon({ url, connections: CONNECTIONS, duration: WARMUP });
  const r = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
  return {
    requestsPerSecond: r.requests.average,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

const BARE_SERVER = `
const http = require('node:http');
const body = Buffer.from(process.env.BENCH_BODY, 'utf8');
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 65000;
server.listen(Number(process.env.BENCH_PORT), '127.0.0.1', () => console.log('listening'));
`;

async function benchProgress(
  base: string,
): Promise<{ service: LoadFigures; bare: LoadFigures; ratio: number; bodyBytes: number }> {
  const url = `${base}/api/campaigns/current/progress`;
  const first = await request(url);
  if (first.status !== 200) {
    throw new Error(`GET /api/campaigns/current/progress answered ${first.status}: ${first.body}`);
  }
  const port = await freePort();
  const bare = start('bare http server', ['-e', BARE_SERVER], {
    ...process.env,
    BENCH_BODY: first.body,
    BENCH_PORT: String(port),
  });
  const bareUrl = `http://127.0.0.1:${port}/api/campaigns/current/progress`;
  for (let i = 0; ; i++) {
    try {
      if ((await request(bareUrl)).status === 200) break;
    } catch {
      if (i > 100) throw new Error(`the bare server did not start\n${bare.output()}`);
      await sleep(100);
    }
  }
  const check = await request(bareUrl);
  if (check.body !== first.body) throw new Error('the bare server answers other bytes than the service');
  log(`  service: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s ...`);
  const service = await load(url);
  log(`  bare node:http: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s ...`);
  const bareFigures = await load(bareUrl);
  await stop(bare.child);
  return {
    service,
    bare: bareFigures,
    ratio: service.requestsPerSecond / bareFigures.requestsPerSecond,
    bodyBytes: Buffer.byteLength(first.body),
  };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  log(`bench database ${BENCH_URL.replace(/\/\/[^@/]*@/, '//…@')}, time zone ${ZONE}, currency ${CURRENCY}`);
  await ensureDatabase();
  const entries = await ensureLedger();

  log('\n1. summary report (in-process ReportsService) ...');
  const summary = await benchSummary();

  log('\n2. CSV export (service as a child process) ...');
  const service = await startService();
  const token = await financeToken(service.base);
  const csv = await benchCsv(service.base, service.child, token);

  log('\n3. progress endpoint (autocannon) ...');
  const progress = await benchProgress(service.base);
  await stop(service.child);

  const rows: Array<[string, string, string, string]> = [
    ['measure', 'value', 'target', ''],
    [
      `summary ${summary.year} by month: median`,
      `${round(summary.summaryMedianMs, 2)} ms`,
      `≤ ${TARGETS.summaryMs} ms`,
      verdict(summary.summaryMedianMs <= TARGETS.summaryMs),
    ],
    [
      'summary: p95 (20 runs)',
      `${round(summary.summaryP95Ms, 2)} ms`,
      `≤ ${TARGETS.summaryMs} ms`,
      verdict(summary.summaryP95Ms <= TARGETS.summaryMs),
    ],
    ['plain GROUP BY over the entries: median (5 runs)', `${round(summary.sqlMedianMs, 1)} ms`, '', ''],
    ['GROUP BY ÷ summary', `${round(summary.ratio, 1)}×`, '', ''],
    [`ledger.csv ${csv.from}..${csv.to}: rows`, fmt(csv.rows), '', ''],
    ['ledger.csv: time', `${round(csv.seconds, 2)} s (${round(csv.megabytes, 1)} MB)`, '', ''],
    [
      'ledger.csv: rows/s',
      fmt(csv.rowsPerSecond),
      `≥ ${fmt(TARGETS.csvRowsPerSecond)}`,
      verdict(csv.rowsPerSecond >= TARGETS.csvRowsPerSecond),
    ],
    ['service RSS before the download', `${round(csv.rssBeforeMb)} MB`, '', ''],
    [
      'service peak RSS (VmHWM) after the download',
      `${round(csv.peakRssAfterMb)} MB`,
      `< ${TARGETS.csvPeakRssMb} MB`,
      verdict(csv.peakRssAfterMb < TARGETS.csvPeakRssMb),
    ],
    ['progress: service req/s', fmt(progress.service.requestsPerSecond), '', ''],
    ['progress: bare node:http req/s', fmt(progress.bare.requestsPerSecond), '', ''],
    [
      'progress: service ÷ bare',
      round(progress.ratio, 2).toFixed(2),
      `≥ ${TARGETS.progressRatio}`,
      verdict(progress.ratio >= TARGETS.progressRatio),
    ],
    [
      'progress: service latency p50 / p99',
      `${progress.service.latencyP50Ms} / ${progress.service.latencyP99Ms} ms`,
      '',
      '',
    ],
    ['progress: bare latency p50 / p99', `${progress.bare.latencyP50Ms} / ${progress.bare.latencyP99Ms} ms`, '', ''],
  ];
  log(`\nledger entries: ${fmt(entries)}; ${summary.check}`);
  if (csv.peakRssBeforeMb >= csv.peakRssAfterMb - 0.5) {
    log(`(the service's peak RSS was already ${round(csv.peakRssBeforeMb)} MB before the download)`);
  }
  if (progress.service.non2xx || progress.service.errors || progress.bare.non2xx || progress.bare.errors) {
    log(
      `progress: non-2xx service ${progress.service.non2xx}, bare ${progress.bare.non2xx}; errors service ${progress.service.errors}, bare ${progress.bare.errors}`,
    );
  }
  log(`\n${table(rows)}\n`);
  log(
    'BENCH_JSON ' +
      JSON.stringify({
        entries,
        summary: {
          year: summary.year,
          periods: summary.periods,
          medianMs: round(summary.summaryMedianMs, 3),
          p95Ms: round(summary.summaryP95Ms, 3),
          minMs: round(summary.summaryMinMs, 3),
          sqlGroupByMedianMs: round(summary.sqlMedianMs, 3),
          ratio: round(summary.ratio, 2),
          targetMs: TARGETS.summaryMs,
        },
        csv: {
          from: csv.from,
          to: csv.to,
          rows: csv.rows,
          seconds: round(csv.seconds, 3),
          megabytes: round(csv.megabytes, 1),
          rowsPerSecond: Math.round(csv.rowsPerSecond),
          rssBeforeMb: round(csv.rssBeforeMb),
          peakRssMb: round(csv.peakRssAfterMb),
          targetRowsPerSecond: TARGETS.csvRowsPerSecond,
          targetPeakRssMb: TARGETS.csvPeakRssMb,
        },
        progress: {
          connections: CONNECTIONS,
          durationSeconds: DURATION,
          bodyBytes: progress.bodyBytes,
          service: progress.service,
          bare: progress.bare,
          ratio: round(progress.ratio, 3),
          targetRatio: TARGETS.progressRatio,
        },
      }),
  );
}

runMain(main);
