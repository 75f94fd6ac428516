import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Emails become an outbox: the row is written in the transaction that causes it, and a worker
 * sends it later (with timeouts, retries and backoff), claiming due rows with a lease so that
 * several instances never send one twice. `status`: pending (to send), sent, failed (gave up after
 * EMAIL_MAX_ATTEMPTS), recorded (no SMTP_URL: kept in the table only, never sent).
 */
export class EmailOutbox1764520007000 implements MigrationInterface {
  name = 'EmailOutbox1764520007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE emails RENAME COLUMN error TO last_error`);
    await q.query(`
      ALTER TABLE emails
        ADD COLUMN status text NOT NULL DEFAULT 'pending',
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
        ADD COLUMN claimed_until timestamptz,
        ADD COLUMN locked_by text`);
    // Rows from before the outbox were sent (or not) inline: none of them is sent again.
    await q.query(`
      UPDATE emails SET status = CASE WHEN sent_at IS NOT NULL THEN 'sent' WHEN transport = 'outbox' THEN 'recorded' ELSE 'failed' END,
                        attempts = CASE WHEN transport = 'smtp' THEN 1 ELSE 0 END`);
    await q.query(
      `ALTER TABLE emails ADD CONSTRAINT emails_status_check CHECK (status IN ('pending', 'sent', 'failed', 'recorded'))`,
    );
    await q.query(`CREATE INDEX emails_due_idx ON emails (next_attempt_at) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX emails_due_idx`);
    await q.query(`ALTER TABLE emails DROP CONSTRAINT emails_status_check`);
    await q.query(
      `ALTER TABLE emails DROP COLUMN status, DROP COLUMN attempts, DROP COLUMN next_attempt_at, DROP COLUMN claimed_until, DROP COLUMN locked_by`,
    );
    await q.query(`ALTER TABLE emails RENAME COLUMN last_error TO error`);
  }
}
