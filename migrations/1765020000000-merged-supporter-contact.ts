import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A record merged into another needs no contact of its own: its survivor may take its email
 * (moved off it, into the survivor's email history), which may leave it with neither a name nor
 * an email. Every other record still needs one of the two.
 */
export class MergedSupporterContact1765020000000 implements MigrationInterface {
  name = 'MergedSupporterContact1765020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supporters DROP CONSTRAINT supporters_has_contact`);
    await q.query(
      `ALTER TABLE supporters ADD CONSTRAINT supporters_has_contact
         CHECK (email IS NOT NULL OR name IS NOT NULL OR merged_into IS NOT NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // A merged record left with neither (its email taken by the survivor) is named for the old rule.
    await q.query(`UPDATE supporters SET name = 'merged supporter' WHERE email IS NULL AND name IS NULL`);
    await q.query(`ALTER TABLE supporters DROP CONSTRAINT supporters_has_contact`);
    await q.query(
      `ALTER TABLE supporters ADD CONSTRAINT supporters_has_contact CHECK (email IS NOT NULL OR name IS NOT NULL)`,
    );
  }
}
