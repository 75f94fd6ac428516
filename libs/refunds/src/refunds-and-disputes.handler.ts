import { Injectable, OnModuleInit } from '@nestjs/common';
import type Stripe from 'stripe';
import { EntityManager } from 'typeorm';
import { rowsOf } from '@app/database';
import { LedgerEntry, LedgerService } from '@app/ledger';
import { StripeGateway, stripeId } from '@app/stripe';
import { ApplyEffects, ignoreEvent, RetrySoonError, StripeWebhookHandler, WebhookInboxService } from '@app/webhooks';

function balanceTransaction(value: string | Stripe.BalanceTransaction | null | undefined): Stripe.BalanceTransaction | null {
  return value && typeof value === 'object' ? value : null;
}

/** Thrown when money moves out of a payment the ledger has not recorded yet; the event is retried. */
export class PaymentNotYetRecordedError extends RetrySoonError {
  constructor(chargeId: string) {
    super(`payment for charge ${chargeId} is not in the ledger yet; will retry`);
    this.name = 'PaymentNotYetRecordedError';
  }
}

/**
 * Money going back out, and coming back: refunds (`charge.refunded`, `refund.*`) and disputes
 * (`charge.dispute.*`). Each is a new negative ledger row beside the payment it concerns
 * (`reverses_entry_id`), carrying the payment's type, channel, campaign and supporter so that
 * progress and reports follow on their own. The current state is re-fetched from Stripe, so the
 * order and repetition of events does not matter; unique Stripe ids make each row appear once.
 */
@Injectable()
export class RefundsAndDisputesHandler implements StripeWebhookHandler, OnModuleInit {
  readonly eventTypes = [
    'charge.refunded',
    'refund.created',
    'refund.updated',
    'charge.dispute.created',
    'charge.dispute.funds_withdrawn',
    'charge.dispute.closed',
    'charge.dispute.funds_reinstated',
  ] as const;

