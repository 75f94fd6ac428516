import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * No query of the service reads webhook events by type and date, and every event Stripe sends
 * (and every processed mark) paid for this index. Events are found by id (primary key), by
 * arrival while unprocessed (stripe_events_arrival_idx) and by due time (stripe_events_pending_idx).
 */
export class DropEventTypeIndex1764500000000 implements MigrationInterface {
  name = 'DropEventTypeIndex1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS stripe_events_type_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX stripe_events_type_idx ON stripe_events (type, stripe_created_at)`);
  }
}
