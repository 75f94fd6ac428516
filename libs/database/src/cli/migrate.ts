/*
 * `npm run migration:run`: applies pending migrations to MIGRATION_DATABASE_URL, else DATABASE_URL
 * (or the embedded database; when the service runs on it, it has applied them already and this
 * only checks).
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { dataSourceOptions, resolveDatabase, runMigrations } from '../data-source';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = await resolveDatabase({
    url: config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL,
    embeddedDir: config.EMBEDDED_DB_DIR,
    poolSize: 2,
  });
  const ds = await new DataSource(dataSourceOptions(db.url, db.poolSize)).initialize();
  try {
    const applied = await runMigrations(ds, db);
    if (db.attached) {
      console.log(
        `database is up to date (the service, process ${db.attached.pid}, applied the migrations at its start)`,
      );
    } else {
      console.log(
        applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'database is up to date',
      );
    }
  } finally {
    await ds.destroy();
    await db.embedded?.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
