/*
 * `npm run webhooks:replay -- <evt_id> [<evt_id> ...]` marks stored Stripe events for processing
 * again; `--failed` marks every event whose processing failed. The running service's retry sweep
 * picks them up within WEBHOOK_RETRY_INTERVAL_MS. Effects are idempotent, so replaying an event
 * that was already applied changes nothing. Needs DATABASE_URL (the embedded database belongs to
 * the running process).
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { loadConfig } from '@app/config';

async function main(): Promise<void> {
  const config = loadConfig();
  const args = process.argv.slice(2);
  if (!config.DATABASE_URL) throw new Error('webhooks:replay needs DATABASE_URL');
  if (!args.length) throw new Error('usage: npm run webhooks:replay -- <evt_id>... | --failed');
  const client = new Client({ connectionString: config.DATABASE_URL });
  await client.connect();
  try {
    const result = args.includes('--failed')
      ? await client.query(`UPDATE stripe_events SET locked_until = NULL, attempts = 0, next_attempt_at = now() WHERE processed_at IS NULL AND last_error IS NOT NULL RETURNING id`)
      : await client.query(`UPDATE stripe_events SET processed_at = NULL, locked_until = NULL, attempts = 0, next_attempt_at = now() WHERE id = ANY($1::text[]) RETURNING id`, [args]);
    console.log(`marked ${result.rowCount} event(s) for processing: ${result.rows.map((r) => r.id).join(', ')}`);
    const missing = args.filter((a) => !a.startsWith('--') && !result.rows.some((r) => r.id === a));
    if (missing.length) console.log(`not found: ${missing.join(', ')}`);
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
