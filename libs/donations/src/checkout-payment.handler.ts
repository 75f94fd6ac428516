import { Injectable, OnModuleInit } from '@nestjs/common';
import type Stripe from 'stripe';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '@app/common';
import { hydrate, queryOne, sql } from '@app/database';
import { LedgerService, LedgerType } from '@app/ledger';
import { StripeGateway, stripeId } from '@app/stripe';
import { SupportersService } from '@app/supporters';
import { ApplyEffects, ignoreEvent, nothingToApply, StripeWebhookHandler, WebhookInboxService, withOpening } from '@app/webhooks';
import { Checkout } from './checkout.entity';
import { CheckoutSessionsService } from './checkout-sessions.service';

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
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  async prepare(event: Stripe.Event): Promise<ApplyEffects> {
    const session = event.data.object as Stripe.Checkout.Session;
    // Subscription-mode sessions (monthly donations and subscriptions) are the subscriptions' handler's.
    if (session.mode !== 'payment' && event.type !== 'checkout.session.expired') return ignoreEvent(`checkout session ${session.id} is in ${session.mode} mode`);
    const checkoutId = session.metadata?.checkout_id;
    if (!checkoutId || !isUuid(checkoutId)) return ignoreEvent(`checkout session ${session.id} has no checkout_id metadata of ours`);
    // A completed, paid session stays so: the snapshot is as good as a fetch. Anything else
    // (pending, expired, failed, or an older snapshot) is read from Stripe as it is now.
    const final = (event.type === 'checkout.session.completed' || event.type === 'checkout.session.async_payment_succeeded') && session.status === 'complete' && session.payment_status === 'paid';
    // Once the payment is in, every other event of this checkout (an expiry that lost the race, a
    // pending snapshot arriving late) has nothing left to record: no lock, no Stripe round trip.
    // A final snapshot is nearly always the first word on its payment, so it goes straight to the
    // transaction, which looks again under the lock anyway.
    if (!final && (await this.paymentRecorded(this.dataSource.manager, checkoutId))) return nothingToApply(`checkout ${checkoutId} already recorded`);
    // The checkout's row lock goes with BEGIN (the id is a validated UUID, safe as a literal), and
    // for a final snapshot, which names its payment intent, the payment's lock after it.
    const paymentLock = final ? LedgerService.lockPaymentSql(stripeId(session.payment_intent) ?? '') : null;
    const opening = [`SELECT * FROM checkouts WHERE id = '${checkoutId}' FOR UPDATE`, ...(paymentLock ? [paymentLock] : [])].join('; ');
    return withOpening(opening, (manager, opened) => this.apply(manager, checkoutId, final ? session : session.id, event, opened, paymentLock !== null));
  }

  /** Whether the checkout's payment is in the ledger (a committed payment never goes away). */
  private async paymentRecorded(manager: EntityManager, checkoutId: string): Promise<boolean> {
    const rows = await sql(
      manager,
      `SELECT 1 FROM checkouts c JOIN ledger_entries l ON l.stripe_payment_intent_id = c.stripe_payment_intent_id AND l.kind = 'payment' AND l.checkout_id = c.id
        WHERE c.id = $1 AND c.status = 'complete' LIMIT 1`,
      [checkoutId],
    );
    return rows.length > 0;
  }

  private async apply(manager: EntityManager, checkoutId: string, sessionOrId: Stripe.Checkout.Session | string, event: Stripe.Event, opened?: Array<Record<string, unknown>>, paymentLocked = false): Promise<string> {
    // The row lock serialises every event of one checkout: concurrent deliveries queue here.
    const checkout = opened ? (opened[0] ? hydrate(manager, Checkout, opened[0]) : null) : await queryOne(manager, Checkout, `SELECT * FROM checkouts WHERE id = $1 FOR UPDATE`, [checkoutId]);
    if (!checkout) return `ignored: checkout ${checkoutId} is not ours`;
    if (checkout.status === 'complete' && (await this.paymentRecorded(manager, checkout.id))) return `checkout ${checkout.id} already recorded`;
    const session = typeof sessionOrId === 'string' ? await this.stripe.retrieveCheckoutSession(sessionOrId) : sessionOrId;

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

    const paymentIntentId = stripeId(session.payment_intent);
    if (!paymentIntentId) throw new Error(`session ${session.id} is paid but has no payment intent yet`);
    // The charge (and its fee) is read only under the per-payment lock: see LedgerService.lockPayment.
    if (!(paymentLocked && opened)) await this.ledger.lockPayment(manager, paymentIntentId);
    const paymentIntent = await this.stripe.retrievePaymentIntentWithCharge(paymentIntentId);
    const charge = typeof paymentIntent.latest_charge === 'object' ? paymentIntent.latest_charge : null;
    if (!charge) throw new Error(`session ${session.id} is paid but its payment intent ${paymentIntentId} has no charge yet`);
    const balance = typeof charge.balance_transaction === 'object' ? charge.balance_transaction : null;

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
      await sql(
        manager,
        `UPDATE checkouts SET status = 'complete', supporter_id = $2, stripe_payment_intent_id = $3, completed_at = COALESCE(completed_at, now()), updated_at = now() WHERE id = $1`,
        [checkout.id, supporter.id, paymentIntent.id],
      );
      outcomes.push(`checkout ${checkout.id} complete`);
    }
    return outcomes.length ? outcomes.join('; ') : `nothing new for checkout ${checkout.id}`;
  }
}
