import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Emails get their HTML part (`html`; `body` stays the plain-text part) and an optional
 * `dedupe_key`: an email that must go out once (a welcome, a failed-renewal notice, a
 * prepaid-ending reminder) carries a key, and a second write of it (a webhook retried or
 * delivered twice, two instances running the reminders) is a no-op at the database.
 *
 * Receipts are numbered in a sequence of their own, without gaps: `receipt_counter` is one row
 * whose `last` is raised in the transaction that inserts the receipts it numbers, so a rollback
 * gives the numbers back and concurrent issuers queue on the row. Payments (and refunds, lost
 * disputes) recorded by webhooks are only queued (`receipt_queue`, one insert, no shared row
 * touched on the webhook path); the receipt issuer numbers the queue in ledger order.
 */
export class ReceiptsAndEmailHtml1764540000000 implements MigrationInterface {
  name = 'ReceiptsAndEmailHtml1764540000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE emails ADD COLUMN html text, ADD COLUMN dedupe_key text`);
    await q.query(`CREATE UNIQUE INDEX emails_dedupe_key_key ON emails (dedupe_key)`);
    await q.query(`
      CREATE TABLE receipt_counter (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        last bigint NOT NULL DEFAULT 0
      )`);
    await q.query(`INSERT INTO receipt_counter (id, last) VALUES (true, 0)`);
    await q.query(`
      CREATE TABLE receipts (
        number bigint PRIMARY KEY CHECK (number > 0),
        ledger_entry_id bigint NOT NULL UNIQUE REFERENCES ledger_entries (id),
        supporter_id uuid REFERENCES supporters (id),
        amount bigint NOT NULL,
        currency char(3) NOT NULL,
        description text NOT NULL,
        issued_at timestamptz NOT NULL DEFAULT now(),
        emailed_to text
      )`);
    await q.query(`CREATE INDEX receipts_supporter_idx ON receipts (supporter_id, number)`);
    // Ledger entries that are owed a receipt or a notice (refund, lost dispute), oldest first.
    await q.query(`
      CREATE TABLE receipt_queue (
        ledger_entry_id bigint PRIMARY KEY REFERENCES ledger_entries (id),
        queued_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE receipt_queue`);
    await q.query(`DROP TABLE receipts`);
    await q.query(`DROP TABLE receipt_counter`);
    await q.query(`DROP INDEX emails_dedupe_key_key`);
    await q.query(`ALTER TABLE emails DROP COLUMN html, DROP COLUMN dedupe_key`);
  }
}
