import { Client } from 'pg';
import { log } from '../bench-support';
import { DB_URL, dbName } from './config';

// ---------------------------------------------------------------- database

export async function recreateDatabase(): Promise<void> {
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

export async function connect(): Promise<Client> {
  const c = new Client({ connectionString: DB_URL });
  // A connection the server ends (another session dropping the database, an administrator) fails
  // the next query with its reason instead of crashing this process with an unhandled 'error'.
  c.on('error', (err) => log(`  (a database connection of this bench was closed: ${err.message})`));
  await c.connect();
  return c;
}

// ---------------------------------------------------------------- database statistics

export interface PgStats {
  xact: number;
  returned: number;
  fetched: number;
  inserted: number;
  updated: number;
  blksHit: number;
  blksRead: number;
  walBytes: number;
  tables: Map<
    string,
    { seqScan: number; seqRead: number; idxScan: number; inserted: number; updated: number; hot: number }
  >;
}

export async function pgStats(db: Client): Promise<PgStats> {
  await db.query('SELECT pg_stat_clear_snapshot()');
  const {
    rows: [d],
  } = await db.query(
    `SELECT xact_commit + xact_rollback AS xact, tup_returned, tup_fetched, tup_inserted, tup_updated, blks_hit, blks_read FROM pg_stat_database WHERE datname = current_database()`,
  );
  const wal = await db.query(`SELECT wal_bytes FROM pg_stat_wal`).then(
    (r) => Number(r.rows[0].wal_bytes),
    () => NaN,
  );
  const { rows } = await db.query(
    `SELECT relname, seq_scan, seq_tup_read, COALESCE(idx_scan, 0) AS idx_scan, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables`,
  );
  return {
    xact: Number(d.xact),
    returned: Number(d.tup_returned),
    fetched: Number(d.tup_fetched),
    inserted: Number(d.tup_inserted),
    updated: Number(d.tup_updated),
    blksHit: Number(d.blks_hit),
    blksRead: Number(d.blks_read),
    walBytes: wal,
    tables: new Map(
      rows.map((r) => [
        r.relname,
        {
          seqScan: Number(r.seq_scan),
          seqRead: Number(r.seq_tup_read),
          idxScan: Number(r.idx_scan),
          inserted: Number(r.n_tup_ins),
          updated: Number(r.n_tup_upd),
          hot: Number(r.n_tup_hot_upd),
        },
      ]),
    ),
  };
}

export function pgDelta(a: PgStats, b: PgStats) {
  const zero = { seqScan: 0, seqRead: 0, idxScan: 0, inserted: 0, updated: 0, hot: 0 };
  const tables = [...b.tables.entries()]
    .map(([name, t]) => {
      const o = a.tables.get(name) ?? zero;
      return {
        name,
        seqScan: t.seqScan - o.seqScan,
        seqRead: t.seqRead - o.seqRead,
        idxScan: t.idxScan - o.idxScan,
        inserted: t.inserted - o.inserted,
        updated: t.updated - o.updated,
        hot: t.hot - o.hot,
      };
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
