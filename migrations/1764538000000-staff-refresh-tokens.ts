import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Staff console sessions: refresh tokens (an HttpOnly cookie scoped to /api/auth), stored as a
 * SHA-256 hash only. Each sign-in starts a family; every refresh marks its token rotated and adds
 * the next one to the family. A rotated token presented again (stolen and replayed, or the owner's
 * copy after a thief used it) revokes the whole family. `token_version` is the account's when the
 * token was issued: a password change, a reset or disabling (which raise the account's) ends it.
 * Written only by libs/staff's RefreshTokensRepository.
 */
export class StaffRefreshTokens1764538000000 implements MigrationInterface {
  name = 'StaffRefreshTokens1764538000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE staff_refresh_tokens (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        staff_id uuid NOT NULL REFERENCES staff(id),
        token_hash bytea NOT NULL UNIQUE,
        token_version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        family_expires_at timestamptz NOT NULL,
        rotated_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX staff_refresh_tokens_family ON staff_refresh_tokens (family_id)`);
    await q.query(
      `CREATE INDEX staff_refresh_tokens_staff ON staff_refresh_tokens (staff_id) WHERE revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE staff_refresh_tokens`);
  }
}
