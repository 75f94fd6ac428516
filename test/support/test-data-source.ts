import { Logger } from '@nestjs/common';
import { DataSource, type EntitySchema } from 'typeorm';
import { type AppConfig, loadConfig } from '@app/config';
import { dataSourceOptions, resolveDatabase, runMigrations } from '@app/database';
import { createTestDatabase } from './test-database';

export interface TestDataSource {
  dataSource: DataSource;
  /** The service's configuration on this database: the defaults, `env` over them. */
  config(env?: Record<string, string>): AppConfig;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * A clean, migrated database and a TypeORM DataSource on it, for the middle level of tests
 * (`test/*.db-spec.ts`): no app, no HTTP, no Stripe. With DATABASE_URL set, a fresh database
 * on that PostgreSQL (dropped by `close`); unset, an in-memory embedded one.
 */
export async function openTestDataSource(
  entities: Array<(new () => unknown) | EntitySchema> = [],
  poolSize = 4,
): Promise<TestDataSource> {
  // Quiet, as the app is with LOG_LEVEL=silent (TEST_LOG_LEVEL set: Nest's logs, e.g. the worker's).
  if (!process.env.TEST_LOG_LEVEL) Logger.overrideLogger(false);
  const testDb = await createTestDatabase();
  const db = await resolveDatabase({ url: testDb.url, embeddedDir: 'memory', poolSize });
  const dataSource = await new DataSource({
    ...dataSourceOptions(db.url, db.poolSize, { logging: false }),
    entities,
  }).initialize();
  await runMigrations(dataSource, db);
  return {
    dataSource,
    config: (env = {}) =>
      loadConfig({
        ...(testDb.url ? { DATABASE_URL: testDb.url } : {}),
        EMBEDDED_DB_DIR: 'memory',
        LOG_LEVEL: 'silent',
        ...env,
      }),
    query: (sql, params) => dataSource.query(sql, params),
    async close() {
      await dataSource.destroy().catch(() => undefined);
      await db.embedded?.close().catch(() => undefined);
      await testDb.drop();
    },
  };
}
