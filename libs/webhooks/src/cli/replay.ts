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
import { dataSourceOptions, resolveDatabase, runMigrations } from '@app/database';
import { WebhookInboxRepository } from '../webhook-inbox.repository';
import { replayEvents } from './replay.command';

async function main(): Promise<void> {
  const config = loadConfig();
  const args = process.argv.slice(2);
  if (!args.length) throw new Error('usage: npm run webhooks:replay -- <evt_id>... | --failed');
  const db = await resolveDatabase({ url: config.DATABASE_URL, embeddedDir: config.EMBEDDED_DB_DIR, poolSize: 2 });
  const ds = await new DataSource(dataSourceOptions(db.url, db.poolSize, { logging: ['error'] })).initialize();
  try {
    await runMigrations(ds, db);
    const { replayed, missing } = await replayEvents(new WebhookInboxRepository(ds), args);
    console.log(`marked ${replayed.length} event(s) for processing: ${replayed.join(', ')}`);
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
