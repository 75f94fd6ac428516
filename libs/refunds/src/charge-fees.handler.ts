import { Injectable, OnModuleInit } from '@nestjs/common';
import type Stripe from 'stripe';
import { LedgerService } from '@app/ledger';
import { StripeGateway, stripeId } from '@app/stripe';
import {
  ApplyEffects,
  ignoreEvent,
  nothingToApply,
  orderingKeys,
  StripeWebhookHandler,
  WebhookInboxService,
} from '@app/webhooks';
import { balanceTransaction } from './utils/transform-refund-dispute.util';

/**
 * The fee that arrives late: `charge.updated` once the charge has its balance transaction. For
 * any payment already in the ledger without its fee (one-off, prepaid or subscription invoice),
 * the fee becomes its own entry. If the payment is not recorded yet, whoever records it later
 * sees the fee itself (both look under the same per-payment lock).
 */
@Injectable()
export class ChargeFeesHandler implements StripeWebhookHandler, OnModuleInit {
  readonly eventTypes = ['charge.updated'] as const;

  constructor(
    private readonly inbox: WebhookInboxService,
    private readonly stripe: StripeGateway,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  /** A charge's events run in order with its refunds' and disputes'. */
  orderingKey(event: Stripe.Event): string | null {
    return orderingKeys.charge((event.data.object as Stripe.Charge).id);
  }

  prepare(event: Stripe.Event): Promise<ApplyEffects> {
    if (event.type !== 'charge.updated') return Promise.resolve(ignoreEvent(`${event.type} is not charge.updated`));
    return this.prepareFee(event);
  }

  private async prepareFee(event: Stripe.ChargeUpdatedEvent): Promise<ApplyEffects> {
    const object = event.data.object;
    const lockKey = stripeId(object.payment_intent) ?? object.id;
    // A fee once recorded stays recorded: a redelivery, or the fee already on the payment, needs
    // neither the lock nor Stripe. Only "not recorded yet" must be decided under the lock.
    if (await this.ledger.chargeFeeRecorded(object.id)) return nothingToApply(`fee of ${object.id} already recorded`);
    return async (manager) => {
      await this.ledger.lockPayment(manager, lockKey);
      const payment = await this.ledger.findPaymentByCharge(object.id, manager);
      if (!payment) return `no payment recorded for ${object.id} yet; its fee is recorded with it`;
      // A redelivery, or a fee already recorded with the payment: nothing to ask Stripe.
      if (await this.ledger.chargeFeeRecorded(object.id, manager)) return `fee of ${object.id} already recorded`;
      const charge = await this.stripe.retrieveChargeWithBalance(object.id);
      const balance = balanceTransaction(charge.balance_transaction);
      if (!balance) return `no fee on ${object.id} yet`;
      return (
        (await this.ledger.recordFee(payment, balance, event.id, manager)) ?? `fee of ${object.id} already recorded`
      );
    };
  }
}
