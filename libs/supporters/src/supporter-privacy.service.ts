import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '@app/common';

/** The name an erased supporter keeps: what reports, CSVs and look-ups show in place of theirs. */
export const ERASED_SUPPORTER_NAME = 'erased supporter';

/** A supporter's row as it is stored, for an export (every column, personal data included). */
export interface SupporterRecord {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: Record<string, string> | null;
  stripeCustomerId: string | null;
  createdAt: Date;
  updatedAt: Date;
  erasedAt: Date | null;
  notes: string | null;
  /** The survivor this record was merged into, and when; null for a record not merged. */
  mergedInto: string | null;
  mergedAt: Date | null;
  /** Every phone on the record, as typed and in E.164. */
  phones: Array<{ number: string; e164: string | null }>;
  /** Addresses the record had before an email change. */
  previousEmails: Array<{ email: string; replacedAt: Date }>;
}

const COLUMNS = `id, name, email, phone, address, stripe_customer_id AS "stripeCustomerId", created_at AS "createdAt", updated_at AS "updatedAt", erased_at AS "erasedAt", notes, merged_into AS "mergedInto", merged_at AS "mergedAt"`;

/** The supporters table's side of privacy requests: the record as held, and its erasure. */
@Injectable()
export class SupporterPrivacyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The record, or null; `lock` takes the row for the rest of the caller's transaction. */
  async record(
    id: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<SupporterRecord | null> {
    if (!isUuid(id)) return null;
    const [row] = await manager.query(`SELECT ${COLUMNS} FROM supporters WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
      id,
    ]);
    if (!row) return null;
    return { ...(row as SupporterRecord), ...(await this.related(id, manager)) };
  }

  /**
   * The record an id stands for (itself, or the survivor it was merged into) and the ids of the
   * records merged into that one; null when there is no such supporter.
   */
  async withMerged(id: string): Promise<{ survivor: SupporterRecord; merged: SupporterRecord[] } | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.dataSource.query(`SELECT COALESCE(merged_into, id) AS id FROM supporters WHERE id = $1`, [
      id,
    ]);
    if (!row) return null;
    const survivor = await this.record(row.id);
    if (!survivor) return null;
    const ids: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM supporters WHERE merged_into = $1 ORDER BY created_at, id`,
      [survivor.id],
    );
    const merged = (await Promise.all(ids.map((r) => this.record(r.id)))).filter((r): r is SupporterRecord => !!r);
    return { survivor, merged };
  }

  /**
   * Locks, in the caller's transaction, the survivor `survivorId` and every record merged into it,
   * in id order (the order a merge locks its pair in, so the two cannot deadlock). Answers their
   * ids, sorted; null when the group moved while it was being locked (a merge committed meanwhile:
   * a record merged into it, or the survivor merged into another), so the caller tries again.
   */
  async lockGroup(survivorId: string, manager: EntityManager): Promise<string[] | null> {
    const locked: Array<{ id: string }> = await manager.query(
      `SELECT id FROM supporters WHERE id = $1 OR merged_into = $1 ORDER BY id FOR UPDATE`,
      [survivorId],
    );
    // Read again once locked: a merge that committed while this waited shows only to a new statement.
    const now: Array<{ id: string }> = await manager.query(
      `SELECT id FROM supporters WHERE (id = $1 AND merged_into IS NULL) OR merged_into = $1 ORDER BY id`,
      [survivorId],
    );
    const ids = locked.map((r) => r.id);
    return ids.join() === now.map((r) => r.id).join() && ids.includes(survivorId) ? ids : null;
  }

  /**
   * Which of these addresses (lower case) are the current email of a supporter outside `ids`: a
   * former address someone else has taken since is theirs now, not to be read or scrubbed as ours.
   */
  async heldOutside(
    addresses: string[],
    ids: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    if (!addresses.length) return [];
    const rows: Array<{ email: string }> = await manager.query(
      `SELECT DISTINCT lower(email) AS email FROM supporters
        WHERE lower(email) = ANY($1::text[]) AND NOT (id = ANY($2::uuid[]))`,
      [addresses.map((a) => a.toLowerCase()), ids],
    );
    return rows.map((r) => r.email);
  }

  /** The record's other tables: its phones and its former emails. */
  private async related(
    id: string,
    manager: EntityManager,
  ): Promise<Pick<SupporterRecord, 'phones' | 'previousEmails'>> {
    const phones = await manager.query(
      `SELECT number, e164 FROM supporter_phones WHERE supporter_id = $1 ORDER BY position`,
      [id],
    );
    const previousEmails = await manager.query(
      `SELECT email, replaced_at AS "replacedAt" FROM supporter_email_history WHERE supporter_id = $1 ORDER BY id`,
      [id],
    );
    return { phones, previousEmails };
  }

  /**
   * Replaces the personal data by a tombstone: the name becomes "erased supporter"; email, phone,
   * address and notes are emptied, the record's phones and former emails deleted; `erased_at` is set (kept when it was already). The id, the Stripe
   * customer id (so late webhooks still find the row) and every reference to it stay, so the
   * ledger's rows and totals do not move.
   */
  async erase(id: string, manager: EntityManager): Promise<SupporterRecord> {
    await manager.query(`DELETE FROM supporter_phones WHERE supporter_id = $1`, [id]);
    await manager.query(`DELETE FROM supporter_email_history WHERE supporter_id = $1`, [id]);
    const [rows] = await manager.query(
      `UPDATE supporters SET name = $2, email = NULL, phone = NULL, address = NULL, notes = NULL,
              erased_at = COALESCE(erased_at, now()), updated_at = now()
        WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ERASED_SUPPORTER_NAME],
    );
    return { ...(rows as SupporterRecord[])[0], phones: [], previousEmails: [] };
  }
}
