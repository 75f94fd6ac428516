import { Injectable, OnModuleInit } from '@nestjs/common';
import type Stripe from 'stripe';
import { EntityManager } from 'typeorm';
import { LedgerEntry, LedgerService, LedgerType } from '@app/ledger';
import { StripeGateway, stripeId } from '@app/stripe';
import { SupportersService } from '@app/supporters';
import { ApplyEffects, ignoreEvent, StripeWebhookHandler, WebhookInboxService } from '@app/webhooks';
import { Checkout } from './checkout.entity';
import { CheckoutSessionsService } from './checkout-sessions.service';


/**
 * Turns a paid payment-mode Checkout session (one-off donation, prepaid period) into ledger
 * entries, whichever of its events arrives first and however often:
 * `checkout.session.completed`, `checkout.session.async_payment_*` and `checkout.session.expired`
 * all lead to the same step: under a lock on the checkout, re-fetch the session as it is now
 * (event snapshots may be stale or out of order) and record what it shows. The payment intent's
 * and charge's own events (`payment_intent.succeeded`, `charge.succeeded`) say nothing the
 * session does not, so they are not taken: a third of a payment's events, settled on arrival. A
 * session whose completion never arrives is found by the missed-webhook recovery.
 *
 * The fee arrives after the payment (`charge.updated`, see ChargeFeesHandler). The payment entry
 * carries the fee when the balance transaction is already known; otherwise a separate `fee` entry
 * follows. Both paths look at the balance transaction only under the same per-payment lock, and
 * the balance transaction id is unique in the ledger, so a fee is never lost or counted twice.
 */
@Injectable()
export class CheckoutPaymentHandler implements StripeWebhookHandler, OnModuleInit {
  readonly eventTypes = [
    'checkout.session.completed',
    'checkout.session.async_payment_succeeded',
    'checkout.session.async_payment_failed',
    'checkout.session.expired',
  ] as const;

  constructor(
    private readonly inbox: WebhookInboxService,
    private readonly stripe: StripeGateway,
    private readonly ledger: LedgerService,
    private readonly supporters: SupportersService,
    private readonly sessions: CheckoutSessionsService,
  ) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  async prepare(event: Stripe.Event): Promise<ApplyEffects> {
    const session = event.data.object as Stripe.Checkout.Session;
    // Subscription-mode sessions (monthly donations and subscriptions) are the subscriptions' handler's.
    if (session.mode !== 'payment' && event.type !== 'checkout.session.expired') return ignoreEvent(`checkout session ${session.id} is in ${session.mode} mode`);
    const checkoutId = session.metadata?.checkout_id;
    if (!checkoutId) return ignoreEvent(`checkout session ${session.id} has no checkout_id metadata`);
    return (manager) => this.apply(manager, checkoutId, session.id, event);
  }

  private async apply(manager: EntityManager, checkoutId: string, sessionId: string, event: Stripe.Event): Promise<string> {
    // The row lock serialises every event of one checkout: concurrent deliveries queue here.
    const checkout = await manager.findOne(Checkout, { where: { id: checkoutId }, lock: { mode: 'pessimistic_write' } });
    if (!checkout) return `ignored: checkout ${checkoutId} is not ours`;
    // Once the payment is in, every other event of this checkout (a redelivery, the payment
    // intent's and charge's own events) has nothing left to record, so no Stripe round trip: its
    // fee is on it already, or comes with `charge.updated` (ChargeFeesHandler), which Stripe sends
    // once the balance transaction exists.
    if (checkout.status === 'complete' && (await manager.exists(LedgerEntry, { where: { checkoutId: checkout.id, kind: 'payment' } }))) {
      return `checkout ${checkout.id} already recorded`;
    }
    const session = await this.stripe.retrieveCheckoutSessionWithPaymentIntent(sessionId);

    if (session.payment_status !== 'paid') {
      if (session.status === 'expired' && checkout.status !== 'complete') {
        await manager.update(Checkout, { id: checkout.id }, { status: 'expired' });
        return `checkout ${checkout.id} expired`;
      }
      if (event.type === 'checkout.session.async_payment_failed' && checkout.status !== 'complete') {
        await manager.update(Checkout, { id: checkout.id }, { status: 'failed', failureReason: 'asynchronous payment failed' });
        return `checkout ${checkout.id} payment failed`;
      }
      return `checkout ${checkout.id} not paid yet (${session.status}/${session.payment_status})`;
    }
    if (session.mode !== 'payment') return `ignored: checkout session ${session.id} is in ${session.mode} mode`;

    const paymentIntent = session.payment_intent as Stripe.PaymentIntent | null;
    const chargeId = stripeId(paymentIntent?.latest_charge);
    if (!paymentIntent || !chargeId) throw new Error(`session ${session.id} is paid but has no payment intent or charge yet`);
    // The charge (and its fee) is read only under the per-payment lock: see LedgerService.lockPayment.
    await this.ledger.lockPayment(manager, paymentIntent.id);
    const charge = await this.stripe.retrieveChargeWithBalance(chargeId);
    const balance = (charge.balance_transaction ?? null) as Stripe.BalanceTransaction | null;

    const supporter = await this.supporters.findOrCreateByEmail(
      { email: checkout.email, name: checkout.name ?? session.customer_details?.name ?? null, stripeCustomerId: stripeId(session.customer) },
      manager,
    );
    const type: LedgerType = checkout.purpose === 'subscription' ? 'prepaid_subscription' : 'donation';
    const { payment, outcomes } = await this.ledger.recordPayment(
      {
        idempotencyKey: `payment:${charge.id}`,
        type,
        channel: checkout.channel,
        method: charge.payment_method_details?.type ?? 'card',
        gross: charge.amount,
        currency: charge.currency,
        supporterId: supporter.id,
        campaignId: checkout.campaignId,
        checkoutId: checkout.id,
        stripeEventId: event.id,
        stripeCheckoutSessionId: session.id,
        stripePaymentIntentId: paymentIntent.id,
        stripeChargeId: charge.id,
        description: checkout.purpose === 'subscription' ? `Prepaid ${checkout.tierCode} for ${checkout.prepaidMonths} months` : `Checkout ${session.id}`,
        occurredAt: new Date(charge.created * 1000),
      },
      balance,
      manager,
    );
    outcomes.push(...(await this.sessions.notifyPaid(manager, checkout, supporter, payment, session)));

    if (checkout.status !== 'complete' || !checkout.supporterId) {
      await manager.update(
        Checkout,
        { id: checkout.id },
        { status: 'complete', supporterId: supporter.id, stripePaymentIntentId: paymentIntent.id, completedAt: checkout.completedAt ?? new Date() },
      );
      outcomes.push(`checkout ${checkout.id} complete`);
    }
    return outcomes.length ? outcomes.join('; ') : `nothing new for checkout ${checkout.id}`;
  }
}
