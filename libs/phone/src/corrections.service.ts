import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { assertIdempotencyKey, DomainError } from '@app/common';
import { LedgerEntry, LedgerService } from '@app/ledger';
import { StripeGateway } from '@app/stripe';
import { Actor, AuditService } from '@app/staff';
import { RefundDto } from './corrections.dto';

/**
 * Corrections never edit the ledger. A phone entry made in error gets a reversing entry (the
 * negative of it, with the reason and who did it). An online payment is refunded through Stripe;
 * the refund reaches the ledger through the webhook as a negative entry beside the payment.
 */
@Injectable()
export class CorrectionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly stripe: StripeGateway,
    private readonly audit: AuditService,
  ) {}

  private async entry(id: string): Promise<LedgerEntry> {
    const entry = /^\d{1,18}$/.test(id) ? await this.dataSource.manager.findOneBy(LedgerEntry, { id }) : null;
    if (!entry) throw new DomainError('NOT_FOUND', `ledger entry ${id} does not exist`, 'id');
    return entry;
  }

  async reverse(id: string, reason: string, actor: Actor): Promise<{ id: string; reverses: string; gross: number; currency: string }> {
    const original = await this.entry(id);
    if (original.kind !== 'payment' || original.channel !== 'phone' || original.stripeChargeId) {
      throw new DomainError('NOT_REVERSIBLE', 'only a phone payment taken in cash, cheque or transfer is reversed here; refund card payments instead', 'id');
    }
    return this.dataSource.transaction(async (m) => {
      const r = await this.ledger.record(
        {
          idempotencyKey: `reversal:${original.id}`,
          kind: 'reversal',
          type: original.type,
          channel: original.channel,
          method: original.method,
          gross: -original.gross,
          fee: -original.fee,
          currency: original.currency,
          supporterId: original.supporterId,
          campaignId: original.campaignId,
          reversesEntryId: original.id,
          staffId: actor.staffId,
          reference: original.reference,
          description: `Reversal: ${reason}`,
          occurredAt: new Date(),
        },
        m,
      );
      if (!r.created) throw new DomainError('ALREADY_REVERSED', `ledger entry ${id} is already reversed`, 'id');
      const result = { id: r.entry!.id, reverses: original.id, gross: r.entry!.gross, currency: r.entry!.currency };
      await this.audit.record(actor, { action: 'ledger.reverse', entityType: 'ledger_entry', entityId: original.id, before: { id: original.id, gross: original.gross }, after: { ...result, reason } }, m);
      return result;
    });
  }

  async refund(id: string, dto: RefundDto, key: string | undefined, actor: Actor): Promise<{ refundId: string; status: string | null; amount: number; currency: string; payment: string }> {
    assertIdempotencyKey(key);
    const payment = await this.entry(id);
    if (payment.kind !== 'payment' || !payment.stripeChargeId) throw new DomainError('NOT_REFUNDABLE', 'only a card payment made through Stripe is refunded here; reverse phone entries instead', 'id');
    let refund: Stripe.Refund;
    try {
      refund = await this.stripe.createRefund(
        { charge: payment.stripeChargeId, ...(dto.amount ? { amount: dto.amount } : {}), reason: dto.reason, metadata: { ledger_entry: payment.id, staff: actor.label, note: dto.note ?? '' } },
        `staff-refund:${key}`,
      );
    } catch (err) {
      if (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeIdempotencyError) {
        throw new DomainError('REFUND_REJECTED', `Stripe refused the refund: ${err.message}`, err.param === 'amount' || err.code === 'amount_too_large' ? 'amount' : 'id');
      }
      throw err;
    }
    const result = { refundId: refund.id, status: refund.status, amount: refund.amount, currency: refund.currency.toUpperCase(), payment: payment.id };
    await this.audit.record(actor, { action: 'payment.refund', entityType: 'ledger_entry', entityId: payment.id, before: { gross: payment.gross }, after: { ...result, reason: dto.reason, note: dto.note ?? null } });
    return result;
  }
}
