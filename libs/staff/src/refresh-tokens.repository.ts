import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';

export interface RefreshTokenRow {
  id: string;
  familyId: string;
  staffId: string;
  tokenVersion: number;
  expiresAt: Date;
  familyExpiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

/** Only the hash is stored: a copy of the table signs nobody in. */
export const hashRefreshToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

const COLUMNS = `id, family_id AS "familyId", staff_id AS "staffId", token_version AS "tokenVersion",
  expires_at AS "expiresAt", family_expires_at AS "familyExpiresAt", rotated_at AS "rotatedAt", revoked_at AS "revokedAt"`;

/** The one writer of `staff_refresh_tokens` (staff console sessions). */
@Injectable()
export class RefreshTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * A new refresh token for the account: in `familyId` (a rotation) or a new family (a sign-in).
   * Answers the token itself, which is stored nowhere but in the caller's cookie.
   */
  async issue(
    m: EntityManager,
    staffId: string,
    tokenVersion: number,
    idleSeconds: number,
    family: { id: string; expiresAt: Date } | { maxSeconds: number },
  ): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const familyId = 'id' in family ? family.id : randomUUID();
    const [row] = (await m.query(
      `INSERT INTO staff_refresh_tokens (id, family_id, staff_id, token_hash, token_version, expires_at, family_expires_at)
       SELECT $1, $2, $3, $4, $5, LEAST(now() + make_interval(secs => $6), f.at), f.at
         FROM (SELECT COALESCE($7::timestamptz, now() + make_interval(secs => $8)) AS at) f
       RETURNING expires_at AS "expiresAt"`,
      [
        randomUUID(),
        familyId,
        staffId,
        hashRefreshToken(token),
        tokenVersion,
        idleSeconds,
        'id' in family ? family.expiresAt : null,
        'id' in family ? 0 : family.maxSeconds,
      ],
    )) as Array<{ expiresAt: Date }>;
    return { token, expiresAt: row.expiresAt };
  }

  /** The row of a presented token, locked for this transaction (two refreshes with one token: one wins). */
  async findForUpdate(m: EntityManager, token: string): Promise<RefreshTokenRow | undefined> {
    const rows = (await m.query(`SELECT ${COLUMNS} FROM staff_refresh_tokens WHERE token_hash = $1 FOR UPDATE`, [
      hashRefreshToken(token),
    ])) as RefreshTokenRow[];
    return rows[0];
  }

  async markRotated(m: EntityManager, id: string): Promise<void> {
    await m.query(`UPDATE staff_refresh_tokens SET rotated_at = now() WHERE id = $1`, [id]);
  }

  async revokeFamily(m: EntityManager, familyId: string): Promise<void> {
    await m.query(`UPDATE staff_refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL`, [
      familyId,
    ]);
  }

  /** Every session of the account ends (password change, reset, disabling). */
  async revokeAllFor(m: EntityManager, staffId: string): Promise<void> {
    await m.query(`UPDATE staff_refresh_tokens SET revoked_at = now() WHERE staff_id = $1 AND revoked_at IS NULL`, [
      staffId,
    ]);
  }

  /** Rows past their family's end are of no use to anyone (kept a day for the reuse check's sake). */
  async deleteExpired(m: EntityManager, staffId: string): Promise<void> {
    await m.query(
      `DELETE FROM staff_refresh_tokens WHERE staff_id = $1 AND family_expires_at < now() - interval '1 day'`,
      [staffId],
    );
  }
}
