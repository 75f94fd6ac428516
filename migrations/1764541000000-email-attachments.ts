import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Files sent with an email (a giving statement's PDF): written by `EmailService.send` in the
 * same transaction as the email, read by the outbox worker when it sends it. Deleted with the
 * email; an erased recipient's attachments are deleted (`EmailPrivacyService.scrub`).
 */
export class EmailAttachments1764541000000 implements MigrationInterface {
  name = 'EmailAttachments1764541000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE email_attachments (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email_id uuid NOT NULL REFERENCES emails (id) ON DELETE CASCADE,
        filename text NOT NULL,
        content_type text NOT NULL,
        content bytea NOT NULL
      )`);
    await q.query(`CREATE INDEX email_attachments_email_idx ON email_attachments (email_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE email_attachments`);
  }
}
