import { Injectable, OnModuleInit } from '@nestjs/common';
import type Stripe from 'stripe';
import { EntityManager } from 'typeorm';
import { isUuid } from '@app/common';
import { Checkout, CheckoutsRepository } from '@app/donations';
import { LedgerService } from '@app/ledger';
import { StripeGateway, stripeId } from '@app/stripe';
import { Supporter, SupportersService } from '@app/supporters';
import {
  ApplyEffects,
  ignoreEvent,
  nothingToApply,
  orderingKeys,
  StripeWebhookHandler,
  WebhookInboxService,
  withOpening,
} from '@app/webhooks';
import { Subscription } from './subscription.entity';
import { SelfServiceService } from './self-service.service';
import { SubscriptionEmails } from './subscription-emails';
import { SubscriptionsRepository } from './subscriptions.repository';
import { Tier } from './tier.entity';
import { AppConfig } from '@app/config';
import { EmailService, EmailTemplates } from '@app/email';
import {
  changedColumns,
  invoicePaymentEntry,
  mirroredSubscription,
  SubscriptionSyncEvent,
  SyncTarget,
  syncTarget,
} from './utils/transform-stripe-subscription.util';

/**
 * The subscription lifecycle from Stripe, for tier subscriptions and monthly donations alike.
 * Every event (created, updated, deleted, invoice paid or failed, the checkout completing) leads
 * to the same step, under a lock on the checkout the subscription came from: fetch the
 * subscription as it is now and mirror it (status, billing period from its item, cancellation,
 * price/tier), and for a paid invoice append one ledger entry (unique per invoice). Order,
 * duplicates and concurrency therefore do not matter: `invoice.paid` before
 * `customer.subscription.created` simply creates the row first.
 */
@Injectable()
export class SubscriptionSyncHandler implements StripeWebhookHandler, OnModuleInit {
  readonly eventTypes = [
    'customer.subscription.created',
    'customer.subscription.updated',
    'customer.subscription.deleted',
    'customer.subscription.paused',
    'customer.subscription.resumed',
    'invoice.paid',
    'invoice.payment_failed',
    'checkout.session.completed',
  ] as const;

  constructor(
    private readonly inbox: WebhookInboxService,
    private readonly stripe: StripeGateway,
    private readonly ledger: LedgerService,
    private readonly supporters: SupportersService,
    private readonly selfService: SelfServiceService,
    private readonly email: EmailService,
    private readonly config: AppConfig,
    private readonly checkouts: CheckoutsRepository,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly templates: EmailTemplates,
    private readonly lifecycle: SubscriptionEmails,
  ) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  /**
   * Events about one checkout run in order: its session, its subscription and its invoices carry
   * its id in metadata (an invoice in its subscription's details).
   */
  orderingKey(event: Stripe.Event): string | null {
    const o = event.data.object as { metadata?: Stripe.Metadata | null; parent?: Stripe.Invoice['parent'] };
    return orderingKeys.checkout(o.metadata?.checkout_id ?? o.parent?.subscription_details?.metadata?.checkout_id);
  }

  prepare(event: Stripe.Event): Promise<ApplyEffects> {
    switch (event.type) {
      case 'customer.subscription.created':
      case 'customer.subscription.updated':
      case 'customer.subscription.deleted':
      case 'customer.subscription.paused':
      case 'customer.subscription.resumed':
      case 'invoice.paid':
      case 'invoice.payment_failed':
      case 'checkout.session.completed':
        return this.prepareSync(event);
      default:
        return Promise.resolve(ignoreEvent(`${event.type} is not a subscription event`));
    }
  }

  private async prepareSync(event: SubscriptionSyncEvent): Promise<ApplyEffects> {
    const target = syncTarget(event);
    if ('ignored' in target) return ignoreEvent(target.ignored);
    const { subscriptionId } = target;
    // An invoice or a completed checkout whose payment (with its fee) and subscription are in
    // already has nothing left to record: no lock, no Stripe round trip.
    // A failed payment always goes on: its notice (once per invoice) is written there.
    if (
      !target.mirror &&
      event.type !== 'invoice.payment_failed' &&
      (await this.subscriptions.mirroredAndInvoiced(this.subscriptions.manager, subscriptionId, target.invoiceId))
    ) {
      return nothingToApply(
        `subscription ${subscriptionId}${target.invoiceId ? ` and invoice ${target.invoiceId}` : ''} already recorded`,
      );
    }
    const checkoutId =
      target.checkoutId ?? (await this.stripe.retrieveSubscription(subscriptionId)).metadata?.checkout_id;
    if (!checkoutId) return ignoreEvent(`subscription ${subscriptionId} was not started through one of our checkouts`);
    if (!isUuid(checkoutId)) {
      return ignoreEvent(`subscription ${subscriptionId} names checkout ${checkoutId}, not one of ours`);
    }
    const ids = { ...target, checkoutId };
    // The checkout's row lock goes with BEGIN (the id is a validated UUID, safe as a literal).
    return withOpening(CheckoutsRepository.lockSql(checkoutId), (manager, opened) =>
      this.apply(manager, ids, event, opened),
    );
  }