  constructor(
    private readonly inbox: WebhookInboxService,
    private readonly stripe: StripeGateway,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  async prepare(event: Stripe.Event): Promise<ApplyEffects> {
    const object = event.data.object as { object: string; id: string; charge?: string | { id: string } | null };
    if (object.object === 'dispute') {
      const dispute = await this.stripe.retrieveDispute(object.id);
      return (manager) => this.applyDispute(manager, dispute, event);
    }
    const chargeId = object.object === 'charge' ? object.id : stripeId(object.charge);
    if (!chargeId) return ignoreEvent('refund without a charge');
    // What this event reports is in the ledger already (a redelivery, or the charge.refunded twin
    // of a refund.created): no need to ask Stripe. Newer refunds come with events of their own.
    if (object.object === 'refund' && (object as Stripe.Refund).status === 'succeeded' && (await this.ledger.refundRecorded(object.id))) return ignoreEvent(`refund ${object.id} already recorded`);
    if (object.object === 'charge' && (await this.ledger.refundedAmount(chargeId)) >= (object as Stripe.Charge).amount_refunded) return ignoreEvent(`refunds of ${chargeId} already recorded`);
    const refunds = await this.stripe.listRefundsForCharge(chargeId);
    return (manager) => this.applyRefunds(manager, chargeId, refunds, event);
  }

  private async paymentFor(manager: EntityManager, chargeId: string): Promise<LedgerEntry> {
    const payment = await this.ledger.findPaymentByCharge(chargeId, manager);
    if (!payment) throw new PaymentNotYetRecordedError(chargeId);
    return payment;
  }

  private inherited(payment: LedgerEntry, event: Stripe.Event) {
    return {
      type: payment.type,
      channel: payment.channel,
      method: payment.method,
      currency: payment.currency,
      supporterId: payment.supporterId,
      campaignId: payment.campaignId,
      checkoutId: payment.checkoutId,
      reversesEntryId: payment.id,
      stripeEventId: event.id,
      stripeCheckoutSessionId: payment.stripeCheckoutSessionId,
      stripePaymentIntentId: payment.stripePaymentIntentId,
      stripeChargeId: payment.stripeChargeId,
      stripeInvoiceId: payment.stripeInvoiceId,
    };
  }

  private async applyRefunds(manager: EntityManager, chargeId: string, refunds: Stripe.Refund[], event: Stripe.Event): Promise<string> {
    const succeeded = refunds.filter((r) => r.status === 'succeeded');
    if (!succeeded.length) return `no succeeded refund on ${chargeId} yet`;
    const payment = await this.paymentFor(manager, chargeId);
    const outcomes: string[] = [];
    for (const refund of succeeded) {
      const bt = balanceTransaction(refund.balance_transaction);
      // A refund's balance transaction is negative; its fee is usually 0 (Stripe keeps the original fee).
      const fee = bt && bt.currency === refund.currency ? bt.fee : 0;
      const r = await this.ledger.record(
        {
          ...this.inherited(payment, event),
          idempotencyKey: `refund:${refund.id}`,
          kind: 'refund',
          gross: -refund.amount,
          fee,
          stripeRefundId: refund.id,
          stripeBalanceTransactionId: bt?.id ?? null,
          description: refund.reason ? `Refund (${refund.reason})` : 'Refund',
          occurredAt: new Date(refund.created * 1000),
        },
        manager,
      );
      if (r.created) outcomes.push(`recorded refund ${refund.id} of ${refund.amount}`);
    }
    const ended = await this.endPrepaidIfNothingLeft(manager, payment);
    if (ended) outcomes.push(ended);
    return outcomes.length ? outcomes.join('; ') : `refunds of ${chargeId} already recorded`;
  }

  /**
   * A prepaid period whose payment has been given back entirely (refunds, or a dispute not won)
   * grants nothing any more: it ends now. Partly refunded, it keeps its dates.
   */
  private async endPrepaidIfNothingLeft(manager: EntityManager, payment: LedgerEntry): Promise<string | null> {
    if (payment.type !== 'prepaid_subscription' || !payment.checkoutId) return null;
    const [row] = await manager.query(
      `SELECT COALESCE(sum(gross), 0) AS remaining FROM ledger_entries WHERE id = $1 OR (reverses_entry_id = $1 AND kind IN ('refund', 'dispute', 'dispute_reversal'))`,
      [payment.id],
    );
    if (Number(row.remaining) > 0) return null;
    const ended = await manager.query(
      `UPDATE subscriptions SET status = 'ended', ended_at = now(), updated_at = now() WHERE checkout_id = $1 AND billing = 'prepaid' AND status = 'active' RETURNING id`,
      [payment.checkoutId],
    );
    return rowsOf(ended).length ? `prepaid period of checkout ${payment.checkoutId} ended: fully given back` : null;
  }

  private async applyDispute(manager: EntityManager, dispute: Stripe.Dispute, event: Stripe.Event): Promise<string> {
    // An inquiry (warning_*) withdraws no money; it becomes a dispute or closes on its own.
    if (dispute.status.startsWith('warning_')) return `inquiry ${dispute.id} (${dispute.status}): no money moved`;
    const chargeId = stripeId(dispute.charge)!;
    const payment = await this.paymentFor(manager, chargeId);
    const txns = (dispute.balance_transactions ?? []) as Stripe.BalanceTransaction[];
    const withdrawal = txns.find((t) => t.amount < 0);
    const reinstatement = txns.find((t) => t.amount > 0);
    // Without its balance transaction the dispute fee is unknown: retry rather than record it as 0.
    if (!withdrawal) throw new Error(`dispute ${dispute.id} has no withdrawal balance transaction yet; will retry`);
    const outcomes: string[] = [];
    const withdrawn = await this.ledger.record(
      {
        ...this.inherited(payment, event),
        idempotencyKey: `dispute:${dispute.id}`,
        kind: 'dispute',
        gross: -dispute.amount,
        fee: withdrawal && withdrawal.currency === dispute.currency ? withdrawal.fee : 0,
        stripeDisputeId: dispute.id,
        stripeBalanceTransactionId: withdrawal?.id ?? null,
        description: `Dispute (${dispute.reason})`,
        occurredAt: new Date((withdrawal?.created ?? dispute.created) * 1000),
      },
      manager,
    );
    if (withdrawn.created) outcomes.push(`recorded dispute ${dispute.id} of ${dispute.amount}`);
    if (dispute.status === 'won') {
      const back = await this.ledger.record(
        {
          ...this.inherited(payment, event),
          idempotencyKey: `dispute_reversal:${dispute.id}`,
          kind: 'dispute_reversal',
          gross: dispute.amount,
          fee: reinstatement && reinstatement.currency === dispute.currency ? reinstatement.fee : 0,
          stripeDisputeId: dispute.id,
          stripeBalanceTransactionId: reinstatement?.id ?? null,
          description: 'Dispute won: funds reinstated',
          occurredAt: new Date((reinstatement?.created ?? event.created) * 1000),
        },
        manager,
      );
      if (back.created) outcomes.push(`recorded dispute ${dispute.id} won`);
    }
    if (dispute.status === 'lost') {
      const ended = await this.endPrepaidIfNothingLeft(manager, payment);
      if (ended) outcomes.push(ended);
    }
    return outcomes.length ? outcomes.join('; ') : `dispute ${dispute.id} (${dispute.status}) already recorded`;
  }
}
