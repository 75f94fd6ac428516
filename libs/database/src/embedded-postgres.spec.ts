import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, resolveDatabase, runMigrations } from './data-source';
import { LOCK_FILE_NAME, processStartTime, readLock, tryLock } from './embedded-lock';
import { EmbeddedDatabaseBusyError, type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

describe('the embedded server shared by several clients', () => {
  let pg: EmbeddedPostgres;
  const clients: Client[] = [];
  const client = async () => {
    const c = new Client({ connectionString: pg.url });
    c.on('error', () => undefined);
    await c.connect();
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    pg = await startEmbeddedPostgres('memory', 1);
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    await pg.close();
  });

  it('runs each client\'s statements whole: no "bind message supplies 2 parameters" from another client\'s Parse', async () => {
    const errors: string[] = [];
    const sums = async (c: Client, times: number, params: number) => {
      const values = Array.from({ length: params }, (_, i) => i + 1);
      const text = `SELECT ${values.map((_, i) => `$${i + 1}::int`).join(' + ')} AS s`;
      for (let i = 0; i < times; i++) {
        try {
          const { rows } = await c.query(text, values);
          if (rows[0]?.s !== values.reduce((a, b) => a + b, 0)) errors.push(`wrong sum ${JSON.stringify(rows)}`);
        } catch (err) {
          errors.push((err as Error).message);
        }
      }
    };
    const transactions = async (c: Client, times: number) => {
      for (let i = 0; i < times; i++) {
        try {
          await c.query('BEGIN');
          await c.query('SELECT $1::int AS one', [1]);
          await c.query('COMMIT');
        } catch (err) {
          errors.push(`transaction: ${(err as Error).message}`);
          await c.query('ROLLBACK').catch(() => undefined);
        }
      }
    };
    const [a, b, c, d] = await Promise.all([client(), client(), client(), client()]);
    await Promise.all([sums(a, 150, 2), sums(b, 150, 6), sums(c, 150, 3), transactions(d, 80)]);
    expect([...new Set(errors)]).toEqual([]);
  }, 60_000);

  it('rolls back the open transaction of a client that goes away, and serves the others', async () => {
    const a = await client();
    await a.query('CREATE TABLE IF NOT EXISTS t (v int)');
    await a.query('BEGIN');
    await a.query('INSERT INTO t VALUES (1)');
    // Cut without COMMIT or ROLLBACK.
    (a as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    const b = await client();
    const { rows } = await b.query('SELECT count(*)::int AS n FROM t');
    expect(rows[0].n).toBe(0);
  }, 30_000);
});

describe('one process per embedded database directory', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'embedded-lock-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** The pid of a process that has ended. */
  const deadPid = () =>
    spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;

  it('takes a free lock and reports a live holder', () => {
    const file = join(tempDir(), LOCK_FILE_NAME);
    const first = tryLock(file);
    expect(first.acquired).toBe(true);
    const second = tryLock(file);
    expect(second).toEqual({ acquired: false, holder: { pid: process.pid, startTime: processStartTime(process.pid) } });
    if (first.acquired) first.lock.release();
    expect(existsSync(file)).toBe(false);
  });

  it('takes over the lock of a process that died, and of a pid now used by another process', () => {
    const dir = tempDir();
    const file = join(dir, LOCK_FILE_NAME);
    writeFileSync(
      file,
      JSON.stringify({ pid: Number(deadPid()), url: 'postgresql://postgres:postgres@127.0.0.1:1/postgres' }),
    );
    const dead = tryLock(file);
    expect(dead.acquired).toBe(true);
    if (dead.acquired) dead.lock.release();
    // This process's own pid, but written by an earlier process (another start time): a container restarted.
    writeFileSync(file, JSON.stringify({ pid: process.pid, startTime: '1' }));
    const reused = tryLock(file);
    expect(reused.acquired).toBe(true);
    expect(readLock(file)).toEqual({ pid: process.pid, startTime: processStartTime(process.pid) });
    if (reused.acquired) reused.lock.release();
  });

  it('a command connects to the server the holder published, and will not migrate under it', async () => {
    const dir = tempDir();
    const holder = await startEmbeddedPostgres(dir, 1);
    try {
      // Not published yet (the service is still migrating): the command waits, then gives up saying why.
      await expect(resolveDatabase({ embeddedDir: dir, poolSize: 2, waitMs: 300 })).rejects.toThrow(
        /is in use by process \d+ .*not published/,
      );
      holder.publish();
      const db = await resolveDatabase({ embeddedDir: dir, poolSize: 2 });
      expect(db).toEqual({ url: holder.url, attached: { pid: process.pid, dataDir: dir }, poolSize: 1 });
      const ds = await new DataSource(dataSourceOptions(db.url, db.poolSize, { logging: false })).initialize();
      try {
        // This database was never migrated: the command refuses rather than migrate under its holder.
        await expect(runMigrations(ds, db)).rejects.toThrow(/has not applied this build's migrations/);
        expect(await ds.query(`SELECT to_regclass('staff') AS t`)).toEqual([{ t: null }]);
      } finally {
        await ds.destroy();
      }
      // A service does not share a directory: it refuses at once.
      await expect(resolveDatabase({ embeddedDir: dir, poolSize: 2, role: 'service' })).rejects.toThrow(
        EmbeddedDatabaseBusyError,
      );
    } finally {
      await holder.close();
    }
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(false);
  }, 180_000); // runs every migration on PGlite: slow on a busy machine
});