  private async apply(
    manager: EntityManager,
    ids: SyncTarget & { checkoutId: string },
    event: SubscriptionSyncEvent,
    opened?: Array<Record<string, unknown>>,
  ): Promise<string> {
    const checkout = await this.checkouts.lock(manager, ids.checkoutId, opened);
    if (!checkout) return `ignored: checkout ${ids.checkoutId} is not ours`;
    const existing = await this.subscriptions.findByStripeId(manager, ids.subscriptionId);
    const outcomes: string[] = [];
    let supporterId: string;
    if (ids.mirror || !existing) {
      // Fetched under the lock: the last writer always mirrors Stripe's latest state. Invoices and
      // the checkout's completion change nothing the subscription's own events do not bring; they
      // create the row only when they come first.
      const sub = await this.stripe.retrieveSubscription(ids.subscriptionId);
      // A mirrored subscription has its supporter already; read only if an email must go out.
      let supporter: Supporter | undefined;
      const supporterOf = async (): Promise<Supporter> =>
        (supporter ??= existing
          ? (await this.supporters.findById(existing.supporterId, manager))!
          : await this.supporters.findOrCreateByEmail(
              { email: checkout.email, name: checkout.name, stripeCustomerId: stripeId(sub.customer) },
              manager,
            ));
      supporterId = existing?.supporterId ?? (await supporterOf()).id;
      outcomes.push(await this.mirror(manager, sub, existing, checkout, supporterOf, event));
    } else {
      supporterId = existing.supporterId;
      outcomes.push(`subscription ${ids.subscriptionId} mirrored already`);
    }
    if (checkout.status !== 'complete') {
      await this.checkouts.completeSubscription(manager, checkout.id, supporterId);
      outcomes.push(`checkout ${checkout.id} complete`);
    }
    if (event.type === 'invoice.payment_failed') {
      const sub = await this.subscriptions.findByStripeId(manager, ids.subscriptionId);
      const supporter = await this.supporters.findById(supporterId, manager);
      const invoice = event.data.object;
      if (sub && supporter && invoice.id && invoice.amount_due > 0) {
        const failedAt = sub.pastDueSince ?? new Date(event.created * 1000);
        const sent = await this.lifecycle.paymentFailed(
          manager,
          supporter,
          sub,
          { id: invoice.id, amount: invoice.amount_due, currency: invoice.currency },
          failedAt,
        );
        if (sent) outcomes.push(`payment failed notice for invoice ${invoice.id}`);
      }
    }
    if (ids.invoiceId) {
      outcomes.push(
        ...(await this.recordInvoice(
          manager,
          ids.invoice ?? ids.invoiceId,
          checkout,
          supporterId,
          existing?.campaignId ?? checkout.campaignId,
          event,
        )),
      );
    }
    return outcomes.join('; ');
  }

