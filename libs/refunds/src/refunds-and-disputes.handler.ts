import { Injectable, OnModuleInit } from '@nestjs/common';
import type Stripe from 'stripe';
import { EntityManager } from 'typeorm';
import { CheckoutsRepository } from '@app/donations';
import { LedgerEntry, LedgerService } from '@app/ledger';
import { ReceiptsService } from '@app/receipts';
import { StripeGateway, stripeId } from '@app/stripe';
import { SubscriptionsRepository } from '@app/subscriptions';
import {
  ApplyEffects,
  ignoreEvent,
  nothingToApply,
  notOurs,
  orderingKeys,
  RetryLaterError,
  RetrySoonError,
  StripeWebhookHandler,
  WebhookInboxService,
} from '@app/webhooks';
import { isUuid } from '@app/common';
import {
  balanceTransaction,
  disputeEntry,
  disputeMovements,
  disputeReversalEntry,
  refundEntry,
  refundFailureEntry,
  settledFeeEntry,
} from './utils/transform-refund-dispute.util';

/** The refund and dispute events the handler takes. */
type RefundEvent =
  Stripe.ChargeRefundedEvent | Stripe.RefundCreatedEvent | Stripe.RefundUpdatedEvent | Stripe.RefundFailedEvent;
type DisputeEvent =
  | Stripe.ChargeDisputeCreatedEvent
  | Stripe.ChargeDisputeFundsWithdrawnEvent
  | Stripe.ChargeDisputeClosedEvent
  | Stripe.ChargeDisputeFundsReinstatedEvent;

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
    'refund.failed',
    'charge.dispute.created',
    'charge.dispute.funds_withdrawn',
    'charge.dispute.closed',
    'charge.dispute.funds_reinstated',
  ] as const;

  constructor(
    private readonly inbox: WebhookInboxService,
    private readonly stripe: StripeGateway,
    private readonly ledger: LedgerService,
    private readonly checkouts: CheckoutsRepository,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly receipts: ReceiptsService,
  ) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  /** Events about one charge run in order: the charge's own, its refunds' and its disputes'. */
  orderingKey(event: Stripe.Event): string | null {
    const o = event.data.object as Stripe.Charge | Stripe.Refund | Stripe.Dispute;
    return orderingKeys.charge(o.object === 'charge' ? o.id : stripeId(o.charge));
  }

  async prepare(event: Stripe.Event): Promise<ApplyEffects> {
    switch (event.type) {
      case 'charge.dispute.created':
      case 'charge.dispute.funds_withdrawn':
      case 'charge.dispute.closed':
      case 'charge.dispute.funds_reinstated': {
        const dispute = await this.stripe.retrieveDispute(event.data.object.id);
        // An inquiry (warning_*) withdraws no money; it becomes a dispute or closes on its own.
        if (dispute.status.startsWith('warning_')) {
          return nothingToApply(`inquiry ${dispute.id} (${dispute.status}): no money moved`);
        }
        const payment = await this.paymentFor(stripeId(dispute.charge)!);
        return (manager) => this.applyDispute(manager, payment, dispute, event);
      }
      case 'charge.refunded':
      case 'refund.created':
      case 'refund.updated':
      case 'refund.failed':
        return this.prepareRefunds(event);
      default:
        return ignoreEvent(`${event.type} is not a refund or dispute event`);
    }
  }

  private async prepareRefunds(event: RefundEvent): Promise<ApplyEffects> {
    let chargeId: string | null;
    if (event.type === 'charge.refunded') {
      const charge = event.data.object;
      chargeId = charge.id;
      if ((await this.ledger.refundedAmount(chargeId)) >= charge.amount_refunded) {
        return ignoreEvent(`refunds of ${chargeId} already recorded`);
      }
    } else {
      const refund = event.data.object;
      chargeId = stripeId(refund.charge);
      if (!chargeId) return ignoreEvent('refund without a charge');
      // What this event reports is in the ledger already (a redelivery, or the charge.refunded twin
      // of a refund.created): no need to ask Stripe. Newer refunds come with events of their own.
      if (refund.status === 'succeeded' && (await this.ledger.refundRecorded(refund.id))) {
        return ignoreEvent(`refund ${refund.id} already recorded`);
      }
      // A failed refund stays failed: once its failure is recorded, nothing is left to do.
      if (refund.status === 'failed' && (await this.ledger.refundFailureRecorded(refund.id))) {
        return ignoreEvent(`failure of refund ${refund.id} already recorded`);
      }
    }
    const refunds = await this.stripe.listRefundsForCharge(chargeId);
    // Every refund that moved money (succeeded, or failed after it had: it has a balance transaction).
    const succeeded = refunds.filter(
      (r) => r.status === 'succeeded' || (r.status === 'failed' && r.balance_transaction),
    );
    if (!succeeded.length) return nothingToApply(`no succeeded refund on ${chargeId} yet`);
    const payment = await this.paymentFor(chargeId);
    // The balance transactions that returned failed refunds' money (fetched only for a failure not recorded yet).
    const failures = new Map<string, Stripe.BalanceTransaction>();
    for (const refund of succeeded) {
      if (
        refund.status !== 'failed' ||
        !refund.failure_balance_transaction ||
        (await this.ledger.refundFailureRecorded(refund.id))
      ) {
        continue;
      }
      failures.set(
        refund.id,
        balanceTransaction(refund.failure_balance_transaction) ??
          (await this.stripe.retrieveBalanceTransaction(stripeId(refund.failure_balance_transaction)!)),
      );
    }
    const ofCharge = chargeId;
    return (manager) => this.applyRefunds(manager, ofCharge, payment, succeeded, failures, event);
  }

  /**
   * The payment a refund or dispute takes money from. Unknown to the ledger, it is either on its
   * way (its own events have not been processed yet: retried) or another integration's on the same
   * Stripe account (settled as "not ours"): Stripe is asked whether the charge carries one of our
   * checkouts' ids. Only then: a known payment costs no Stripe call.
   *
   * Called in `prepare`, before any transaction: the Stripe round trip never holds a pooled
   * connection idle in a transaction (for another integration's refunds and disputes it is the
   * common path). A payment found here stays valid for the effects: ledger rows are never
   * changed or removed, and the refund and dispute entries are unique by their Stripe ids.
   */
  private async paymentFor(chargeId: string): Promise<LedgerEntry> {
    const payment = await this.ledger.findPaymentByCharge(chargeId);
    if (payment) return payment;
    const named = (await this.stripe.checkoutIdsOfCharge(chargeId)).filter(isUuid);
    if (await this.checkouts.anyExists(named)) throw new PaymentNotYetRecordedError(chargeId);
    throw notOurs(`charge ${chargeId} was not made through one of our checkouts`);
  }

  /** Records a converted balance transaction's fee as its own entry (see `settledFeeEntry`); its outcome, or null. */
  private async settledFee(
    manager: EntityManager,
    payment: LedgerEntry,
    event: Stripe.Event,
    bt: Stripe.BalanceTransaction | null,
    currency: string,
    description: string,
  ): Promise<string | null> {
    const entry = settledFeeEntry(payment, bt, currency, description, event.id);
    if (!entry) return null;
    const r = await this.ledger.record(entry, manager);
    return r.created ? `recorded fee ${entry.fee} ${entry.currency.toUpperCase()} (${description})` : null;
  }

  /**
   * Every refund that moved money (succeeded, or failed after it had: it has a balance
   * transaction) is a negative entry; a failed one also gets its compensating `refund_failure`
   * entry (positive, reversing the refund entry), from the balance transaction that returned the
   * money. Unique keys on the refund id make each appear once, whichever event comes first.
   */
  private async applyRefunds(
    manager: EntityManager,
    chargeId: string,
    payment: LedgerEntry,
    succeeded: Stripe.Refund[],
    failures: Map<string, Stripe.BalanceTransaction>,
    event: RefundEvent,
  ): Promise<string> {
    const outcomes: string[] = [];
    for (const refund of succeeded) {
      const bt = balanceTransaction(refund.balance_transaction);
      const r = await this.ledger.record(refundEntry(payment, refund, event.id), manager);
      if (r.created) outcomes.push(`recorded refund ${refund.id} of ${refund.amount}`);
      const refundFee = await this.settledFee(
        manager,
        payment,
        event,
        bt,
        refund.currency,
        `Stripe fee for refund ${refund.id}`,
      );
      if (refundFee) outcomes.push(refundFee);
      const failure = failures.get(refund.id);
      if (refund.status === 'failed' && failure) {
        const refundEntryId = r.entry?.id ?? (await this.ledger.refundEntryId(refund.id, manager));
        const back = await this.ledger.record(
          refundFailureEntry(payment, refund, refundEntryId, failure, event.id),
          manager,
        );
        if (back.created) outcomes.push(`recorded failure of refund ${refund.id}: ${refund.amount} back`);
        const failureFee = await this.settledFee(
          manager,
          payment,
          event,
          failure,
          refund.currency,
          `Stripe fee for failed refund ${refund.id}`,
        );
        if (failureFee) outcomes.push(failureFee);
      }
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
    if ((await this.ledger.remainingOfPayment(payment.id, manager)) > 0) return null;
    const ended = await this.subscriptions.endPrepaid(manager, payment.checkoutId);
    return ended ? `prepaid period of checkout ${payment.checkoutId} ended: fully given back` : null;
  }

  private async applyDispute(
    manager: EntityManager,
    payment: LedgerEntry,
    dispute: Stripe.Dispute,
    event: DisputeEvent,
  ): Promise<string> {
    const { withdrawal, reinstatement } = disputeMovements(dispute);
    // Without its balance transaction the dispute fee is unknown: retry rather than record it as 0.
    if (!withdrawal) {
      throw new RetryLaterError(`dispute ${dispute.id} has no withdrawal balance transaction yet; will retry`);
    }
    const outcomes: string[] = [];
    const withdrawn = await this.ledger.record(disputeEntry(payment, dispute, withdrawal, event.id), manager);
    if (withdrawn.created) outcomes.push(`recorded dispute ${dispute.id} of ${dispute.amount}`);
    // Converted, the dispute fee is charged in the settlement currency: its own entry there.
    const withdrawalFee = await this.settledFee(
      manager,
      payment,
      event,
      withdrawal,
      dispute.currency,
      `Dispute fee for ${dispute.id}`,
    );
    if (withdrawalFee) outcomes.push(withdrawalFee);
    if (dispute.status === 'won') {
      const back = await this.ledger.record(disputeReversalEntry(payment, dispute, reinstatement, event), manager);
      if (back.created) outcomes.push(`recorded dispute ${dispute.id} won`);
      const returnedFee = await this.settledFee(
        manager,
        payment,
        event,
        reinstatement,
        dispute.currency,
        `Dispute fee returned for ${dispute.id}`,
      );
      if (returnedFee) outcomes.push(returnedFee);
    }
    if (dispute.status === 'lost') {
      const ended = await this.endPrepaidIfNothingLeft(manager, payment);
      if (ended) outcomes.push(ended);
      // The payment's receipt is corrected (once per dispute).
      const entry =
        withdrawn.entry ?? (await manager.findOneBy(LedgerEntry, { idempotencyKey: `dispute:${dispute.id}` }));
      if (entry && (await this.receipts.sendDisputeLostCorrection(manager, entry.id))) {
        outcomes.push(`receipt correction for dispute ${dispute.id}`);
      }
    }
    return outcomes.length ? outcomes.join('; ') : `dispute ${dispute.id} (${dispute.status}) already recorded`;
  }
}
