import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { assertMinorUnits } from '@app/common';
import { queryOne, sql } from '@app/database';
import { LedgerEntry } from './ledger-entry.entity';
import { BalanceInfo, NewLedgerEntry } from './ledger.types';

/** The advisory lock's key for one Stripe payment (its payment intent or charge id). */
const paymentLockKey = (key: string) => `payment:${key}`;

export interface RecordResult {
  entry: LedgerEntry | null;
  /** false when an entry for the same movement already existed: nothing was written. */
  created: boolean;
}

@Injectable()
export class LedgerService {
  /** The INSERT of `record`, built once from the entity's column names (no query builder per call). */
  private insertSql?: string;

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
      description: entry.description ?? null,
      staffId: entry.staffId ?? null,
      reference: entry.reference ?? null,
      occurredAt: entry.occurredAt,
    };
    const keys = Object.keys(values) as Array<keyof typeof values>;
    this.insertSql ??= this.buildInsert(manager, keys);
    const [row] = await sql<{ id: string; recorded_at: Date }>(manager, this.insertSql, keys.map((k) => values[k]));
    if (row === undefined) return { entry: null, created: false };
    // The row is what was written (no read back): the values, its id and when it was recorded.
    return { entry: manager.create(LedgerEntry, { ...values, id: String(row.id), recordedAt: row.recorded_at }), created: true };
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
    return /^[A-Za-z0-9_]{1,255}$/.test(key) ? `SELECT pg_advisory_xact_lock(hashtextextended('${paymentLockKey(key)}', 0))` : null;
  }

  /**
   * Records a payment with its fee if the balance transaction is known, or with fee 0 and, once
   * the balance transaction is known, a separate `fee` entry. Call under `lockPayment`.
   */
  async recordPayment(entry: Omit<NewLedgerEntry, 'fee' | 'stripeBalanceTransactionId' | 'kind'>, balance: BalanceInfo | null, manager: EntityManager): Promise<{ payment: LedgerEntry; outcomes: string[] }> {
    const feeKnown = balance !== null && balance.currency.toUpperCase() === entry.currency.toUpperCase();
    const outcomes: string[] = [];
    const payment = await this.record({ ...entry, kind: 'payment', fee: feeKnown ? balance.fee : 0, stripeBalanceTransactionId: feeKnown ? balance.id : null }, manager);
    if (payment.created) outcomes.push(`recorded payment ${entry.idempotencyKey} ${entry.gross} ${entry.currency}${feeKnown ? ` fee ${balance.fee}` : ', fee pending'}`);
    const recorded = payment.entry ?? (await manager.findOneByOrFail(LedgerEntry, { idempotencyKey: entry.idempotencyKey }));
    if (feeKnown) {
      const fee = await this.recordFee(recorded, balance, entry.stripeEventId ?? null, manager);
      if (fee) outcomes.push(fee);
    }
    return { payment: recorded, outcomes };
  }

  /** The fee of a recorded payment, as its own entry, unless the payment already carries it. */
  async recordFee(payment: LedgerEntry, balance: BalanceInfo, stripeEventId: string | null, manager: EntityManager): Promise<string | null> {
    if (payment.stripeBalanceTransactionId !== null || balance.currency.toUpperCase() !== payment.currency.toUpperCase()) return null;
    const fee = await this.record(
      {
        idempotencyKey: `fee:${balance.id}`,
        kind: 'fee',
        type: payment.type,
        channel: payment.channel,
        method: payment.method,
        gross: 0,
        fee: balance.fee,
        currency: payment.currency,
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
    return fee.created ? `recorded fee ${balance.fee} for ${payment.stripeChargeId}` : null;
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
    const rows = await sql(this.entries.manager, `SELECT 1 FROM ledger_entries WHERE stripe_refund_id = $1 AND kind = 'refund' LIMIT 1`, [refundId]);
    return rows.length > 0;
  }

  /** How much of a charge the ledger has refunded (a positive amount). */
  async refundedAmount(chargeId: string): Promise<number> {
    const [row] = await sql<{ refunded: string }>(this.entries.manager, `SELECT COALESCE(-SUM(gross), 0) AS refunded FROM ledger_entries WHERE kind = 'refund' AND stripe_charge_id = $1`, [chargeId]);
    return Number(row.refunded);
  }

  /** The payment entry for a Stripe charge, if recorded. */
  findPaymentByCharge(chargeId: string, manager: EntityManager = this.entries.manager): Promise<LedgerEntry | null> {
    return queryOne(manager, LedgerEntry, `SELECT * FROM ledger_entries WHERE stripe_charge_id = $1 AND kind = 'payment' LIMIT 1`, [chargeId]);
  }
}
