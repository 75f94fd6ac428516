import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The phone line: supporters who give no email (a caller paying cash), who entered a ledger row
 * and its reference (cheque number, transfer reference), and the idempotency keys of phone
 * requests (a double click or a retry answers the first response).
 */
export class PhoneLine1764420000000 implements MigrationInterface {
  name = 'PhoneLine1764420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supporters ALTER COLUMN email DROP NOT NULL`);
    await q.query(`ALTER TABLE supporters ADD COLUMN address jsonb`);
    await q.query(
      `ALTER TABLE supporters ADD CONSTRAINT supporters_has_contact CHECK (email IS NOT NULL OR name IS NOT NULL)`,
    );
    await q.query(`ALTER TABLE ledger_entries ADD COLUMN staff_id uuid REFERENCES staff (id)`);
    await q.query(`ALTER TABLE ledger_entries ADD COLUMN reference text`);
    await q.query(`
      CREATE TABLE phone_requests (
        idempotency_key text PRIMARY KEY,
        staff_id uuid REFERENCES staff (id),
        request_hash text NOT NULL,
        status_code integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE phone_requests`);
    await q.query(`ALTER TABLE ledger_entries DROP COLUMN reference, DROP COLUMN staff_id`);
    await q.query(`ALTER TABLE supporters DROP CONSTRAINT supporters_has_contact, DROP COLUMN address`);
    await q.query(`ALTER TABLE supporters ALTER COLUMN email SET NOT NULL`);
  }
}
