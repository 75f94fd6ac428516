import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { EntityManager, Repository } from 'typeorm';
import { LedgerService, LedgerType } from '@app/ledger';
import { StripeGateway, stripeId } from '@app/stripe';
import { SupportersService } from '@app/supporters';
import { ApplyEffects, StripeWebhookHandler, WebhookInboxService } from '@app/webhooks';
import { Checkout } from './checkout.entity';
import { CheckoutSessionsService } from './checkout-sessions.service';

const ignored = (why: string): ApplyEffects => async () => `ignored: ${why}`;

/**
 * Turns a paid Checkout session into ledger entries, whichever of its events arrives first
 * and however often: `checkout.session.completed`, `checkout.session.async_payment_*`,
 * `payment_intent.succeeded`, `charge.succeeded` and `charge.updated` (which carries the fee)
 * all lead to the same step: re-fetch the session as it is now (event snapshots may be stale
 * or out of order) and record what it shows.
 *
 * The fee arrives after the payment. The payment entry carries the fee when the balance
 * transaction is already known; otherwise it is recorded with fee 0 and, once the balance
 * transaction appears, a separate `fee` entry (gross 0, fee, net -fee) follows, as Open
 * Collective records processor fees. The balance transaction id is unique in the ledger, so
 * a fee is never counted twice either way.
 */
@Injectable()
export class CheckoutPaymentHandler implements StripeWebhookHandler, OnModuleInit {
  readonly eventTypes = [
    'checkout.session.completed',
    'checkout.session.async_payment_succeeded',
    'checkout.session.async_payment_failed',
    'checkout.session.expired',
    'payment_intent.succeeded',
    'charge.succeeded',
    'charge.updated',
  ] as const;

  private readonly logger = new Logger('CheckoutPayments');

  constructor(
    private readonly inbox: WebhookInboxService,
    private readonly stripe: StripeGateway,
    private readonly ledger: LedgerService,
    private readonly supporters: SupportersService,
    private readonly sessions: CheckoutSessionsService,
    @InjectRepository(Checkout) private readonly checkouts: Repository<Checkout>,
  ) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  async prepare(event: Stripe.Event): Promise<ApplyEffects> {
    const sessionId = await this.sessionIdFor(event);
    if (!sessionId) return ignored('not a payment made through one of our checkouts');
    const session = await this.stripe.retrieveCheckoutSessionWithPayment(sessionId);
    const checkoutId = session.metadata?.checkout_id;
    if (!checkoutId) return ignored(`checkout session ${session.id} has no checkout_id metadata`);
    // Subscription-mode sessions (monthly donations and subscriptions) are the subscriptions' handler's.
    if (session.mode !== 'payment' && session.status !== 'expired') return ignored(`checkout session ${session.id} is in ${session.mode} mode`);
    return (manager) => this.apply(manager, checkoutId, session, event);
  }

  private async sessionIdFor(event: Stripe.Event): Promise<string | null> {
    const object = event.data.object as { object: string; id: string; payment_intent?: string | { id: string } | null };
    if (object.object === 'checkout.session') return object.id;
    const paymentIntentId = object.object === 'payment_intent' ? object.id : stripeId(object.payment_intent);
    if (!paymentIntentId) return null;
    const known = await this.checkouts.findOne({ where: { stripePaymentIntentId: paymentIntentId }, select: { stripeSessionId: true } });
    if (known?.stripeSessionId) return known.stripeSessionId;
    const session = await this.stripe.findCheckoutSessionByPaymentIntent(paymentIntentId);
    return session?.id ?? null;
  }

  private async apply(manager: EntityManager, checkoutId: string, session: Stripe.Checkout.Session, event: Stripe.Event): Promise<string> {
    // The row lock serialises every event of one checkout: concurrent deliveries queue here.
    const checkout = await manager.findOne(Checkout, { where: { id: checkoutId }, lock: { mode: 'pessimistic_write' } });
    if (!checkout) return `ignored: checkout ${checkoutId} is not ours`;

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

    const paymentIntent = session.payment_intent as Stripe.PaymentIntent | null;
    const charge = paymentIntent?.latest_charge as Stripe.Charge | null | undefined;
    if (!paymentIntent || !charge || typeof charge === 'string') {
      throw new Error(`session ${session.id} is paid but its payment intent or charge could not be expanded`);
    }
    const balance = (charge.balance_transaction ?? null) as Stripe.BalanceTransaction | null;
    const feeKnown = balance !== null && balance.currency === charge.currency;
    if (balance && !feeKnown) this.logger.warn(`charge ${charge.id}: fee in ${balance.currency} differs from charge currency ${charge.currency}; fee not recorded`);

    const supporter = await this.supporters.findOrCreateByEmail(
      { email: checkout.email, name: checkout.name ?? session.customer_details?.name ?? null, stripeCustomerId: stripeId(session.customer) },
      manager,
    );
    const type: LedgerType = checkout.purpose === 'subscription' ? 'prepaid_subscription' : 'donation';
    const common = {
      type,
      channel: checkout.channel,
      method: charge.payment_method_details?.type ?? 'card',
      currency: charge.currency,
      supporterId: supporter.id,
      campaignId: checkout.campaignId,
      checkoutId: checkout.id,
      stripeEventId: event.id,
      stripeCheckoutSessionId: session.id,
      stripePaymentIntentId: paymentIntent.id,
      stripeChargeId: charge.id,
    };

    const outcomes: string[] = [];
    const payment = await this.ledger.record(
      {
        ...common,
        idempotencyKey: `payment:${charge.id}`,
        kind: 'payment',
        gross: charge.amount,
        fee: feeKnown ? balance.fee : 0,
        stripeBalanceTransactionId: feeKnown ? balance.id : null,
        description: checkout.purpose === 'subscription' ? `Prepaid ${checkout.tierCode} for ${checkout.prepaidMonths} months` : `Checkout ${session.id}`,
        occurredAt: new Date(charge.created * 1000),
      },
      manager,
    );
    if (payment.created) outcomes.push(`recorded payment ${charge.id} ${charge.amount} ${charge.currency}${feeKnown ? ` fee ${balance.fee}` : ', fee pending'}`);

    if (feeKnown) {
      const recorded = payment.entry ?? (await this.ledger.findPaymentByCharge(charge.id, manager));
      if (recorded && recorded.stripeBalanceTransactionId === null) {
        const fee = await this.ledger.record(
          {
            ...common,
            idempotencyKey: `fee:${balance.id}`,
            kind: 'fee',
            gross: 0,
            fee: balance.fee,
            stripeBalanceTransactionId: balance.id,
            reversesEntryId: null,
            description: `Stripe fee for ${charge.id}`,
            occurredAt: new Date(balance.created * 1000),
          },
          manager,
        );
        if (fee.created) outcomes.push(`recorded fee ${balance.fee} for ${charge.id}`);
      }
    }

    outcomes.push(...(await this.sessions.notifyPaid(manager, checkout, supporter, payment.entry ?? (await this.ledger.findPaymentByCharge(charge.id, manager)), session)));

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
