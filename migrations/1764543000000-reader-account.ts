import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The reader account (`/account`), reached by an emailed link:
 * - `reader_sign_in_links`: one row per sign-in link emailed, keyed by the SHA-256 of its random
 *   token (the token itself is only in the email). Using it sets `used_at` in one UPDATE … WHERE
 *   used_at IS NULL: of two concurrent uses one wins. An address we do not know gets a row too,
 *   without a supporter (the same work on both paths, so the answer takes as long), which no
 *   link can use.
 * - `reader_sessions`: one row per signed-in browser, keyed by the SHA-256 of the random cookie
 *   value; it ends after `idle` without use (`last_seen_at`), at `expires_at` (absolute), or on
 *   sign-out (`ended_at`).
 * Rows of either are only needed until they expire; the service deletes older ones as it goes.
 */
export class ReaderAccount1764543000000 implements MigrationInterface {
  name = 'ReaderAccount1764543000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reader_sign_in_links (
        token_hash bytea PRIMARY KEY,
        supporter_id uuid REFERENCES supporters (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query(`CREATE INDEX reader_sign_in_links_expires_idx ON reader_sign_in_links (expires_at)`);
    await q.query(`
      CREATE TABLE reader_sessions (
        token_hash bytea PRIMARY KEY,
        supporter_id uuid NOT NULL REFERENCES supporters (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ended_at timestamptz
      )`);
    await q.query(`CREATE INDEX reader_sessions_supporter_idx ON reader_sessions (supporter_id)`);
    await q.query(`CREATE INDEX reader_sessions_expires_idx ON reader_sessions (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reader_sessions`);
    await q.query(`DROP TABLE reader_sign_in_links`);
  }
}
