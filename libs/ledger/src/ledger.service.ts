import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { assertMinorUnits } from '@app/common';
import { LedgerEntry } from './ledger-entry.entity';
import { NewLedgerEntry } from './ledger.types';

export interface RecordResult {
  entry: LedgerEntry | null;
  /** false when an entry for the same movement already existed: nothing was written. */
  created: boolean;
}

@Injectable()
export class LedgerService {
  constructor(@InjectRepository(LedgerEntry) private readonly entries: Repository<LedgerEntry>) {}

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
      occurredAt: entry.occurredAt,
    };
    const result = await manager.createQueryBuilder().insert().into(LedgerEntry).values(values).orIgnore().returning('id').execute();
    const id = result.raw?.[0]?.id as string | undefined;
    if (id === undefined) return { entry: null, created: false };
    return { entry: await manager.findOneByOrFail(LedgerEntry, { id: String(id) }), created: true };
  }

  /** The payment entry for a Stripe charge, if recorded. */
  findPaymentByCharge(chargeId: string, manager: EntityManager = this.entries.manager): Promise<LedgerEntry | null> {
    return manager.findOneBy(LedgerEntry, { kind: 'payment', stripeChargeId: chargeId });
  }

  findByCheckout(checkoutId: string, manager: EntityManager = this.entries.manager): Promise<LedgerEntry[]> {
    return manager.find(LedgerEntry, { where: { checkoutId }, order: { id: 'ASC' } });
  }
}