  private async mirror(
    manager: EntityManager,
    sub: Stripe.Subscription,
    existing: Subscription | null,
    checkout: Checkout,
    supporterOf: () => Promise<Supporter>,
    event: SubscriptionSyncEvent,
  ): Promise<string> {
    const values = mirroredSubscription(sub, checkout, existing, event.created);
    const { status, tierCode } = values;
    if (!existing) {
      await this.subscriptions.insertMonthly(manager, {
        ...values,
        supporterId: (await supporterOf()).id,
        kind: checkout.purpose === 'donation' ? 'monthly_donation' : 'subscription',
        stripeSubscriptionId: sub.id,
        deliveryAddress: checkout.deliveryAddress,
        checkoutId: checkout.id,
        campaignId: checkout.campaignId,
      });
      const welcomed = await this.welcomeIfStarted(manager, null, values, checkout, sub.id, supporterOf);
      return `subscription ${sub.id} ${status}${welcomed}`;
    }
    if (!changedColumns(values, existing).length) return `subscription ${sub.id} unchanged`;
    await this.subscriptions.updateMirror(manager, existing.id, values);
    let lifecycle = await this.welcomeIfStarted(manager, existing, values, checkout, sub.id, supporterOf);
    const cancelled =
      (values.cancelAtPeriodEnd && !existing.cancelAtPeriodEnd) ||
      (status === 'canceled' && existing.status !== 'canceled');
    if (
      cancelled &&
      (await this.lifecycle.cancelled(
        manager,
        await supporterOf(),
        existing,
        values.cancelAtPeriodEnd && status !== 'canceled' ? values.currentPeriodEnd : null,
      ))
    ) {
      lifecycle += ', cancellation confirmed';
    }
    let tierChange = '';
    if (tierCode && existing.tierCode !== tierCode) {
      const tier = await manager.findOneBy(Tier, { code: tierCode });
      const needsAddress = !!tier?.requiresDeliveryAddress && !existing.deliveryAddress;
      tierChange = ` (tier ${existing.tierCode} → ${tierCode}${needsAddress ? ', delivery address requested' : ''})`;
      if (needsAddress) await this.askForAddress(manager, await supporterOf(), existing.id, tier!.name);
    }
    return `subscription ${sub.id} ${existing.status} → ${status}${tierChange}${lifecycle}`;
  }

  /** A tier subscription that has just started (active or trialing, first time): its welcome, once. */
  private async welcomeIfStarted(
    manager: EntityManager,
    existing: Subscription | null,
    values: ReturnType<typeof mirroredSubscription>,
    checkout: Checkout,
    stripeSubscriptionId: string,
    supporterOf: () => Promise<Supporter>,
  ): Promise<string> {
    const live = (s: string) => s === 'active' || s === 'trialing';
    if (checkout.purpose !== 'subscription' || !live(values.status) || (existing && live(existing.status))) return '';
    const sent = await this.lifecycle.welcome(
      manager,
      await supporterOf(),
      { tierCode: values.tierCode, billing: 'monthly' },
      `subscription:${stripeSubscriptionId}`,
    );
    return sent ? ', welcomed' : '';
  }

  /** A change to a posted edition without an address on file: ask the subscriber for one. */
  private async askForAddress(
    manager: EntityManager,
    supporter: Supporter,
    subscriptionId: string,
    tierName: string,
  ): Promise<void> {
    if (!supporter.email) return;
    const token = this.selfService.tokenFor(supporter.id);
    const base = this.config.PUBLIC_BASE_URL.replace(/\/$/, '');
    await this.email.send(
      {
        to: supporter.email,
        kind: 'delivery_address_needed',
        // The reader's account page for the address (reader-account part), signed in by the token.
        ...this.templates.render('delivery_address_needed', {
          name: supporter.name,
          tier: tierName,
          url: `${base}/account/delivery-address?subscription=${subscriptionId}&token=${token}`,
        }),
      },
      manager,
    );
  }

  /** One ledger entry per paid invoice, with the fee if Stripe already has it. */
  private async recordInvoice(
    manager: EntityManager,
    invoiceOrId: Stripe.Invoice | string,
    checkout: Checkout,
    supporterId: string,
    campaignId: string | null,
    event: SubscriptionSyncEvent,
  ): Promise<string[]> {
    const invoiceId = typeof invoiceOrId === 'string' ? invoiceOrId : invoiceOrId.id!;
    const invoice = typeof invoiceOrId === 'string' ? await this.stripe.retrieveInvoice(invoiceOrId) : invoiceOrId;
    if (invoice.status !== 'paid') return [`invoice ${invoiceId} is ${invoice.status}`];
    if (!invoice.amount_paid) return [`invoice ${invoiceId} paid nothing`];
    const [paymentIntentId] = await this.stripe.invoicePaymentIntentIds(invoiceId);
    let charge: Stripe.Charge | null = null;
    if (paymentIntentId) {
      await this.ledger.lockPayment(manager, paymentIntentId);
      const pi = await this.stripe.retrievePaymentIntentWithCharge(paymentIntentId);
      charge = typeof pi.latest_charge === 'object' ? pi.latest_charge : null;
    }
    const balance = charge && typeof charge.balance_transaction === 'object' ? charge.balance_transaction : null;
    const { outcomes } = await this.ledger.recordPayment(
      invoicePaymentEntry({
        invoice,
        checkout,
        charge,
        paymentIntentId: paymentIntentId ?? null,
        supporterId,
        campaignId,
        event,
      }),
      balance,
      manager,
    );
    return outcomes;
  }
}
