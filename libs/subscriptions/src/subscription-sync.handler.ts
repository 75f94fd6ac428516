import { Injectable, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { InjectDataSource } from '@nestjs/typeorm';
import { hydrate, queryOne, sql } from '@app/database';
import { isUuid } from '@app/common';
import { DataSource, EntityManager } from 'typeorm';
import { Checkout } from '@app/donations';
import { LedgerService } from '@app/ledger';
import { StripeGateway, stripeId } from '@app/stripe';
import { Supporter, SupportersService } from '@app/supporters';
import { ApplyEffects, ignoreEvent, nothingToApply, StripeWebhookHandler, WebhookInboxService, withOpening } from '@app/webhooks';
import { Subscription, SubscriptionStatus } from './subscription.entity';
import { SelfServiceService } from './self-service.service';
import { Tier } from './tier.entity';
import { AppConfig } from '@app/config';
import { EmailService } from '@app/email';

const at = (unix: number | null | undefined) => (unix ? new Date(unix * 1000) : null);

/** SQL: the invoice (the parameter `param`) has its payment in the ledger, and that payment's fee. */
const invoiceRecorded = (param: string) => `EXISTS (
  SELECT 1 FROM ledger_entries p
   WHERE p.kind = 'payment' AND p.stripe_invoice_id = ${param}
     AND (p.stripe_balance_transaction_id IS NOT NULL
          OR EXISTS (SELECT 1 FROM ledger_entries f WHERE f.kind = 'fee' AND f.stripe_charge_id = p.stripe_charge_id)))`;

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
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.inbox.register(this);
  }

  async prepare(event: Stripe.Event): Promise<ApplyEffects> {
    const object = event.data.object as unknown as Record<string, unknown> & { object: string; id: string };
    let subscriptionId: string | null = null;
    let checkoutId: string | undefined;
    let invoiceId: string | null = null;
    if (object.object === 'subscription') {
      const sub = object as unknown as Stripe.Subscription;
      subscriptionId = sub.id;
      checkoutId = sub.metadata?.checkout_id;
    } else if (object.object === 'invoice') {
      const invoice = object as unknown as Stripe.Invoice;
      subscriptionId = stripeId(invoice.parent?.subscription_details?.subscription);
      checkoutId = invoice.parent?.subscription_details?.metadata?.checkout_id;
      if (event.type === 'invoice.paid') invoiceId = invoice.id ?? null;
    } else if (object.object === 'checkout.session') {
      const session = object as unknown as Stripe.Checkout.Session;
      if (session.mode !== 'subscription') return ignoreEvent('not a subscription checkout');
      subscriptionId = stripeId(session.subscription);
      checkoutId = session.metadata?.checkout_id;
      invoiceId = stripeId(session.invoice);
    }
    if (!subscriptionId) return ignoreEvent('no subscription');
    // An invoice or a completed checkout whose payment (with its fee) and subscription are in
    // already has nothing left to record: no lock, no Stripe round trip.
    if (object.object !== 'subscription' && (await this.recorded(subscriptionId, invoiceId))) return nothingToApply(`subscription ${subscriptionId}${invoiceId ? ` and invoice ${invoiceId}` : ''} already recorded`);
    if (!checkoutId) checkoutId = (await this.stripe.retrieveSubscription(subscriptionId)).metadata?.checkout_id;
    if (!checkoutId) return ignoreEvent(`subscription ${subscriptionId} was not started through one of our checkouts`);
    // A paid invoice stays as it was paid: its snapshot is as good as a fetch.
    const invoice = event.type === 'invoice.paid' && (object as unknown as Stripe.Invoice).status === 'paid' ? (object as unknown as Stripe.Invoice) : null;
    const ids = { subscriptionId, checkoutId, invoiceId, invoice, mirror: object.object === 'subscription' };
    if (!isUuid(checkoutId)) return ignoreEvent(`subscription ${subscriptionId} names checkout ${checkoutId}, not one of ours`);
    // The checkout's row lock goes with BEGIN (the id is a validated UUID, safe as a literal).
    return withOpening(`SELECT * FROM checkouts WHERE id = '${checkoutId}' FOR UPDATE`, (manager, opened) => this.apply(manager, ids, event, opened));
  }

  /** Whether the subscription is mirrored and the invoice (if any) recorded with its fee. */
  private async recorded(subscriptionId: string, invoiceId: string | null): Promise<boolean> {
    const [row] = await sql<{ mirrored: boolean; invoiced: boolean }>(
      this.dataSource.manager,
      `SELECT EXISTS (SELECT 1 FROM subscriptions WHERE stripe_subscription_id = $1) AS mirrored, $2::text IS NULL OR ${invoiceRecorded('$2')} AS invoiced`,
      [subscriptionId, invoiceId],
    );
    return row.mirrored && row.invoiced;
  }

  private async apply(
    manager: EntityManager,
    ids: { subscriptionId: string; checkoutId: string; invoiceId: string | null; invoice: Stripe.Invoice | null; mirror: boolean },
    event: Stripe.Event,
    opened?: Array<Record<string, unknown>>,
  ): Promise<string> {
    const checkout = opened ? (opened[0] ? hydrate(manager, Checkout, opened[0]) : null) : await queryOne(manager, Checkout, `SELECT * FROM checkouts WHERE id = $1 FOR UPDATE`, [ids.checkoutId]);
    if (!checkout) return `ignored: checkout ${ids.checkoutId} is not ours`;
    const existing = await queryOne(manager, Subscription, `SELECT * FROM subscriptions WHERE stripe_subscription_id = $1`, [ids.subscriptionId]);
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
          ? (await queryOne(manager, Supporter, `SELECT * FROM supporters WHERE id = $1`, [existing.supporterId]))!
          : await this.supporters.findOrCreateByEmail({ email: checkout.email, name: checkout.name, stripeCustomerId: stripeId(sub.customer) }, manager));
      supporterId = existing?.supporterId ?? (await supporterOf()).id;
      outcomes.push(await this.mirror(manager, sub, existing, checkout, supporterOf, event));
    } else {
      supporterId = existing.supporterId;
      outcomes.push(`subscription ${ids.subscriptionId} mirrored already`);
    }
    if (checkout.status !== 'complete') {
      await sql(manager, `UPDATE checkouts SET status = 'complete', supporter_id = $2, completed_at = COALESCE(completed_at, now()), updated_at = now() WHERE id = $1`, [checkout.id, supporterId]);
      outcomes.push(`checkout ${checkout.id} complete`);
    }
    if (ids.invoiceId) outcomes.push(...(await this.recordInvoice(manager, ids.invoice ?? ids.invoiceId, checkout, supporterId, existing?.campaignId ?? checkout.campaignId, event)));
    return outcomes.join('; ');
  }

  private async mirror(manager: EntityManager, sub: Stripe.Subscription, existing: Subscription | null, checkout: Checkout, supporterOf: () => Promise<Supporter>, event: Stripe.Event): Promise<string> {
    const item = sub.items.data[0];
    const price = item.price;
    const status = sub.status as SubscriptionStatus;
    const tierCode = checkout.purpose === 'subscription' ? (price.metadata?.tier ?? existing?.tierCode ?? checkout.tierCode) : null;
    const values: Partial<Subscription> = {
      status,
      tierCode,
      amount: (price.unit_amount ?? checkout.amount) * (item.quantity ?? 1),
      currency: price.currency.toUpperCase(),
      stripePriceId: price.id,
      stripeCustomerId: stripeId(sub.customer),
      currentPeriodStart: at(item.current_period_start),
      currentPeriodEnd: at(item.current_period_end),
      cancelAtPeriodEnd: sub.cancel_at_period_end,
      canceledAt: at(sub.canceled_at),
      endedAt: at(sub.ended_at),
      // The event that first shows past_due may be older than the failure (a late redelivery, a
      // backlog): it cannot date a failure earlier than the period the failed renewal began.
      pastDueSince: status === 'past_due' ? (existing?.pastDueSince ?? new Date(Math.max(event.created, item.current_period_start ?? 0) * 1000)) : null,
    };
    if (!existing) {
      await manager.insert(Subscription, {
        ...values,
        id: randomUUID(),
        supporterId: (await supporterOf()).id,
        kind: checkout.purpose === 'donation' ? 'monthly_donation' : 'subscription',
        billing: 'monthly',
        stripeSubscriptionId: sub.id,
        deliveryAddress: checkout.deliveryAddress,
        checkoutId: checkout.id,
        campaignId: checkout.campaignId,
      });
      return `subscription ${sub.id} ${status}`;
    }
    const changed = (Object.keys(values) as Array<keyof Subscription>).filter((k) => String(values[k] ?? '') !== String(existing[k] ?? ''));
    if (!changed.length) return `subscription ${sub.id} unchanged`;
    await manager.update(Subscription, { id: existing.id }, values);
    let tierChange = '';
    if (tierCode && existing.tierCode !== tierCode) {
      const tier = await manager.findOneBy(Tier, { code: tierCode });
      const needsAddress = !!tier?.requiresDeliveryAddress && !existing.deliveryAddress;
      tierChange = ` (tier ${existing.tierCode} → ${tierCode}${needsAddress ? ', delivery address requested' : ''})`;
      if (needsAddress) await this.askForAddress(manager, await supporterOf(), existing.id, tier!.name);
    }
    return `subscription ${sub.id} ${existing.status} → ${status}${tierChange}`;
  }

  /** A change to a posted edition without an address on file: ask the subscriber for one. */
  private async askForAddress(manager: EntityManager, supporter: Supporter, subscriptionId: string, tierName: string): Promise<void> {
    if (!supporter.email) return;
    const token = this.selfService.tokenFor(supporter.id);
    const base = this.config.PUBLIC_BASE_URL.replace(/\/$/, '');
    await this.email.send(
      {
        to: supporter.email,
        kind: 'delivery_address_needed',
        subject: `Where should we post your ${tierName}?`,
        body: `Hello${supporter.name ? ` ${supporter.name}` : ''},\n\nYou now receive the ${tierName}, and we need your postal address to send it. Add it here:\n${base}/delivery-address?subscription=${subscriptionId}&token=${token}\n`,
      },
      manager,
    );
  }

  /** One ledger entry per paid invoice, with the fee if Stripe already has it. */
  private async recordInvoice(manager: EntityManager, invoiceOrId: Stripe.Invoice | string, checkout: Checkout, supporterId: string, campaignId: string | null, event: Stripe.Event): Promise<string[]> {
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
      {
        idempotencyKey: `invoice:${invoice.id}`,
        type: checkout.purpose === 'donation' ? 'monthly_donation' : 'subscription',
        channel: checkout.channel,
        method: charge?.payment_method_details?.type ?? 'out_of_band',
        gross: invoice.amount_paid,
        currency: invoice.currency,
        supporterId,
        campaignId,
        checkoutId: checkout.id,
        stripeEventId: event.id,
        stripeInvoiceId: invoice.id,
        stripePaymentIntentId: paymentIntentId ?? null,
        stripeChargeId: charge?.id ?? null,
        description: `Invoice ${invoice.number ?? invoice.id} (${invoice.billing_reason})`,
        occurredAt: at(invoice.status_transitions?.paid_at) ?? new Date(event.created * 1000),
      },
      balance,
      manager,
    );
    return outcomes;
  }
}
