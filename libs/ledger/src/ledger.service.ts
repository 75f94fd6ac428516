import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { assertMinorUnits } from '@app/common';
import { queryOne, rowsOf, sql } from '@app/database';
import { LedgerEntry } from './ledger-entry.entity';
import { BalanceInfo, NewLedgerEntry } from './ledger.types';

/** The advisory lock's key for one Stripe payment (its payment intent or charge id). */
const paymentLockKey = (key: string) => `payment:${key}`;

/**
 * Told of every entry `record` writes, in its transaction (say, to queue the receipt a payment
 * is owed). It must only write, never wait on anything outside the database.
 */
export type LedgerRecordedListener = (entry: LedgerEntry, manager: EntityManager) => Promise<void>;

export interface RecordResult {
  entry: LedgerEntry | null;
  /** false when an entry for the same movement already existed: nothing was written. */
  created: boolean;
}

@Injectable()
export class LedgerService {
  /** The INSERT of `record`, built once from the entity's column names (no query builder per call). */
  private insertSql?: string;
  private readonly recordedListeners: LedgerRecordedListener[] = [];

  constructor(@InjectRepository(LedgerEntry) private readonly entries: Repository<LedgerEntry>) {}

  private buildInsert(manager: EntityManager, keys: string[]): string {
    const metadata = manager.connection.getMetadata(LedgerEntry);
    const columns = keys.map((k) => {
      const column = metadata.findColumnWithPropertyName(k);
      if (!column) throw new Error(`ledger_entries has no column for ${k}`);
      return `"${column.databaseName}"`;
    });
    // Every unique constraint (idempotency key, Stripe ids) makes a duplicate a no-op.
    return `INSERT INTO ledger_entries (${columns.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING RETURNING id, recorded_at`;
  }

  /** `listener` is called with every entry written from now on, in the transaction that writes it. */
  onRecorded(listener: LedgerRecordedListener): void {
    this.recordedListeners.push(listener);
  }

  /**
   * Appends one entry, or nothing if the same movement is already recorded: every unique
   * constraint (idempotency key, Stripe charge/invoice/refund/dispute/balance transaction)
   * turns a duplicate into a no-op at the database, also under concurrency.
   */
  async record(entry: NewLedgerEntry, manager: EntityManager = this.entries.manager): Promise<RecordResult> {
    assertMinorUnits(entry.gross, 'gross');
    assertMinorUnits(entry.fee, 'fee');
    const values = {
      idempotencyKey: entry.idempotencyKey,
      kind: entry.kind,
      type: entry.type,
      channel: entry.channel,
      method: entry.method,
      gross: entry.gross,
      fee: entry.fee,
      net: entry.gross - entry.fee,
      currency: entry.currency.toUpperCase(),
      supporterId: entry.supporterId ?? null,
      campaignId: entry.campaignId ?? null,
      checkoutId: entry.checkoutId ?? null,
      reversesEntryId: entry.reversesEntryId ?? null,
      stripeEventId: entry.stripeEventId ?? null,
      stripeCheckoutSessionId: entry.stripeCheckoutSessionId ?? null,
      stripePaymentIntentId: entry.stripePaymentIntentId ?? null,
      stripeChargeId: entry.stripeChargeId ?? null,
      stripeInvoiceId: entry.stripeInvoiceId ?? null,
      stripeRefundId: entry.stripeRefundId ?? null,
      stripeDisputeId: entry.stripeDisputeId ?? null,
      stripeBalanceTransactionId: entry.stripeBalanceTransactionId ?? null,
      exchangeRate: entry.exchangeRate ?? null,
      description: entry.description ?? null,
      staffId: entry.staffId ?? null,
      reference: entry.reference ?? null,
      occurredAt: entry.occurredAt,
    };
    const keys = Object.keys(values) as Array<keyof typeof values>;
    this.insertSql ??= this.buildInsert(manager, keys);
    const [row] = await sql<{ id: string; recorded_at: Date }>(
      manager,
      this.insertSql,
      keys.map((k) => values[k]),
    );
    if (row === undefined) return { entry: null, created: false };
    // The row is what was written (no read back): the values, its id and when it was recorded.
    const written = manager.create(LedgerEntry, { ...values, id: String(row.id), recordedAt: row.recorded_at });
    for (const listener of this.recordedListeners) await listener(written, manager);
    return { entry: written, created: true };
  }

