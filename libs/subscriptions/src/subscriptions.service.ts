import { isUuid } from '@app/common';
import { Injectable, OnModuleInit } from '@nestjs/common';
import type Stripe from 'stripe';
import { EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { CampaignsService } from '@app/campaigns';
import { Checkout, CheckoutSessionsService, PostalAddress } from '@app/donations';
import type { Channel, LedgerEntry } from '@app/ledger';
import { StripePriceCatalog, stripeId } from '@app/stripe';
import { Supporter, SupportersService } from '@app/supporters';
import { grantsAt, OPEN_ENDED } from './entitlements';
import { SubscriptionStatus } from './subscription.entity';
import { SubscriptionsRepository } from './subscriptions.repository';
import { SubscriptionEmails } from './subscription-emails';
import { AddressDto, CreateSubscriptionDto, EntitlementsDto, SubscriptionCheckoutDto } from './subscription.dto';
import { TiersService } from './tiers.service';

const LIVE_STATUSES: SubscriptionStatus[] = ['active', 'trialing', 'past_due'];

/** An address as compared: its fields in one order, an empty second line the same as none. */
const addressKey = (a: PostalAddress | null | undefined): string | null =>
  a ? JSON.stringify([a.line1, a.line2 || null, a.city, a.state, a.postalCode, a.country]) : null;

/** Whether an open checkout already carries this name and delivery address (a repeat, not a correction). */
function sameDetails(open: Checkout, name: string, address: PostalAddress | null): boolean {
  return (open.name ?? '') === name && addressKey(open.deliveryAddress) === addressKey(address);
}

@Injectable()
export class SubscriptionsService implements OnModuleInit {
  constructor(
    private readonly subscriptions: SubscriptionsRepository,
    private readonly tiers: TiersService,
    private readonly campaigns: CampaignsService,
    private readonly sessions: CheckoutSessionsService,
    private readonly prices: StripePriceCatalog,
    private readonly supporters: SupportersService,
    private readonly config: AppConfig,
    private readonly lifecycle: SubscriptionEmails,
  ) {}

  onModuleInit(): void {
    this.sessions.onPaid((manager, checkout, supporter, payment, session) =>
      this.grantPrepaid(manager, checkout, supporter, payment, session),
    );
  }

  /**
   * Starts a subscription: monthly (Stripe Checkout in subscription mode) or a prepaid period
   * (payment mode, no renewal). Print needs a postal address. A reader who already has the
   * access being bought is told so instead of being charged twice; a repeated request while a
   * checkout is still open answers that same checkout (`reused`), unless it corrects the name or
   * the delivery address: then the open checkout is expired on Stripe, so that its link cannot
   * be paid with the old details, and a new one is opened (`replaced`). Requests of one reader
   * for one tier and billing run one at a time (a lock), so two of them never leave two payable
   * checkouts. If the old checkout was paid meanwhile, the request is refused (409
   * SUBSCRIPTION_ALREADY_ACTIVE): the address is then changed from the emailed link.
   */
  async create(dto: CreateSubscriptionDto, channel: Channel = 'online'): Promise<SubscriptionCheckoutDto> {
    const tier = await this.tiers.get(dto.tier);
    const monthly = dto.billing === 'monthly';
    if (monthly && dto.months !== undefined) {
      throw new DomainError('MONTHS_ONLY_FOR_PREPAID', 'months applies only to billing "prepaid"', 'months');
    }
    const months = monthly ? null : (dto.months ?? tier.prepaidMonths);
    if (!monthly && months !== tier.prepaidMonths) {
      throw new DomainError(
        'PREPAID_OPTION_NOT_OFFERED',
        `months must be ${tier.prepaidMonths} for ${tier.code} (the prepaid option offered)`,
        'months',
      );
    }
    if (tier.requiresDeliveryAddress && !dto.deliveryAddress) {
      throw new DomainError(
        'DELIVERY_ADDRESS_REQUIRED',
        `deliveryAddress is required for the ${tier.code} edition`,
        'deliveryAddress',
      );
    }
    const supporter = await this.supporters.findByEmail(dto.email);
    if (supporter) await this.refuseIfAlreadyEntitled(supporter, dto.email, tier.code, dto.billing);
    const deliveryAddress = tier.requiresDeliveryAddress && dto.deliveryAddress ? { ...dto.deliveryAddress } : null;

    const campaign = await this.campaigns.findBySlug('current');
    const amount = monthly ? tier.monthlyAmount : tier.prepaidAmount;
    const productName = monthly ? tier.name : `${tier.name}, ${months} months`;
    const priceId = await this.prices.priceFor({
      purpose: monthly ? `tier_${tier.code}_monthly` : `tier_${tier.code}_prepaid_${months}`,
      productName,
      amount,
      currency: tier.currency,
      recurring: monthly,
      metadata: { tier: tier.code, billing: dto.billing },
    });
    return this.sessions.exclusively(
      `subscription:${dto.email.toLowerCase()}:${tier.code}:${dto.billing}`,
      async (manager) => {
        const open = await this.sessions.findOpen(dto.email, 'subscription', dto.billing, tier.code, manager);
        let replaces: string | undefined;
        if (open?.checkoutUrl) {
          if (sameDetails(open, dto.name, deliveryAddress)) {
            return { id: open.id, checkoutUrl: open.checkoutUrl, outcome: 'reused' as const };
          }
          if (!(await this.sessions.expire(manager, open, 'replaced by a request with corrected details'))) {
            throw new DomainError(
              'SUBSCRIPTION_ALREADY_ACTIVE',
              `${dto.email} has just paid for ${tier.code} with the earlier details; change the delivery address from the link in your email`,
              'tier',
            );
          }
          replaces = open.id;
        }
        const created = await this.sessions.open(
          {
            purpose: 'subscription',
            frequency: dto.billing,
            channel,
            amount,
            currency: tier.currency,
            email: dto.email,
            name: dto.name,
            campaignId: campaign?.id ?? null,
            tierCode: tier.code,
            prepaidMonths: months,
            deliveryAddress,
            stripePriceId: priceId,
          },
          (checkout) => {
            const metadata = {
              checkout_id: checkout.id,
              purpose: 'subscription',
              tier: tier.code,
              billing: dto.billing,
              channel,
            };
            const who = supporter?.stripeCustomerId
              ? { customer: supporter.stripeCustomerId }
              : { customer_email: dto.email };
            const common = {
              ...who,
              client_reference_id: checkout.id,
              metadata,
              line_items: [{ price: priceId, quantity: 1 }],
              ...this.sessions.returnUrls(checkout.id),
            };
            if (monthly) {
              return { ...common, mode: 'subscription', subscription_data: { metadata, description: tier.name } };
            }
            return {
              ...common,
              mode: 'payment',
              ...(supporter?.stripeCustomerId ? {} : { customer_creation: 'always' as const }),
              payment_intent_data: { metadata, description: productName },
            };
          },
          manager,
        );
        return replaces
          ? { ...created, outcome: 'replaced' as const, replaces }
          : { ...created, outcome: 'created' as const };
      },
    );
  }

  /**
   * 409 when the reader already has the access being bought. A prepaid period may be bought while
   * another prepaid, offline or complimentary period runs (an early renewal: it starts at the
   * current end, see `grantPrepaid`); only a monthly card subscription that gives the access
   * refuses it. A monthly subscription is refused while any access to the tier runs.
   */
  private async refuseIfAlreadyEntitled(
    supporter: Supporter,
    email: string,
    tierCode: string,
    billing: 'monthly' | 'prepaid',
  ): Promise<void> {
    const live = await this.subscriptions.findTierSubscriptions(
      await this.supporters.groupIds(supporter.id),
      LIVE_STATUSES,
    );
    const subs = billing === 'prepaid' ? live.filter((s) => s.billing === 'monthly') : live;
    if (!subs.length) return;
    const tierEntitlements = await this.tiers.entitlementsByTier();
    const wanted = tierEntitlements.get(tierCode) ?? [];
    // Access now, or a paid period that starts later (bought ahead): either is already had.
    const now = new Date();
    const starts = subs
      .filter((s) => s.billing !== 'monthly' && s.currentPeriodStart && s.currentPeriodStart > now)
      .map((s) => s.currentPeriodStart!);
    for (const at of [now, ...starts]) {
      const grants = grantsAt(subs, tierEntitlements, at, this.config.PAST_DUE_GRACE_DAYS);
      if (!wanted.every((code) => grants.some((g) => g.code === code))) continue;
      const until = grants
        .filter((g) => wanted.includes(g.code))
        .reduce((min, g) => (g.until < min ? g.until : min), grants[0].until);
      throw new DomainError(
        'SUBSCRIPTION_ALREADY_ACTIVE',
        `${email} already has an active ${grants.find((g) => wanted.includes(g.code))!.tier} subscription that includes ${tierCode} (${until.getTime() === OPEN_ENDED.getTime() ? 'without an end' : `until ${until.toISOString().slice(0, 10)}`}); manage it from the link in your email`,
        'tier',
      );
    }
  }

  /**
   * A paid prepaid checkout becomes a subscription row for N months: from the payment's time, or,
   * bought while a prepaid, offline or complimentary period of the tier runs (an early renewal),
   * from that period's end, so the reader loses none of what they paid for. Grants of one reader
   * and tier run one at a time (the lock offline grants take too).
   */
  private async grantPrepaid(
    manager: EntityManager,
    checkout: Checkout,
    supporter: Supporter,
    payment: LedgerEntry | null,
    session: Stripe.Checkout.Session,
  ): Promise<string | void> {
    if (checkout.purpose !== 'subscription' || checkout.frequency !== 'prepaid') return;
    const paidAt = payment?.occurredAt ?? new Date();
    const start = checkout.tierCode
      ? await this.subscriptions.prepaidStart(manager, supporter.id, checkout.tierCode, paidAt)
      : paidAt;
    const granted = await this.subscriptions.insertPrepaid(manager, {
      supporterId: supporter.id,
      tierCode: checkout.tierCode,
      amount: checkout.amount,
      currency: checkout.currency,
      stripeCustomerId: stripeId(session.customer),
      start,
      months: checkout.prepaidMonths,
      deliveryAddress: checkout.deliveryAddress,
      checkoutId: checkout.id,
      campaignId: checkout.campaignId,
    });
    if (!granted) return undefined;
    // A new subscriber's welcome (once per checkout); a reader renewing a tier they have had is not new.
    const renewal = await this.subscriptions.hadTierBefore(manager, supporter.id, checkout.tierCode, checkout.id);
    const welcomed =
      !renewal &&
      (await this.lifecycle.welcome(
        manager,
        supporter,
        {
          tierCode: checkout.tierCode,
          billing: 'prepaid',
          months: checkout.prepaidMonths,
          until: await this.subscriptions.prepaidEnd(manager, checkout.id),
        },
        `checkout:${checkout.id}`,
      ));
    return `prepaid ${checkout.tierCode} for ${checkout.prepaidMonths} months granted${welcomed ? ', welcomed' : ''}`;
  }

  /** What the website's paywall asks: is this reader an active digital / print subscriber, until when. */
  async entitlements(email: string, at: Date = new Date()): Promise<EntitlementsDto> {
    // A merged pair is one reader: the subscriptions of every record merged into the survivor count.
    const supporter = await this.supporters.findByEmail(email);
    const subs = supporter
      ? await this.subscriptions.findTierSubscriptions(await this.supporters.groupIds(supporter.id))
      : [];
    const grants = grantsAt(subs, await this.tiers.entitlementsByTier(), at, this.config.PAST_DUE_GRACE_DAYS);
    return {
      email,
      digital: grants.some((g) => g.code === 'digital'),
      print: grants.some((g) => g.code === 'print'),
      entitlements: grants.map((g) => ({
        code: g.code,
        until: g.until.getTime() === OPEN_ENDED.getTime() ? null : g.until.toISOString(),
        status: g.status,
        tier: g.tier,
        billing: g.billing,
      })),
      at: at.toISOString(),
    };
  }

  /** A subscriber changes where their print edition is posted (checked against their own link). */
  async changeDeliveryAddress(
    supporterId: string,
    subscriptionId: string,
    address: AddressDto,
    manager: EntityManager = this.subscriptions.manager,
  ): Promise<{ id: string; tier: string | null; deliveryAddress: AddressDto }> {
    const sub = isUuid(subscriptionId) ? await this.subscriptions.findById(subscriptionId, manager) : null;
    if (!sub || sub.supporterId !== supporterId) {
      throw new DomainError('NOT_FOUND', `subscription ${subscriptionId} does not exist`, 'id');
    }
    await this.subscriptions.setDeliveryAddress(manager, sub.id, address);
    return { id: sub.id, tier: sub.tierCode, deliveryAddress: { ...address } };
  }
}
