import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { assertIdempotencyKey, Clock, DomainError, localDate } from '@app/common';
import { AppConfig } from '@app/config';
import { DepositsService } from '@app/deposits';
import { LedgerEntry, LedgerService } from '@app/ledger';
import { ReceiptsService } from '@app/receipts';
import { StripeGateway } from '@app/stripe';
import { SubscriptionsRepository } from '@app/subscriptions';
import { Actor, AuditService } from '@app/staff';
import { RefundDto } from './corrections.dto';
import { ReversalResult } from './void.dto';
import { assertSameRequest } from './idempotent-request';

export interface RefundResult {
  refundId: string;
  status: string | null;
  amount: number;
  currency: string;
  payment: string;
}

/** Only a phone payment in cash, cheque or transfer is reversed or voided; card payments are refunded. */
function assertReversible(original: LedgerEntry): void {
  if (original.kind !== 'payment' || original.channel !== 'phone' || original.stripeChargeId) {
    throw new DomainError(
      'NOT_REVERSIBLE',
      'only a phone payment taken in cash, cheque or transfer is reversed here; refund card payments instead',
      'id',
    );
  }
}

/** A refund claim this old without an answer was left by an attempt that stopped; a retry takes it over. */
const STALE_REFUND_CLAIM_MS = 120_000;

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
    private readonly deposits: DepositsService,
    private readonly receipts: ReceiptsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly subscriptions: SubscriptionsRepository,
  ) {}

  private async entry(id: string): Promise<LedgerEntry> {
    const entry = /^\d{1,18}$/.test(id) ? await this.dataSource.manager.findOneBy(LedgerEntry, { id }) : null;
    if (!entry) throw new DomainError('NOT_FOUND', `ledger entry ${id} does not exist`, 'id');
    return entry;
  }

  /** Finance's reversal of a phone cash, cheque or transfer entry, any day (also once deposited). */
  async reverse(id: string, reason: string, actor: Actor): Promise<ReversalResult> {
    const original = await this.entry(id);
    assertReversible(original);
    return this.dataSource.transaction(async (m) => {
      const deposit = await this.deposits.holdEntry(m, original.id);
      return this.reverseIn(m, original, reason, actor, deposit?.status === 'open' ? deposit.id : null, 'reverse');
    });
  }

  /**
   * The operator's own correction: the phone staff member who recorded a cash, cheque or transfer
   * entry voids it, the same local day (REPORT_TIME_ZONE) and while it is in no closed deposit.
   * The void is the same reversal row as finance's; after that window only finance can reverse.
   */
  async void(id: string, reason: string, actor: Actor): Promise<ReversalResult> {
    const original = await this.entry(id);
    assertReversible(original);
    if (!actor.staffId || original.staffId !== actor.staffId) {
      throw new DomainError(
        'VOID_NOT_OWN_ENTRY',
        `ledger entry ${id} was recorded by someone else: only its operator may void it; ask finance to reverse it`,
        'id',
      );
    }
    const timeZone = this.config.REPORT_TIME_ZONE;
    const today = localDate(this.clock.now(), timeZone);
    const day = localDate(original.occurredAt, timeZone);
    if (day !== today) {
      throw new DomainError(
        'VOID_WINDOW_CLOSED',
        `ledger entry ${id} was recorded on ${day} (${timeZone}); an operator voids only on the day itself: ask finance to reverse it`,
        'id',
      );
    }
    return this.dataSource.transaction(async (m) => {
      const deposit = await this.deposits.holdEntry(m, original.id);
      if (deposit?.status === 'closed') {
        throw new DomainError(
          'ENTRY_DEPOSITED',
          `ledger entry ${id} is in deposit ${deposit.id}, which is closed: ask finance to reverse it`,
          'id',
        );
      }
      return this.reverseIn(m, original, reason, actor, deposit?.id ?? null, 'void');
    });
  }

  /**
   * The reversal row, in the caller's transaction (which holds the entry's deposit lock): it
   * leaves the open deposit it was in, is audited, and a receipt already emailed for the entry
   * is followed by a correction email (through the outbox, with this transaction).
   */
  private async reverseIn(
    m: EntityManager,
    original: LedgerEntry,
    reason: string,
    actor: Actor,
    openDepositId: string | null,
    how: 'reverse' | 'void',
  ): Promise<ReversalResult> {
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
        description: `${how === 'void' ? 'Void' : 'Reversal'}: ${reason}`,
        occurredAt: this.clock.now(),
      },
      m,
    );
    if (!r.created) {
      throw new DomainError('ALREADY_REVERSED', `ledger entry ${original.id} is already reversed`, 'id');
    }
    if (openDepositId) await this.deposits.release(m, openDepositId, original.id, actor);
    // An offline subscription's payment given back: the months it bought are taken away (ended when none are left).
    const subscription =
      original.type === 'prepaid_subscription' ? await this.subscriptions.voidOfflinePeriod(m, original.id) : null;
    // The receipt emailed for the entry, if any, is followed by a correction to the same address.
    const correctionEmailed = await this.receipts.sendReversalCorrection(m, original);
    const result: ReversalResult = {
      id: r.entry!.id,
      reverses: original.id,
      gross: r.entry!.gross,
      currency: r.entry!.currency,
      correctionEmailed,
    };
    await this.audit.record(
      actor,
      {
        action: how === 'void' ? 'ledger.void' : 'ledger.reverse',
        entityType: 'ledger_entry',
        entityId: original.id,
        before: { id: original.id, gross: original.gross, ...(openDepositId ? { deposit: openDepositId } : {}) },
        after: {
          ...result,
          reason,
          ...(subscription
            ? {
                subscription: {
                  id: subscription.id,
                  status: subscription.status,
                  endsAt: subscription.currentPeriodEnd?.toISOString() ?? null,
                },
              }
            : {}),
        },
      },
      m,
    );
    return result;
  }

  /**
   * Refunds an online payment through Stripe, once per Idempotency-Key of the staff member who
   * sends it. The request (its hash) and the answer are kept in `staff_refund_requests`, keyed by
   * (staff, key), for good: a retry with the same key and body answers the stored answer without
   * asking Stripe (Stripe forgets its own keys after 24 hours); the same key with another body is
   * refused (422); a duplicate arriving while the first is at Stripe gets 409. A request that
   * fails frees its key. Before creating a refund, the charge's refunds are read: one made for
   * this very request (metadata `request`), say by an attempt that crashed before its answer was
   * stored, is answered instead of making a second.
   */
  async refund(id: string, dto: RefundDto, key: string | undefined, actor: Actor): Promise<RefundResult> {
    assertIdempotencyKey(key);
    const staffId = actor.staffId;
    if (!staffId) {
      throw new DomainError('UNAUTHORIZED', 'refunds are made by a signed-in staff member', 'Authorization');
    }
    const hash = createHash('sha256')
      .update(JSON.stringify([id, dto.amount ?? null, dto.reason, dto.note ?? null]))
      .digest('hex');
    const entryId = /^\d{1,18}$/.test(id) ? id : '0';
    const claimed = await this.dataSource.query(
      `INSERT INTO staff_refund_requests (staff_id, idempotency_key, ledger_entry_id, request_hash) VALUES ($1, $2, $3, $4)
       ON CONFLICT (staff_id, idempotency_key) DO NOTHING RETURNING idempotency_key`,
      [staffId, key, entryId, hash],
    );
    if (!claimed.length) {
      const replayed = await this.storedRefund(staffId, key, hash);
      if (replayed) return replayed;
    }
    try {
      return await this.performRefund(id, dto, staffId, key, hash, actor);
    } catch (err) {
      // Nothing was stored: free the key so that a corrected or retried request can proceed.
      await this.dataSource
        .query(`DELETE FROM staff_refund_requests WHERE staff_id = $1 AND idempotency_key = $2 AND response IS NULL`, [
          staffId,
          key,
        ])
        .catch(() => undefined);
      throw err;
    }
  }

  /**
   * The stored answer to this key; null when the claim was left by an attempt that stopped
   * without answering (older than STALE_REFUND_CLAIM_MS), which this request then takes over.
   */
  private async storedRefund(staffId: string, key: string, hash: string): Promise<RefundResult | null> {
    const [row] = await this.dataSource.query(
      `SELECT request_hash, response, created_at < now() - make_interval(secs => $3::double precision / 1000) AS stale FROM staff_refund_requests WHERE staff_id = $1 AND idempotency_key = $2`,
      [staffId, key, STALE_REFUND_CLAIM_MS],
    );
    assertSameRequest(row, hash);
    if (row.response) return row.response as RefundResult;
    if (row.stale) {
      const taken = await this.dataSource.query(
        `UPDATE staff_refund_requests SET created_at = now() WHERE staff_id = $1 AND idempotency_key = $2 AND response IS NULL
            AND created_at < now() - make_interval(secs => $3::double precision / 1000) RETURNING idempotency_key`,
        [staffId, key, STALE_REFUND_CLAIM_MS],
      );
      if (taken.length) return null;
    }
    throw new DomainError(
      'IDEMPOTENCY_REQUEST_IN_PROGRESS',
      'a request with this Idempotency-Key is being processed; retry shortly',
      'Idempotency-Key',
      undefined,
      1,
    );
  }

  private async performRefund(
    id: string,
    dto: RefundDto,
    staffId: string,
    key: string,
    hash: string,
    actor: Actor,
  ): Promise<RefundResult> {
    const payment = await this.entry(id);
    if (payment.kind !== 'payment' || !payment.stripeChargeId) {
      throw new DomainError(
        'NOT_REFUNDABLE',
        'only a card payment made through Stripe is refunded here; reverse phone entries instead',
        'id',
      );
    }
    const request = `${staffId}:${key}`;
    let refund: Stripe.Refund;
    try {
      refund =
        (await this.stripe.findRefundForRequest(payment.stripeChargeId, request)) ??
        (await this.stripe.createRefund(
          {
            charge: payment.stripeChargeId,
            ...(dto.amount ? { amount: dto.amount } : {}),
            reason: dto.reason,
            metadata: { ledger_entry: payment.id, staff: actor.label, note: dto.note ?? '', request },
          },
          // Stripe's own key also covers the body, so a corrected request under a key whose first
          // attempt Stripe refused is not answered with that refusal (Stripe keeps it for a day).
          `staff-refund:${createHash('sha256').update(`${request}\n${hash}`).digest('hex')}`,
        ));
    } catch (err) {
      if (
        err instanceof Stripe.errors.StripeInvalidRequestError ||
        err instanceof Stripe.errors.StripeIdempotencyError
      ) {
        throw new DomainError(
          'REFUND_REJECTED',
          `Stripe refused the refund: ${err.message}`,
          err.param === 'amount' || err.code === 'amount_too_large' ? 'amount' : 'id',
        );
      }
      throw err;
    }
    const result: RefundResult = {
      refundId: refund.id,
      status: refund.status,
      amount: refund.amount,
      currency: refund.currency.toUpperCase(),
      payment: payment.id,
    };
    await this.dataSource.transaction(async (m) => {
      await this.audit.record(
        actor,
        {
          action: 'payment.refund',
          entityType: 'ledger_entry',
          entityId: payment.id,
          before: { gross: payment.gross },
          after: { ...result, reason: dto.reason, note: dto.note ?? null },
        },
        m,
      );
      await m.query(
        `UPDATE staff_refund_requests SET status_code = 202, response = $3, stripe_refund_id = $4, completed_at = now() WHERE staff_id = $1 AND idempotency_key = $2`,
        [staffId, key, JSON.stringify(result), refund.id],
      );
    });
    return result;
  }
}
