import { Injectable, OnModuleInit } from '@nestjs/common';
import type Stripe from 'stripe';
import { EntityManager } from 'typeorm';
import { isUuid } from '@app/common';
import { LedgerService } from '@app/ledger';
import { StripeGateway, stripeId } from '@app/stripe';
import { SupportersService } from '@app/supporters';
import {
  ApplyEffects,
  ignoreEvent,
  nothingToApply,
  orderingKeys,
  RetryLaterError,
  StripeWebhookHandler,
  WebhookInboxService,
  withOpening,
} from '@app/webhooks';
import { CheckoutSessionsService } from './checkout-sessions.service';
import { CheckoutsRepository } from './checkouts.repository';
import {
  checkoutPaymentEntry,
  CheckoutSessionEvent,
  checkoutSupporterDetails,
  isFinalPaidSnapshot,
} from './utils/transform-checkout-payment.util';

/**
 * Turns a paid payment-mode Checkout session (one-off donation, prepaid period) into ledger
 * entries, whichever of its events arrives first and however often:
 * `checkout.session.completed`, `checkout.session.async_payment_*` and `checkout.session.expired`
 * all lead to the same step: under a lock on the checkout, take the session as it is now and
 * record what it shows. A snapshot that says "complete and paid" is final and is used as it is;
 * any other (it may be stale or out of order) is re-fetched. The payment intent's
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
    private readonly checkouts: CheckoutsRepository,
  ) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  /** A session's events run in order with its checkout's other events. */
  orderingKey(event: Stripe.Event): string | null {
    return orderingKeys.checkout((event.data.object as Stripe.Checkout.Session).metadata?.checkout_id);
  }

  prepare(event: Stripe.Event): Promise<ApplyEffects> {
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
      case 'checkout.session.async_payment_failed':
      case 'checkout.session.expired':
        return this.prepareSession(event);
      default:
        return Promise.resolve(ignoreEvent(`${event.type} is not a checkout session event`));
    }
  }

  private async prepareSession(event: CheckoutSessionEvent): Promise<ApplyEffects> {
    const session = event.data.object;
    // Subscription-mode sessions (monthly donations and subscriptions) are the subscriptions' handler's.
    if (session.mode !== 'payment' && event.type !== 'checkout.session.expired') {
      return ignoreEvent(`checkout session ${session.id} is in ${session.mode} mode`);
    }
    const checkoutId = session.metadata?.checkout_id;
    if (!checkoutId || !isUuid(checkoutId)) {
      return ignoreEvent(`checkout session ${session.id} has no checkout_id metadata of ours`);
    }
    // A completed, paid session stays so: the snapshot is as good as a fetch. Anything else
    // (pending, expired, failed, or an older snapshot) is read from Stripe as it is now.
    const final = isFinalPaidSnapshot(event);
    // Once the payment is in, every other event of this checkout (an expiry that lost the race, a
    // pending snapshot arriving late) has nothing left to record: no lock, no Stripe round trip.
    // A final snapshot is nearly always the first word on its payment, so it goes straight to the
    // transaction, which looks again under the lock anyway.
    if (!final && (await this.checkouts.paymentRecorded(this.checkouts.manager, checkoutId))) {
      return nothingToApply(`checkout ${checkoutId} already recorded`);
    }
    // The checkout's row lock goes with BEGIN (the id is a validated UUID, safe as a literal), and
    // for a final snapshot, which names its payment intent, the payment's lock after it.
    const paymentLock = final ? LedgerService.lockPaymentSql(stripeId(session.payment_intent) ?? '') : null;
    const opening = [CheckoutsRepository.lockSql(checkoutId), ...(paymentLock ? [paymentLock] : [])].join('; ');
    return withOpening(opening, (manager, opened) =>
      this.apply(manager, checkoutId, final ? session : session.id, event, opened, paymentLock !== null),
    );
  }

  private async apply(
    manager: EntityManager,
    checkoutId: string,
    sessionOrId: Stripe.Checkout.Session | string,
    event: CheckoutSessionEvent,
    opened?: Array<Record<string, unknown>>,
    paymentLocked = false,
  ): Promise<string> {
    // The row lock serialises every event of one checkout: concurrent deliveries queue here.
    const checkout = await this.checkouts.lock(manager, checkoutId, opened);
    if (!checkout) return `ignored: checkout ${checkoutId} is not ours`;
    if (checkout.status === 'complete' && (await this.checkouts.paymentRecorded(manager, checkout.id))) {
      return `checkout ${checkout.id} already recorded`;
    }
    const session =
      typeof sessionOrId === 'string' ? await this.stripe.retrieveCheckoutSession(sessionOrId) : sessionOrId;

    if (session.payment_status !== 'paid') {
      if (session.status === 'expired' && checkout.status !== 'complete') {
        await this.checkouts.markExpired(manager, checkout.id);
        return `checkout ${checkout.id} expired`;
      }
      if (event.type === 'checkout.session.async_payment_failed' && checkout.status !== 'complete') {
        await this.checkouts.markFailed(manager, checkout.id, 'asynchronous payment failed');
        return `checkout ${checkout.id} payment failed`;
      }
      return `checkout ${checkout.id} not paid yet (${session.status}/${session.payment_status})`;
    }
    if (session.mode !== 'payment') return `ignored: checkout session ${session.id} is in ${session.mode} mode`;

    const paymentIntentId = stripeId(session.payment_intent);
    if (!paymentIntentId) throw new RetryLaterError(`session ${session.id} is paid but has no payment intent yet`);
    // The charge (and its fee) is read only under the per-payment lock: see LedgerService.lockPayment.
    if (!(paymentLocked && opened)) await this.ledger.lockPayment(manager, paymentIntentId);
    const paymentIntent = await this.stripe.retrievePaymentIntentWithCharge(paymentIntentId);
    const charge = typeof paymentIntent.latest_charge === 'object' ? paymentIntent.latest_charge : null;
    if (!charge) {
      throw new RetryLaterError(
        `session ${session.id} is paid but its payment intent ${paymentIntentId} has no charge yet`,
      );
    }
    const balance = typeof charge.balance_transaction === 'object' ? charge.balance_transaction : null;

    const supporter = await this.supporters.findOrCreateByEmail(checkoutSupporterDetails(checkout, session), manager);
    const { payment, outcomes } = await this.ledger.recordPayment(
      checkoutPaymentEntry({
        checkout,
        session,
        paymentIntentId: paymentIntent.id,
        charge,
        supporterId: supporter.id,
        eventId: event.id,
      }),
      balance,
      manager,
    );
    outcomes.push(...(await this.sessions.notifyPaid(manager, checkout, supporter, payment, session)));

    if (checkout.status !== 'complete' || !checkout.supporterId) {
      await this.checkouts.completePayment(manager, checkout.id, supporter.id, paymentIntent.id);
      outcomes.push(`checkout ${checkout.id} complete`);
    }
    return outcomes.length ? outcomes.join('; ') : `nothing new for checkout ${checkout.id}`;
  }
}
