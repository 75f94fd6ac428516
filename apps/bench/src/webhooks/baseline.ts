import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { fmt, log, percentile, round } from '../bench-support';
import { PG_CLIENTS, PG_SECONDS } from './config';
import { connect } from './database';

// ---------------------------------------------------------------- 4. the database's own limit

export interface InsertFigures {
  clients: number;
  seconds: number;
  transactions: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  benchCpuPercent: number;
  error?: string;
}

export async function pgInserts(clients: number): Promise<InsertFigures> {
  const setup = await connect();
  await setup.query(`DROP TABLE IF EXISTS bench_insert_scratch`);
  await setup.query(
    `CREATE TABLE bench_insert_scratch (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)`,
  );
  const conns: Client[] = [];
  try {
    for (let i = 0; i < clients; i++) conns.push(await connect());
  } catch (err) {
    await Promise.all(conns.map((c) => c.end()));
    await setup.end();
    return {
      clients,
      seconds: 0,
      transactions: 0,
      perSecond: NaN,
      p50Ms: NaN,
      p99Ms: NaN,
      benchCpuPercent: NaN,
      error: `could not open ${clients} connections: ${(err as Error).message}`,
    };
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
    return {
      clients,
      seconds,
      transactions: n,
      perSecond: n / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      benchCpuPercent: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
    };
  } finally {
    await Promise.all(conns.map((c) => c.end()));
    await setup.query(`DROP TABLE IF EXISTS bench_insert_scratch`);
    await setup.end();
  }
}

/** 3. The database's own limit, the service stopped: PostgreSQL's settings, and inserts at each client count. */
export async function insertBaseline(): Promise<{ settings: Record<string, string>; inserts: InsertFigures[] }> {
  log(
    `\n3. the database's own limit: single-row INSERT transactions (autocommit), ${PG_SECONDS} s each, the service stopped ...`,
  );
  const settings = await (async () => {
    const c = await connect();
    try {
      const { rows } = await c.query(
        `SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'max_connections', 'shared_buffers', 'server_version')`,
      );
      return Object.fromEntries(rows.map((r) => [r.name, r.setting])) as Record<string, string>;
    } finally {
      await c.end();
    }
  })();
  log(
    `  PostgreSQL ${settings.server_version}: synchronous_commit ${settings.synchronous_commit}, fsync ${settings.fsync}, wal_sync_method ${settings.wal_sync_method}, commit_delay ${settings.commit_delay}, max_connections ${settings.max_connections}`,
  );
  const inserts: InsertFigures[] = [];
  for (const n of PG_CLIENTS) {
    const r = await pgInserts(n);
    inserts.push(r);
    log(
      r.error
        ? `  ${n} clients: ${r.error}`
        : `  ${n} clients: ${fmt(r.perSecond)} tx/s (p50 ${round(r.p50Ms, 2)} ms, p99 ${round(r.p99Ms, 2)} ms; this process ${Math.round(r.benchCpuPercent)}% of a core)`,
    );
  }
  return { settings, inserts };
}
