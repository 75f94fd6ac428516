import { Logger } from '@nestjs/common';
import { DataSource, DataSourceOptions } from 'typeorm';
import { migrations } from '@app/migrations';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';
import { usePreparedStatements } from './raw';

export interface DatabaseSettings {
  /** postgres:// URL; undefined means the embedded database. */
  url?: string;
  embeddedDir: string;
  poolSize: number;
}

export interface ResolvedDatabase {
  url: string;
  embedded?: EmbeddedPostgres;
  /**
   * Connections the app may open. The embedded server answers one client at a time: several
   * pooled connections would interleave their extended-protocol messages (seen as "bind message
   * supplies 2 parameters, but prepared statement requires 6"), so it gets exactly one.
   * PGlite is single-threaded anyway, so nothing is lost.
   */
  poolSize: number;
}

/** The real PostgreSQL when a URL is configured, otherwise an embedded PGlite served locally. */
export async function resolveDatabase(settings: DatabaseSettings): Promise<ResolvedDatabase> {
  usePreparedStatements(!!settings.url);
  if (settings.url) return { url: settings.url, poolSize: settings.poolSize };
  const embedded = await startEmbeddedPostgres(settings.embeddedDir, settings.poolSize);
  return { url: embedded.url, embedded, poolSize: 1 };
}

/** The one set of TypeORM options, shared by the app and the migration command. */
export function dataSourceOptions(url: string, poolSize: number, extra: Record<string, unknown> = {}): DataSourceOptions {
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
 * once do not both migrate.
 */
export async function runMigrations(dataSource: DataSource, db: ResolvedDatabase): Promise<string[]> {
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
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
