/*
 * `npm run webhooks:replay -- <evt_id> [<evt_id> ...]` marks stored Stripe events for processing
 * again; `--failed` marks every event whose processing failed. The running service's retry sweep
 * picks them up within WEBHOOK_RETRY_INTERVAL_MS. Effects are idempotent, so replaying an event
 * that was already applied changes nothing. Uses DATABASE_URL, or the embedded database in
 * EMBEDDED_DB_DIR (through the running service's embedded server when it runs; see resolveDatabase).
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { dataSourceOptions, resolveDatabase, rowsOf, runMigrations } from '@app/database';

async function main(): Promise<void> {
  const config = loadConfig();
  const args = process.argv.slice(2);
  if (!args.length) throw new Error('usage: npm run webhooks:replay -- <evt_id>... | --failed');
  const db = await resolveDatabase({ url: config.DATABASE_URL, embeddedDir: config.EMBEDDED_DB_DIR, poolSize: 2 });
  const ds = await new DataSource(dataSourceOptions(db.url, db.poolSize, { logging: ['error'] })).initialize();
  try {
    await runMigrations(ds, db);
    const rows = rowsOf<{ id: string }>(
      args.includes('--failed')
        ? await ds.query(
            `UPDATE stripe_events SET locked_until = NULL, attempts = 0, next_attempt_at = now() WHERE processed_at IS NULL AND last_error IS NOT NULL RETURNING id`,
          )
        : await ds.query(
            `UPDATE stripe_events SET processed_at = NULL, locked_until = NULL, attempts = 0, next_attempt_at = now() WHERE id = ANY($1::text[]) RETURNING id`,
            [args],
          ),
    );
    console.log(`marked ${rows.length} event(s) for processing: ${rows.map((r) => r.id).join(', ')}`);
    const missing = args.filter((a) => !a.startsWith('--') && !rows.some((r) => r.id === a));
    if (missing.length) console.log(`not found: ${missing.join(', ')}`);
  } finally {
    await ds.destroy();
    await db.embedded?.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
