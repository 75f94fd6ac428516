import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A reader's choice about non-essential email (a subscriber's welcome, reminders that a prepaid
 * period is ending, the yearly statement sent in bulk): `email_updates`, on by default. Receipts
 * and notices about the reader's own payments (a failed renewal, a refund, a correction, a
 * cancellation) are always sent whatever it says (`email_receipts` remains the staff's switch for
 * phone receipts of callers who asked for none).
 */
export class ReaderEmailPreferences1764539000000 implements MigrationInterface {
  name = 'ReaderEmailPreferences1764539000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supporters ADD COLUMN email_updates boolean NOT NULL DEFAULT true`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supporters DROP COLUMN email_updates`);
  }
}
