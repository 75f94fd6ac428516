import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A webhook event's payload is kept as the text Stripe signed (`json`: checked to be JSON, not
 * decomposed): nothing queries inside it, and building `jsonb` for every acknowledged event was
 * a measurable share of the database's work at webhook rates.
 */
export class EventPayloadJson1764470000000 implements MigrationInterface {
  name = 'EventPayloadJson1764470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stripe_events ALTER COLUMN payload TYPE json USING payload::json`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE stripe_events ALTER COLUMN payload TYPE jsonb USING payload::jsonb`);
  }
}
