import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '@app/database';

/** A receipt as issued: its own number, the ledger entry it is for, and to whom it was emailed. */
export interface ReceiptRow {
  number: number;
  ledgerEntryId: string;
  supporterId: string | null;
  amount: number;
  currency: string;
  description: string;
  issuedAt: Date;
  emailedTo: string | null;
}

/** What a receipt or a notice about money needs to know of a ledger entry, its reader and what it paid for. */
export interface EntryFacts {
  id: string;
  kind: string;
  type: string;
  channel: string;
  method: string;
  gross: number;
  currency: string;
  occurredAt: Date;
  reference: string | null;
  description: string | null;
  supporterId: string | null;
  reversesEntryId: string | null;
  /** The reader (a merged record's survivor): null when erased or unknown. */
  email: string | null;
  name: string | null;
  emailReceipts: boolean;
  campaignTitle: string | null;
  tierName: string | null;
  prepaidMonths: number | null;
}

const toReceipt = (r: Record<string, unknown>): ReceiptRow => ({
  number: Number(r.number),
  ledgerEntryId: String(r.ledger_entry_id),
  supporterId: (r.supporter_id as string | null) ?? null,
  amount: Number(r.amount),
  currency: String(r.currency),
  description: String(r.description),
  issuedAt: new Date(r.issued_at as string),
  emailedTo: (r.emailed_to as string | null) ?? null,
});

/**
 * The only writer of `receipts`, `receipt_counter` and `receipt_queue`. Numbers come from the
 * counter row, raised in the transaction that inserts the receipts: a rollback gives them back,
 * and a second issuer waits on the row until the first commits, so the numbers have no gaps and
 * no repeats.
 */
@Injectable()
export class ReceiptsRepository {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  /** Queues a ledger entry for its receipt or notice (in the transaction that records it). */
  async enqueue(manager: EntityManager, ledgerEntryId: string): Promise<void> {
    await manager.query(`INSERT INTO receipt_queue (ledger_entry_id) VALUES ($1) ON CONFLICT DO NOTHING`, [
      ledgerEntryId,
    ]);
  }

