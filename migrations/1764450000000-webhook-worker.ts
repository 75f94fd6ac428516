import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Webhook events are processed by a worker in arrival order, apart from the request that
 * stored them: which worker holds an event, the index the worker claims by, and where the
 * missed-webhook recovery has read Stripe's event list up to.
 */
export class WebhookWorker1764450000000 implements MigrationInterface {
  name = 'WebhookWorker1764450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stripe_events ADD COLUMN locked_by text`);
    await q.query(
      `CREATE INDEX stripe_events_arrival_idx ON stripe_events (received_at, id) WHERE processed_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE webhook_recovery (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        listed_until timestamptz NOT NULL,
        ran_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_recovery`);
    await q.query(`DROP INDEX stripe_events_arrival_idx`);
    await q.query(`ALTER TABLE stripe_events DROP COLUMN locked_by`);
  }
}
