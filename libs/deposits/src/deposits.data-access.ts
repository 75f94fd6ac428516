import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { sql, toSafeInt } from '@app/database';
import type { DepositEntryDto, DepositStatus } from './deposits.dto';

export interface DepositRow {
  id: string;
  status: DepositStatus;
  currency: string;
  note: string | null;
  bank_reference: string | null;
  deposited_on: string | null;
  opened_by: string | null;
  opened_at: Date;
  closed_by: string | null;
  closed_at: Date | null;
}

interface EntryRow {
  deposit_id?: string;
  id: string;
  occurred_at: Date;
  local_date: string;
  method: string;
  gross: string;
  currency: string;
  reference: string | null;
  supporter_id: string | null;
  supporter_name: string | null;
  staff_id: string | null;
}

export interface EntryCandidate {
  id: string;
  eligible: boolean;
  currency: string;
  reversed: boolean;
  depositId: string | null;
}

export interface PhoneMoneyRow {
  date: string;
  method: string;
  count: number;
  recorded: number;
  reversed: number;
  deposited: number;
  inOpenDeposit: number;
}

/** A ledger entry deposits take: a phone payment in cash or by cheque (not a card payment through Stripe). */
const DEPOSITABLE = `e.kind = 'payment' AND e.channel = 'phone' AND e.method IN ('cash', 'cheque') AND e.stripe_charge_id IS NULL`;
const REVERSED = `EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_entry_id = e.id AND r.kind = 'reversal')`;
const DEPOSIT_COLUMNS = `id, status, currency, note, bank_reference, to_char(deposited_on, 'YYYY-MM-DD') AS deposited_on, opened_by, opened_at, closed_by, closed_at`;
const entryColumns = (tz: string) =>
  `e.id, e.occurred_at, to_char(e.occurred_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS local_date, e.method, e.gross, e.currency, e.reference, e.supporter_id, s.name AS supporter_name, e.staff_id`;

export function toEntryDto(r: EntryRow): DepositEntryDto {
  return {
    id: String(r.id),
    occurredAt: r.occurred_at.toISOString(),
    localDate: r.local_date,
    method: r.method,
    amount: toSafeInt(r.gross),
    currency: r.currency,
    reference: r.reference,
    supporterId: r.supporter_id,
    supporterName: r.supporter_name,
    staffId: r.staff_id,
  };
}

/** The one writer of `deposits` and `deposit_entries`; the reads deposits and their reports need. */
@Injectable()
export class DepositsData {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  get manager(): EntityManager {
    return this.db.manager;
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async insert(m: EntityManager, currency: string, note: string | null, staffId: string | null): Promise<DepositRow> {
    const [row] = await m.query(
      `INSERT INTO deposits (currency, note, opened_by) VALUES ($1, $2, $3) RETURNING ${DEPOSIT_COLUMNS}`,
      [currency, note, staffId],
    );
    return row;
  }

