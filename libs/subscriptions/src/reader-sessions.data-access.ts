import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '@app/database';

/** Why a sign-in link opens nothing. */
export type SpentLink = 'used' | 'expired' | 'invalid';

/**
 * The only writer of `reader_sign_in_links` and `reader_sessions` (the reader account's emailed
 * sign-in links and its browser sessions). Both are keyed by the SHA-256 of a random token; the
 * tokens themselves are only in the email and the cookie.
 */
@Injectable()
export class ReaderSessionsData {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** A sign-in link (`supporterId` null: the decoy row for an address we do not know). */
  async insertLink(
    manager: EntityManager,
    hash: Buffer,
    supporterId: string | null,
    ttlSeconds: number,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO reader_sign_in_links (token_hash, supporter_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [hash, supporterId, ttlSeconds],
    );
  }

  /**
   * Uses a link, atomically (one UPDATE: of two concurrent uses one wins): the supporter it was
   * for, or why it opens nothing.
   */
  async useLink(manager: EntityManager, hash: Buffer): Promise<{ supporterId: string } | { spent: SpentLink }> {
    const [used] = rowsOf<{ supporter_id: string }>(
      await manager.query(
        `UPDATE reader_sign_in_links SET used_at = now()
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() AND supporter_id IS NOT NULL
          RETURNING supporter_id`,
        [hash],
      ),
    );
    if (used) return { supporterId: used.supporter_id };
    const [row] = rowsOf<{ used: boolean; supporter_id: string | null }>(
      await manager.query(
        `SELECT used_at IS NOT NULL AS used, supporter_id FROM reader_sign_in_links WHERE token_hash = $1`,
        [hash],
      ),
    );
    if (!row || !row.supporter_id) return { spent: 'invalid' };
    return { spent: row.used ? 'used' : 'expired' };
  }

  /** Whether a link would open (without using it): null if so, else why not. */
  async checkLink(hash: Buffer): Promise<SpentLink | null> {
    const [row] = rowsOf<{ used: boolean; expired: boolean; supporter_id: string | null }>(
      await this.dataSource.query(
        `SELECT used_at IS NOT NULL AS used, expires_at <= now() AS expired, supporter_id
           FROM reader_sign_in_links WHERE token_hash = $1`,
        [hash],
      ),
    );
    if (!row || !row.supporter_id) return 'invalid';
    return row.used ? 'used' : row.expired ? 'expired' : null;
  }

  /** The supporter a link was for, while it may still ask for a fresh one (`graceSeconds` after it expired). */
  async linkOwner(hash: Buffer, graceSeconds: number): Promise<string | null> {
    const [row] = rowsOf<{ supporter_id: string }>(
      await this.dataSource.query(
        `SELECT supporter_id FROM reader_sign_in_links
          WHERE token_hash = $1 AND supporter_id IS NOT NULL AND expires_at > now() - make_interval(secs => $2)`,
        [hash, graceSeconds],
      ),
    );
    return row?.supporter_id ?? null;
  }

  async insertSession(
    manager: EntityManager,
    hash: Buffer,
    supporterId: string,
    absoluteSeconds: number,
  ): Promise<void> {
    await manager.query(
      `INSERT INTO reader_sessions (token_hash, supporter_id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [hash, supporterId, absoluteSeconds],
    );
  }

  /**
   * The supporter of a live session (not ended, not past its absolute expiry, used within
   * `idleSeconds`), whose last use becomes now; null otherwise.
   */
  async touchSession(hash: Buffer, idleSeconds: number): Promise<string | null> {
    const [row] = rowsOf<{ supporter_id: string }>(
      await this.dataSource.query(
        `UPDATE reader_sessions SET last_seen_at = now()
          WHERE token_hash = $1 AND ended_at IS NULL AND expires_at > now()
            AND last_seen_at > now() - make_interval(secs => $2)
          RETURNING supporter_id`,
        [hash, idleSeconds],
      ),
    );
    return row?.supporter_id ?? null;
  }

  async endSession(hash: Buffer): Promise<void> {
    await this.dataSource.query(
      `UPDATE reader_sessions SET ended_at = now() WHERE token_hash = $1 AND ended_at IS NULL`,
      [hash],
    );
  }

  /** Deletes links and sessions a day past their end (best effort). */
  async purge(): Promise<void> {
    await this.dataSource.query(`DELETE FROM reader_sign_in_links WHERE expires_at < now() - interval '8 days'`);
    await this.dataSource.query(
      `DELETE FROM reader_sessions WHERE expires_at < now() - interval '1 day' OR ended_at < now() - interval '1 day'`,
    );
  }
}
