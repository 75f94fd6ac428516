import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { toSafeInt } from '@app/database';

/** The person a statement is for: the survivor when the record asked for was merged into another. */
export interface StatementPerson {
  id: string;
  name: string | null;
  email: string | null;
  emailUpdates: boolean;
  erased: boolean;
}

/** One movement of the person's money in the year: a payment, or what gave some of it back (negative). */
export interface StatementLine {
  /** Local day (YYYY-MM-DD) in REPORT_TIME_ZONE. */
  day: string;
  kind: string;
  type: string;
  channel: string;
  method: string;
  /** Minor units; negative for refunds, reversals and lost disputes. */
  amount: number;
  currency: string;
}

/** The ledger kinds a statement shows (a Stripe fee is not the reader's money). */
const STATEMENT_KINDS = ['payment', 'refund', 'reversal', 'dispute', 'dispute_reversal', 'refund_failure'];

/** SQL: the first instant of local day $n, and of the day after local day $m (exclusive end), in zone $z. */
const dayStart = (n: number, z: number) => `(($${n}::date)::timestamp AT TIME ZONE $${z})`;
const dayAfter = (m: number, z: number) => `(($${m}::date + 1)::timestamp AT TIME ZONE $${z})`;

/**
 * The statements' SQL: reads the ledger and supporters (as the reports do: a payment made under
 * a record since merged counts for the survivor), and writes `giving_statements_sent`, its one table.
 */
@Injectable()
export class StatementsData {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** The person behind a supporter id (following a merge), or null when there is no such supporter. */
  async person(supporterId: string): Promise<StatementPerson | null> {
    const [row] = await this.db.query(
      `SELECT p.id, p.name, p.email, p.email_updates, p.erased_at IS NOT NULL AS erased
         FROM supporters s JOIN supporters p ON p.id = COALESCE(s.merged_into, s.id)
        WHERE s.id = $1`,
      [supporterId],
    );
    return row
      ? { id: row.id, name: row.name, email: row.email, emailUpdates: row.email_updates, erased: row.erased }
      : null;
  }

  /** The person's payments and what gave them back, local days `from`..`to` (inclusive) in `zone`, oldest first. */
  async lines(personId: string, from: string, to: string, zone: string): Promise<StatementLine[]> {
    const rows: Array<{
      day: string;
      kind: string;
      type: string;
      channel: string;
      method: string;
      gross: string;
      currency: string;
    }> = await this.db.query(
      `SELECT (l.occurred_at AT TIME ZONE $4)::date::text AS day, l.kind, l.type, l.channel, l.method, l.gross, l.currency
         FROM ledger_entries l
        WHERE l.supporter_id IN (SELECT id FROM supporters WHERE id = $1 OR merged_into = $1)
          AND l.kind = ANY($5::text[])
          AND l.occurred_at >= ${dayStart(2, 4)} AND l.occurred_at < ${dayAfter(3, 4)}
        ORDER BY l.occurred_at, l.id`,
      [personId, from, to, zone, STATEMENT_KINDS],
    );
    return rows.map((r) => ({
      day: r.day,
      kind: r.kind,
      type: r.type,
      channel: r.channel,
      method: r.method,
      amount: toSafeInt(r.gross),
      currency: r.currency.trim(),
    }));
  }

  /** The financial years (by the year they end) in which the person made a payment, newest first. */
  async years(personId: string, zone: string): Promise<number[]> {
    // A local day six months on falls in the calendar year its financial year ends in.
    const rows: Array<{ year: number }> = await this.db.query(
      `SELECT DISTINCT EXTRACT(YEAR FROM (l.occurred_at AT TIME ZONE $2) + interval '6 months')::int AS year
         FROM ledger_entries l
        WHERE l.supporter_id IN (SELECT id FROM supporters WHERE id = $1 OR merged_into = $1) AND l.kind = 'payment'
        ORDER BY 1 DESC`,
      [personId, zone],
    );
    return rows.map((r) => r.year);
  }

  /**
   * Everyone (the person, merged records followed) who made a payment in local days `from`..`to`,
   * with whether their statement of `year` was already sent.
   */
  async givers(
    year: number,
    from: string,
    to: string,
    zone: string,
  ): Promise<Array<StatementPerson & { alreadySent: boolean }>> {
    const rows = await this.db.query(
      `WITH givers AS (
         SELECT DISTINCT COALESCE(s.merged_into, s.id) AS id
           FROM ledger_entries l JOIN supporters s ON s.id = l.supporter_id
          WHERE l.kind = 'payment' AND l.occurred_at >= ${dayStart(2, 4)} AND l.occurred_at < ${dayAfter(3, 4)})
       SELECT p.id, p.name, p.email, p.email_updates, p.erased_at IS NOT NULL AS erased,
              EXISTS (SELECT 1 FROM giving_statements_sent g WHERE g.supporter_id = p.id AND g.year = $1) AS already_sent
         FROM givers JOIN supporters p ON p.id = givers.id
        ORDER BY p.id`,
      [year, from, to, zone],
    );
    return rows.map(
      (r: {
        id: string;
        name: string | null;
        email: string | null;
        email_updates: boolean;
        erased: boolean;
        already_sent: boolean;
      }) => ({
        id: r.id,
        name: r.name,
        email: r.email,
        emailUpdates: r.email_updates,
        erased: r.erased,
        alreadySent: r.already_sent,
      }),
    );
  }

  /** Records that the person's statement of `year` is sent; false when it already was (nothing written). */
  async markSent(manager: EntityManager, personId: string, year: number, sentBy: string): Promise<boolean> {
    // An INSERT … RETURNING answers its rows (none on conflict).
    const rows: unknown[] = await manager.query(
      `INSERT INTO giving_statements_sent (supporter_id, year, sent_by) VALUES ($1, $2, $3)
       ON CONFLICT (supporter_id, year) DO NOTHING RETURNING supporter_id`,
      [personId, year, sentBy],
    );
    return rows.length > 0;
  }
}
