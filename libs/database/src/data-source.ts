import { mkdirSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { type DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '@app/migrations';
import { type EmbeddedLockInfo, tryLock } from './embedded-lock';
import {
  EmbeddedDatabaseBusyError,
  embeddedPaths,
  type EmbeddedPostgres,
  startEmbeddedPostgres,
} from './embedded-postgres';
import { usePreparedStatements } from './raw';

export interface DatabaseSettings {
  /** postgres:// URL; undefined means the embedded database. */
  url?: string;
  embeddedDir: string;
  poolSize: number;
  /**
   * For the embedded database in a directory. `command` (the default: CLI commands): when a live
   * process holds the directory, connect to the server it published; otherwise open it.
   * `service`: always open it (waiting a while for a command that holds it), and publish the
   * address once migrated (`EmbeddedPostgres.publish`).
   */
  role?: 'command' | 'service';
  /** How long to wait for a directory held by a process that cannot be used yet, in ms. */
  waitMs?: number;
}

export interface ResolvedDatabase {
  url: string;
  /** The embedded server this process runs (and must close). */
  embedded?: EmbeddedPostgres;
  /** The embedded database another process (the running service) serves; this one only connects. */
  attached?: { pid: number; dataDir: string };
  /**
   * Connections the app may open. The embedded server answers one client at a time: several
   * pooled connections would interleave their extended-protocol messages (seen as "bind message
   * supplies 2 parameters, but prepared statement requires 6"), so it gets exactly one.
   * PGlite is single-threaded anyway, so nothing is lost.
   */
  poolSize: number;
}

/**
 * The real PostgreSQL when a URL is configured, otherwise an embedded PGlite served locally.
 * An embedded directory is opened by one process at a time (see `DatabaseSettings.role`): a
 * command run while the service runs connects to the service's embedded server, and never
 * opens the files under it.
 */
export async function resolveDatabase(settings: DatabaseSettings): Promise<ResolvedDatabase> {
  usePreparedStatements(!!settings.url);
  if (settings.url) return { url: settings.url, poolSize: settings.poolSize };
  if (settings.embeddedDir === 'memory') {
    const embedded = await startEmbeddedPostgres('memory', settings.poolSize);
    return { url: embedded.url, embedded, poolSize: 1 };
  }
  const role = settings.role ?? 'command';
  const paths = embeddedPaths(settings.embeddedDir);
  mkdirSync(paths.dir, { recursive: true });
  const logger = new Logger('Database');
  const deadline = Date.now() + (settings.waitMs ?? (role === 'service' ? 30_000 : 60_000));
  // A holder that published an address which does not answer is stopping (or hung): not worth a long wait.
  let refusedSince: number | undefined;
  let told = false;
  for (;;) {
    const attempt = tryLock(paths.lock);
    if (attempt.acquired) {
      const embedded = await startEmbeddedPostgres(settings.embeddedDir, settings.poolSize, attempt.lock);
      return { url: embedded.url, embedded, poolSize: 1 };
    }
    const holder = attempt.holder;
    let problem: string;
    if (role === 'command' && holder.url) {
      const refused = await connectionProblem(holder.url);
      if (!refused) {
        logger.log(
          `the embedded database in ${paths.dir} is served by process ${holder.pid}: using it at ${holder.url}`,
        );
        // One connection: the embedded server runs one client's unit of work at a time anyway.
        return { url: holder.url, attached: { pid: holder.pid, dataDir: paths.dir }, poolSize: 1 };
      }
      refusedSince ??= Date.now();
      problem = `could not connect to it at ${holder.url}: ${refused}`;
    } else if (role === 'service' && holder.url) {
      // A published address: another service, which will not be done soon.
      throw busy(paths, holder, `another service runs on it at ${holder.url}`);
    } else {
      refusedSince = undefined;
      problem =
        role === 'service'
          ? 'one process at a time may open it'
          : 'it has not published its address yet (still starting?)';
    }
    const giveUp = refusedSince !== undefined ? Math.min(deadline, refusedSince + 5000) : deadline;
    if (Date.now() >= giveUp) throw busy(paths, holder, problem);
    if (!told) {
      logger.log(`the embedded database in ${paths.dir} is in use by process ${holder.pid}; waiting: ${problem}`);
    }
    told = true;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function busy(
  paths: { dir: string; lock: string },
  holder: EmbeddedLockInfo,
  problem: string,
): EmbeddedDatabaseBusyError {
  return new EmbeddedDatabaseBusyError(
    `the embedded database in ${paths.dir} is in use by process ${holder.pid} (lock ${paths.lock}); ${problem}. ` +
      `Stop that process, or use DATABASE_URL; delete the lock only if no such process uses the directory.`,
  );
}

/** Undefined when `url` answers a query, else why not. */
async function connectionProblem(url: string): Promise<string | undefined> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The one set of TypeORM options, shared by the app and the migration command. */
export function dataSourceOptions(
  url: string,
  poolSize: number,
  extra: Record<string, unknown> = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    installExtensions: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000 },
    logging: ['error', 'warn', 'migration'],
    ...extra,
  } as DataSourceOptions;
}

const MIGRATION_LOCK = 7_319_004_221;

/**
 * Runs pending migrations under a PostgreSQL advisory lock, so two instances starting at
 * once do not both migrate; then `afterwards` (the service role's grants), under the same lock.
 */
export async function runMigrations(
  dataSource: DataSource,
  db: ResolvedDatabase,
  afterwards?: (query: (sql: string) => Promise<any>) => Promise<void>,
): Promise<string[]> {
  if (db.attached) {
    // The service serving it migrated at its start; migrating under it would race its work.
    if (await dataSource.showMigrations()) {
      throw new Error(
        `the service (process ${db.attached.pid}) serving the embedded database in ${db.attached.dataDir} has not applied this build's migrations: restart it (it applies them at start-up), then run this again`,
      );
    }
    return [];
  }
  if (db.embedded) {
    // One process owns the embedded database (and it has one connection): no lock needed.
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) new Logger('Migrations').log(`applied ${m.name}`);
    return applied.map((m) => m.name);
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const m of applied) new Logger('Migrations').log(`applied ${m.name}`);
    // Still under the lock (grants of several instances at once fail with "tuple concurrently updated").
    if (afterwards) await afterwards((sql) => runner.query(sql));
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
