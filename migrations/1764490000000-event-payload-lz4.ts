import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Webhook payloads (3–4 kB of JSON each, every event Stripe sends) are compressed when stored.
 * PostgreSQL's default, pglz, costs the database tens of microseconds per event; lz4 a fraction
 * of that. Only where the server was built with lz4 (the embedded database keeps pglz).
 */
export class EventPayloadLz41764490000000 implements MigrationInterface {
  name = 'EventPayloadLz41764490000000';

  async up(q: QueryRunner): Promise<void> {
    const [row] = await q.query(
      `SELECT 'lz4' = ANY (enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`,
    );
    if (row?.lz4) await q.query(`ALTER TABLE stripe_events ALTER COLUMN payload SET COMPRESSION lz4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stripe_events ALTER COLUMN payload SET COMPRESSION pglz`);
  }
}
