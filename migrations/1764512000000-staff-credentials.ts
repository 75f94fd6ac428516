import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Staff password lifecycle. `password_must_change`: the password was given to the person (an
 * administrator's invitation or reset, the demo administrator printed in the log): their tokens
 * allow only `POST /api/auth/password` until they choose their own. `token_version`: in every
 * access token and compared on every request; a password change, a reset or disabling the account
 * adds one, so every token issued before is refused.
 */
export class StaffCredentials1764512000000 implements MigrationInterface {
  name = 'StaffCredentials1764512000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff ADD COLUMN password_must_change boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE staff ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE staff ADD COLUMN password_changed_at timestamptz`);
    // Until now nobody could change a password: every account an administrator (or the demo
    // set-up) created still has the password it was given, so it is temporary. Accounts created
    // on the command line chose their own.
    await q.query(`
      UPDATE staff SET password_must_change = true
       WHERE id::text IN (SELECT entity_id FROM audit_log WHERE action = 'staff.create' AND entity_type = 'staff' AND (staff_id IS NOT NULL OR actor = 'system'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE staff DROP COLUMN password_changed_at, DROP COLUMN token_version, DROP COLUMN password_must_change`,
    );
  }
}
