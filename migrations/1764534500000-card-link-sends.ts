import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Card by phone: every email of a checkout's payment link to the caller (the first, sent when the
 * operator takes the gift or subscription, and each resend), with who sent it. The count per
 * checkout bounds the resends; the email itself is in the `emails` outbox. Nothing personal here:
 * the address is the checkout's and the email's.
 */
export class CardLinkSends1764534500000 implements MigrationInterface {
  name = 'CardLinkSends1764534500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE card_link_sends (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        checkout_id uuid NOT NULL REFERENCES checkouts (id),
        staff_id uuid REFERENCES staff (id),
        resend boolean NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX card_link_sends_checkout_idx ON card_link_sends (checkout_id, sent_at)`);
    // The operator's list (newest first) among every online checkout.
    await q.query(`CREATE INDEX checkouts_phone_created_idx ON checkouts (created_at DESC) WHERE channel = 'phone'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX checkouts_phone_created_idx`);
    await q.query(`DROP TABLE card_link_sends`);
  }
}
