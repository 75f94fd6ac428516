import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Phone Idempotency-Keys belong to the operator who sent them: two operators who happen to use
 * the same key get their own answers (the key was globally unique, so one replayed the other's).
 */
export class PhoneKeysPerStaff1764512000001 implements MigrationInterface {
  name = 'PhoneKeysPerStaff1764512000001';

  async up(q: QueryRunner): Promise<void> {
    // Every phone request so far came from a signed-in operator, so staff_id is always set.
    await q.query(`ALTER TABLE phone_requests DROP CONSTRAINT phone_requests_pkey`);
    await q.query(`ALTER TABLE phone_requests ALTER COLUMN staff_id SET NOT NULL`);
    await q.query(
      `ALTER TABLE phone_requests ADD CONSTRAINT phone_requests_pkey PRIMARY KEY (staff_id, idempotency_key)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE phone_requests DROP CONSTRAINT phone_requests_pkey`);
    await q.query(`ALTER TABLE phone_requests ALTER COLUMN staff_id DROP NOT NULL`);
    await q.query(`ALTER TABLE phone_requests ADD CONSTRAINT phone_requests_pkey PRIMARY KEY (idempotency_key)`);
  }
}
