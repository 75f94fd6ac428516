import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Self-service links are single-use: the first use of a link records its nonce here (the primary
 * key makes two concurrent uses of one link end with one winner). A row is only needed until its
 * link expires; the service deletes older ones as it goes.
 */
export class SelfServiceLinkUses1764510300000 implements MigrationInterface {
  name = 'SelfServiceLinkUses1764510300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE self_service_link_uses (
        nonce text PRIMARY KEY,
        supporter_id uuid NOT NULL,
        used_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX self_service_link_uses_expires_idx ON self_service_link_uses (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE self_service_link_uses`);
  }
}