  /** The deposit, locked until the transaction ends when `lock` (adding, removing, closing). */
  async find(m: EntityManager, id: string, lock = false): Promise<DepositRow | null> {
    const [row] = await m.query(`SELECT ${DEPOSIT_COLUMNS} FROM deposits WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [
      id,
    ]);
    return row ?? null;
  }

  list(status: DepositStatus | undefined): Promise<DepositRow[]> {
    return this.db.query(
      `SELECT ${DEPOSIT_COLUMNS} FROM deposits WHERE ($1::text IS NULL OR status = $1) ORDER BY opened_at DESC, id LIMIT 500`,
      [status ?? null],
    );
  }

  closedBetween(from: string, to: string, currency: string): Promise<DepositRow[]> {
    return this.db.query(
      `SELECT ${DEPOSIT_COLUMNS} FROM deposits WHERE status = 'closed' AND deposited_on BETWEEN $1::date AND $2::date AND currency = $3
        ORDER BY deposited_on, closed_at, id`,
      [from, to, currency],
    );
  }

  /** The entries of these deposits, oldest first, each with its `deposit_id`. */
  async entriesOf(m: EntityManager, depositIds: string[], timeZone: string): Promise<EntryRow[]> {
    if (!depositIds.length) return [];
    return m.query(
      `SELECT de.deposit_id, ${entryColumns('$2')} FROM deposit_entries de
         JOIN ledger_entries e ON e.id = de.ledger_entry_id LEFT JOIN supporters s ON s.id = e.supporter_id
        WHERE de.deposit_id = ANY($1::uuid[]) ORDER BY e.occurred_at, e.id`,
      [depositIds, timeZone],
    );
  }

  /** Cash and cheques in the currency that are in no deposit and not reversed, oldest first. */
  undeposited(m: EntityManager, currency: string, timeZone: string): Promise<EntryRow[]> {
    return m.query(
      `SELECT ${entryColumns('$2')} FROM ledger_entries e LEFT JOIN supporters s ON s.id = e.supporter_id
        WHERE ${DEPOSITABLE} AND e.currency = $1 AND NOT ${REVERSED}
          AND NOT EXISTS (SELECT 1 FROM deposit_entries de WHERE de.ledger_entry_id = e.id)
        ORDER BY e.occurred_at, e.id LIMIT 5000`,
      [currency, timeZone],
    );
  }

  /** What a deposit needs to know of entries before taking them. */
  async candidates(m: EntityManager, ids: string[]): Promise<EntryCandidate[]> {
    const rows: Array<{
      id: string;
      eligible: boolean;
      currency: string;
      reversed: boolean;
      deposit_id: string | null;
    }> = await m.query(
      `SELECT e.id, (${DEPOSITABLE}) AS eligible, e.currency, ${REVERSED} AS reversed, de.deposit_id
           FROM ledger_entries e LEFT JOIN deposit_entries de ON de.ledger_entry_id = e.id
          WHERE e.id = ANY($1::bigint[])`,
      [ids],
    );
    return rows.map((r) => ({
      id: String(r.id),
      eligible: r.eligible,
      currency: r.currency,
      reversed: r.reversed,
      depositId: r.deposit_id,
    }));
  }

  async addEntries(m: EntityManager, depositId: string, ids: string[], staffId: string | null): Promise<string[]> {
    const rows: Array<{ ledger_entry_id: string }> = await m.query(
      `INSERT INTO deposit_entries (deposit_id, ledger_entry_id, added_by) SELECT $1, unnest($2::bigint[]), $3
       ON CONFLICT DO NOTHING RETURNING ledger_entry_id`,
      [depositId, ids, staffId],
    );
    return rows.map((r) => String(r.ledger_entry_id));
  }

  async removeEntry(m: EntityManager, depositId: string, entryId: string): Promise<boolean> {
    const rows = await sql(
      m,
      `DELETE FROM deposit_entries WHERE deposit_id = $1 AND ledger_entry_id = $2 RETURNING ledger_entry_id`,
      [depositId, entryId],
    );
    return rows.length > 0;
  }

  async close(
    m: EntityManager,
    id: string,
    bankReference: string,
    depositedOn: string,
    staffId: string | null,
  ): Promise<DepositRow | null> {
    const [row] = await sql<DepositRow>(
      m,
      `UPDATE deposits SET status = 'closed', bank_reference = $2, deposited_on = $3::date, closed_by = $4, closed_at = now()
        WHERE id = $1 AND status = 'open' RETURNING ${DEPOSIT_COLUMNS}`,
      [id, bankReference, depositedOn, staffId],
    );
    return row ?? null;
  }

  /**
   * Serialises what happens to one ledger entry in deposits and corrections (a void or reversal
   * and adding it to a deposit) until the transaction ends. An advisory lock: the service may
   * not lock ledger rows (it has no UPDATE right on the ledger).
   */
  async lockEntry(m: EntityManager, entryId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`ledger-entry:${entryId}`]);
  }

  async lockEntries(m: EntityManager, ids: string[]): Promise<void> {
    for (const id of [...new Set(ids)].sort((a, b) => Number(a) - Number(b))) await this.lockEntry(m, id);
  }

  /** The deposit holding the entry, locked (its closing waits, or was first). */
  async depositHolding(m: EntityManager, entryId: string): Promise<{ id: string; status: DepositStatus } | null> {
    const [row] = await m.query(
      `SELECT d.id, d.status FROM deposit_entries de JOIN deposits d ON d.id = de.deposit_id
        WHERE de.ledger_entry_id = $1 FOR UPDATE OF d`,
      [entryId],
    );
    return row ?? null;
  }

  /** Phone cash and cheques taken per local day and method in [from, to], and where that money is. */
  async phoneMoneyByDay(from: string, to: string, currency: string, timeZone: string): Promise<PhoneMoneyRow[]> {
    const rows: Array<Record<string, string>> = await this.db.query(
      `SELECT to_char(e.occurred_at AT TIME ZONE $3, 'YYYY-MM-DD') AS date, e.method, count(*)::int AS count,
              COALESCE(sum(e.gross), 0) AS recorded,
              COALESCE(sum(-r.gross), 0) AS reversed,
              COALESCE(sum(e.gross) FILTER (WHERE d.status = 'closed'), 0) AS deposited,
              COALESCE(sum(e.gross) FILTER (WHERE d.status = 'open'), 0) AS in_open
         FROM ledger_entries e
         LEFT JOIN ledger_entries r ON r.reverses_entry_id = e.id AND r.kind = 'reversal'
         LEFT JOIN deposit_entries de ON de.ledger_entry_id = e.id
         LEFT JOIN deposits d ON d.id = de.deposit_id
        WHERE ${DEPOSITABLE} AND e.currency = $4
          AND e.occurred_at >= ($1::date::timestamp AT TIME ZONE $3) AND e.occurred_at < (($2::date + 1)::timestamp AT TIME ZONE $3)
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [from, to, timeZone, currency],
    );
    return rows.map((r) => ({
      date: r.date,
      method: r.method,
      count: Number(r.count),
      recorded: toSafeInt(r.recorded),
      reversed: toSafeInt(r.reversed),
      deposited: toSafeInt(r.deposited),
      inOpenDeposit: toSafeInt(r.in_open),
    }));
  }
}