  /** Up to `limit` queued entries, oldest first, locked for this transaction (others skip them). */
  async claimQueued(manager: EntityManager, limit: number): Promise<string[]> {
    const rows = rowsOf<{ id: string }>(
      await manager.query(
        `SELECT ledger_entry_id AS id FROM receipt_queue ORDER BY ledger_entry_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      ),
    );
    return rows.map((r) => String(r.id));
  }

  /** Takes one entry off the queue, waiting for it if another transaction holds it; answers whether it was queued. */
  async takeQueued(manager: EntityManager, ledgerEntryId: string): Promise<boolean> {
    const rows = rowsOf(
      await manager.query(`DELETE FROM receipt_queue WHERE ledger_entry_id = $1 RETURNING ledger_entry_id`, [
        ledgerEntryId,
      ]),
    );
    return rows.length > 0;
  }

  async dequeue(manager: EntityManager, ledgerEntryIds: string[]): Promise<void> {
    if (ledgerEntryIds.length) {
      await manager.query(`DELETE FROM receipt_queue WHERE ledger_entry_id = ANY($1::bigint[])`, [ledgerEntryIds]);
    }
  }

  /** Whether anything is queued (a cheap look before a transaction is opened). */
  async anyQueued(): Promise<boolean> {
    return (await this.dataSource.query(`SELECT 1 FROM receipt_queue LIMIT 1`)).length > 0;
  }

  /**
   * The next `count` receipt numbers: the counter row is raised and stays locked until the
   * caller's transaction ends. Answers the first.
   */
  async reserveNumbers(manager: EntityManager, count: number): Promise<number> {
    const [row] = rowsOf<{ last: string }>(
      await manager.query(`UPDATE receipt_counter SET last = last + $1 RETURNING last`, [count]),
    );
    return Number(row.last) - count + 1;
  }

  async insert(manager: EntityManager, r: Omit<ReceiptRow, 'issuedAt'> & { issuedAt?: Date }): Promise<ReceiptRow> {
    const [row] = rowsOf<Record<string, unknown>>(
      await manager.query(
        `INSERT INTO receipts (number, ledger_entry_id, supporter_id, amount, currency, description, emailed_to, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8, now())) RETURNING *`,
        [
          r.number,
          r.ledgerEntryId,
          r.supporterId,
          r.amount,
          r.currency,
          r.description,
          r.emailedTo,
          r.issuedAt ?? null,
        ],
      ),
    );
    return toReceipt(row);
  }

  async forEntry(ledgerEntryId: string, manager: EntityManager = this.dataSource.manager): Promise<ReceiptRow | null> {
    const [row] = rowsOf<Record<string, unknown>>(
      await manager.query(`SELECT * FROM receipts WHERE ledger_entry_id = $1`, [ledgerEntryId]),
    );
    return row ? toReceipt(row) : null;
  }

  /** Which of these ledger entries have a receipt already. */
  async receipted(manager: EntityManager, ledgerEntryIds: string[]): Promise<Set<string>> {
    if (!ledgerEntryIds.length) return new Set();
    const rows = rowsOf<{ id: string }>(
      await manager.query(`SELECT ledger_entry_id AS id FROM receipts WHERE ledger_entry_id = ANY($1::bigint[])`, [
        ledgerEntryIds,
      ]),
    );
    return new Set(rows.map((r) => String(r.id)));
  }

  async byNumber(number: number): Promise<ReceiptRow | null> {
    const [row] = rowsOf<Record<string, unknown>>(
      await this.dataSource.query(`SELECT * FROM receipts WHERE number = $1`, [number]),
    );
    return row ? toReceipt(row) : null;
  }

  async forSupporters(supporterIds: string[]): Promise<ReceiptRow[]> {
    if (!supporterIds.length) return [];
    return rowsOf<Record<string, unknown>>(
      await this.dataSource.query(`SELECT * FROM receipts WHERE supporter_id = ANY($1::uuid[]) ORDER BY number DESC`, [
        supporterIds,
      ]),
    ).map(toReceipt);
  }

  /** Forgets the addresses receipts were emailed to (an erased reader); answers how many receipts. */
  async scrubAddresses(manager: EntityManager, addresses: string[]): Promise<number> {
    if (!addresses.length) return 0;
    const [, count] = await manager.query(
      `UPDATE receipts SET emailed_to = NULL WHERE lower(emailed_to) = ANY($1::text[])`,
      [addresses.map((a) => a.toLowerCase())],
    );
    return Number(count);
  }

  /** The facts of some ledger entries (reads the ledger, the reader's record, the campaign and the checkout). */
  async facts(manager: EntityManager, ids: string[]): Promise<Map<string, EntryFacts>> {
    if (!ids.length) return new Map();
    const rows = rowsOf<Record<string, unknown>>(
      await manager.query(
        `SELECT l.id, l.kind, l.type, l.channel, l.method, l.gross, l.currency, l.occurred_at, l.reference, l.description,
                l.supporter_id, l.reverses_entry_id,
                CASE WHEN r.erased_at IS NULL THEN r.email END AS email, CASE WHEN r.erased_at IS NULL THEN r.name END AS name,
                COALESCE(r.email_receipts, true) AS email_receipts,
                c.title AS campaign_title, t.name AS tier_name, co.prepaid_months
           FROM ledger_entries l
           LEFT JOIN supporters p ON p.id = l.supporter_id
           LEFT JOIN supporters r ON r.id = COALESCE(p.merged_into, p.id)
           LEFT JOIN campaigns c ON c.id = l.campaign_id
           LEFT JOIN checkouts co ON co.id = l.checkout_id
           LEFT JOIN tiers t ON t.code = co.tier_code
          WHERE l.id = ANY($1::bigint[])`,
        [ids],
      ),
    );
    return new Map(
      rows.map((r) => [
        String(r.id),
        {
          id: String(r.id),
          kind: String(r.kind),
          type: String(r.type),
          channel: String(r.channel),
          method: String(r.method),
          gross: Number(r.gross),
          currency: String(r.currency).trim(),
          occurredAt: new Date(r.occurred_at as string),
          reference: (r.reference as string | null) ?? null,
          description: (r.description as string | null) ?? null,
          supporterId: (r.supporter_id as string | null) ?? null,
          reversesEntryId: r.reverses_entry_id == null ? null : String(r.reverses_entry_id),
          email: (r.email as string | null) ?? null,
          name: (r.name as string | null) ?? null,
          emailReceipts: r.email_receipts !== false,
          campaignTitle: (r.campaign_title as string | null) ?? null,
          tierName: (r.tier_name as string | null) ?? null,
          prepaidMonths: r.prepaid_months == null ? null : Number(r.prepaid_months),
        },
      ]),
    );
  }
}
