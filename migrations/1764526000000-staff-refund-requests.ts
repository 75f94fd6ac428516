import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Staff refund requests by their Idempotency-Key, per staff account: the request's hash and the
 * answer, kept for good. Stripe forgets its own idempotency keys after 24 hours; this table is
 * what makes a retry a day later answer the first refund instead of making a second.
 */
export class StaffRefundRequests1764526000000 implements MigrationInterface {
  name = 'StaffRefundRequests1764526000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE staff_refund_requests (
        staff_id uuid NOT NULL REFERENCES staff (id),
        idempotency_key text NOT NULL,
        ledger_entry_id bigint NOT NULL,
        request_hash text NOT NULL,
        status_code integer,
        response jsonb,
        stripe_refund_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (staff_id, idempotency_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE staff_refund_requests`);
  }
}