  /**
   * Serialises everything that records a payment or its fee for one Stripe payment (by payment
   * intent or charge id) until the transaction ends. Whoever holds it must look at the fee
   * (the balance transaction) only after taking it: then the last writer always sees the fee.
   */
  async lockPayment(manager: EntityManager, key: string): Promise<void> {
    await sql(manager, `SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [paymentLockKey(key)]);
  }

  /**
   * The same lock as a statement without parameters, to send along with others in one round trip;
   * null unless the key is a plain Stripe id (letters, digits, underscores), safe as a literal.
   */
  static lockPaymentSql(key: string): string | null {
    return /^[A-Za-z0-9_]{1,255}$/.test(key)
      ? `SELECT pg_advisory_xact_lock(hashtextextended('${paymentLockKey(key)}', 0))`
      : null;
  }

  /**
   * Records a payment with its fee if the balance transaction is known, or with fee 0 and, once
   * the balance transaction is known, a separate `fee` entry. Call under `lockPayment`.
   */
  async recordPayment(
    entry: Omit<NewLedgerEntry, 'fee' | 'stripeBalanceTransactionId' | 'kind'>,
    balance: BalanceInfo | null,
    manager: EntityManager,
  ): Promise<{ payment: LedgerEntry; outcomes: string[] }> {
    const feeKnown = balance !== null && balance.currency.toUpperCase() === entry.currency.toUpperCase();
    const outcomes: string[] = [];
    const payment = await this.record(
      {
        ...entry,
        kind: 'payment',
        fee: feeKnown ? balance.fee : 0,
        stripeBalanceTransactionId: feeKnown ? balance.id : null,
      },
      manager,
    );
    if (payment.created) {
      outcomes.push(
        `recorded payment ${entry.idempotencyKey} ${entry.gross} ${entry.currency}${feeKnown ? ` fee ${balance.fee}` : ', fee pending'}`,
      );
    }
    const recorded =
      payment.entry ?? (await manager.findOneByOrFail(LedgerEntry, { idempotencyKey: entry.idempotencyKey }));
    // Settled in another currency: the fee is its own entry in that currency (never dropped).
    if (balance) {
      const fee = await this.recordFee(recorded, balance, entry.stripeEventId ?? null, manager);
      if (fee) outcomes.push(fee);
    }
    return { payment: recorded, outcomes };
  }

  /**
   * The fee of a recorded payment, as its own entry, unless the payment already carries it. A
   * balance transaction in another currency than the payment's (Stripe converted it) gives a fee
   * entry in the settlement currency with the exchange rate: gross 0, the fee, net −fee, all in
   * that currency, so that each entry's amounts stay in one currency.
   */
  async recordFee(
    payment: LedgerEntry,
    balance: BalanceInfo,
    stripeEventId: string | null,
    manager: EntityManager,
  ): Promise<string | null> {
    if (payment.stripeBalanceTransactionId !== null) return null;
    const converted = balance.currency.toUpperCase() !== payment.currency.toUpperCase();
    const fee = await this.record(
      {
        idempotencyKey: `fee:${balance.id}`,
        kind: 'fee',
        type: payment.type,
        channel: payment.channel,
        method: payment.method,
        gross: 0,
        fee: balance.fee,
        currency: balance.currency,
        exchangeRate: converted ? (balance.exchange_rate ?? null) : null,
        supporterId: payment.supporterId,
        campaignId: payment.campaignId,
        checkoutId: payment.checkoutId,
        reversesEntryId: null,
        stripeEventId,
        stripeCheckoutSessionId: payment.stripeCheckoutSessionId,
        stripePaymentIntentId: payment.stripePaymentIntentId,
        stripeChargeId: payment.stripeChargeId,
        stripeInvoiceId: payment.stripeInvoiceId,
        stripeBalanceTransactionId: balance.id,
        description: `Stripe fee for ${payment.stripeChargeId ?? payment.idempotencyKey}`,
        occurredAt: new Date(balance.created * 1000),
      },
      manager,
    );
    return fee.created
      ? `recorded fee ${balance.fee} ${balance.currency.toUpperCase()} for ${payment.stripeChargeId}${converted ? ` (settled at ${balance.exchange_rate})` : ''}`
      : null;
  }

  /** Whether a charge's Stripe fee is in the ledger (on its payment, or as its own entry): one query. */
  async chargeFeeRecorded(chargeId: string, manager: EntityManager = this.entries.manager): Promise<boolean> {
    const rows = await sql(
      manager,
      `SELECT 1 FROM ledger_entries WHERE stripe_charge_id = $1 AND (kind = 'fee' OR kind = 'payment' AND stripe_balance_transaction_id IS NOT NULL) LIMIT 1`,
      [chargeId],
    );
    return rows.length > 0;
  }

  /** Whether a Stripe refund is in the ledger. */
  async refundRecorded(refundId: string): Promise<boolean> {
    const rows = await sql(
      this.entries.manager,
      `SELECT 1 FROM ledger_entries WHERE stripe_refund_id = $1 AND kind = 'refund' LIMIT 1`,
      [refundId],
    );
    return rows.length > 0;
  }

  /** Whether a Stripe refund's failure (the money back) is in the ledger. */
  async refundFailureRecorded(refundId: string): Promise<boolean> {
    const rows = await sql(
      this.entries.manager,
      `SELECT 1 FROM ledger_entries WHERE stripe_refund_id = $1 AND kind = 'refund_failure' LIMIT 1`,
      [refundId],
    );
    return rows.length > 0;
  }

  /** How much of a charge the ledger has refunded (a positive amount), less refunds that failed (as Stripe's `amount_refunded`). */
  async refundedAmount(chargeId: string): Promise<number> {
    const [row] = await sql<{ refunded: string }>(
      this.entries.manager,
      `SELECT COALESCE(-SUM(gross), 0) AS refunded FROM ledger_entries WHERE kind IN ('refund', 'refund_failure') AND stripe_charge_id = $1`,
      [chargeId],
    );
    return Number(row.refunded);
  }

  /** The id of a Stripe refund's entry (which must be recorded). */
  async refundEntryId(refundId: string, manager: EntityManager = this.entries.manager): Promise<string> {
    const rows = rowsOf<{ id: string }>(
      await manager.query(`SELECT id FROM ledger_entries WHERE stripe_refund_id = $1 AND kind = 'refund'`, [refundId]),
    );
    return String(rows[0].id);
  }

  /**
   * What is left of a payment (minor units): its gross less its refunds and a dispute not won,
   * plus refunds that failed afterwards.
   */
  async remainingOfPayment(paymentId: string, manager: EntityManager = this.entries.manager): Promise<number> {
    const [row] = await manager.query(
      `SELECT COALESCE(sum(gross), 0) AS remaining FROM ledger_entries WHERE id = $1 OR (reverses_entry_id = $1 AND kind IN ('refund', 'dispute', 'dispute_reversal')) OR (kind = 'refund_failure' AND reverses_entry_id IN (SELECT id FROM ledger_entries WHERE reverses_entry_id = $1 AND kind = 'refund'))`,
      [paymentId],
    );
    return Number((row as { remaining: string }).remaining);
  }

  /** The payment entry for a Stripe charge, if recorded. */
  findPaymentByCharge(chargeId: string, manager: EntityManager = this.entries.manager): Promise<LedgerEntry | null> {
    return queryOne(
      manager,
      LedgerEntry,
      `SELECT * FROM ledger_entries WHERE stripe_charge_id = $1 AND kind = 'payment' LIMIT 1`,
      [chargeId],
    );
  }

  /**
   * What a reader sees of their own money (the reader account): payments and what undid them
   * (refunds, disputes, won-back disputes, staff reversals, failed refunds), newest first, without
   * Stripe's fees. `supporterIds`: a record and those merged into it.
   */
  async forSupporters(supporterIds: string[], limit = 200): Promise<ReaderLedgerLine[]> {
    if (!supporterIds.length) return [];
    const rows = await sql<ReaderLedgerLine & { gross: string }>(
      this.entries.manager,
      `SELECT id::text AS id, kind, type, channel, method, gross::bigint AS gross, currency, occurred_at AS "occurredAt",
              reverses_entry_id::text AS "reversesEntryId"
         FROM ledger_entries
        WHERE supporter_id = ANY($1::uuid[]) AND kind <> 'fee'
        ORDER BY occurred_at DESC, id DESC LIMIT $2`,
      [supporterIds, limit],
    );
    return rows.map((r) => ({ ...r, gross: Number(r.gross), occurredAt: new Date(r.occurredAt) }));
  }
}

/** One line of a reader's own payment history (`LedgerService.forSupporters`). */
export interface ReaderLedgerLine {
  id: string;
  kind: LedgerEntry['kind'];
  type: LedgerEntry['type'];
  channel: LedgerEntry['channel'];
  method: string;
  /** Minor units; negative for a refund, a dispute or a reversal. */
  gross: number;
  currency: string;
  occurredAt: Date;
  reversesEntryId: string | null;
}
