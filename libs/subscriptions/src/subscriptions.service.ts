import { isUuid } from '@app/common';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { EntityManager, In, Repository } from 'typeorm';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { CampaignsService } from '@app/campaigns';
import { Checkout, CheckoutCreatedDto, CheckoutSessionsService } from '@app/donations';
import type { Channel, LedgerEntry } from '@app/ledger';
import { StripePriceCatalog, stripeId } from '@app/stripe';
import { Supporter, SupportersService } from '@app/supporters';
import { grantsAt } from './entitlements';
import { Subscription } from './subscription.entity';
import { AddressDto, CreateSubscriptionDto, EntitlementsDto } from './subscription.dto';
import { TiersService } from './tiers.service';

const LIVE_STATUSES = ['active', 'trialing', 'past_due'];

@Injectable()
export class SubscriptionsService implements OnModuleInit {
  constructor(
    @InjectRepository(Subscription) private readonly subscriptions: Repository<Subscription>,
    private readonly tiers: TiersService,
    private readonly campaigns: CampaignsService,
    private readonly sessions: CheckoutSessionsService,
    private readonly prices: StripePriceCatalog,
    private readonly supporters: SupportersService,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.sessions.onPaid((manager, checkout, supporter, payment, session) => this.grantPrepaid(manager, checkout, supporter, payment, session));
  }

  /**
   * Starts a subscription: monthly (Stripe Checkout in subscription mode) or a prepaid period
   * (payment mode, no renewal). Print needs a postal address. A reader who already has the
   * access being bought is told so instead of being charged twice; a repeated request while a
   * checkout is still open answers that same checkout.
   */
  async create(dto: CreateSubscriptionDto, channel: Channel = 'online'): Promise<CheckoutCreatedDto> {
    const tier = await this.tiers.get(dto.tier);
    const monthly = dto.billing === 'monthly';
    if (monthly && dto.months !== undefined) throw new DomainError('MONTHS_ONLY_FOR_PREPAID', 'months applies only to billing "prepaid"', 'months');
    const months = monthly ? null : (dto.months ?? tier.prepaidMonths);
    if (!monthly && months !== tier.prepaidMonths) {
      throw new DomainError('PREPAID_OPTION_NOT_OFFERED', `months must be ${tier.prepaidMonths} for ${tier.code} (the prepaid option offered)`, 'months');
    }
    if (tier.requiresDeliveryAddress && !dto.deliveryAddress) {
      throw new DomainError('DELIVERY_ADDRESS_REQUIRED', `deliveryAddress is required for the ${tier.code} edition`, 'deliveryAddress');
    }
    const supporter = await this.supporters.findByEmail(dto.email);
    if (supporter) await this.refuseIfAlreadyEntitled(supporter, dto.email, tier.code);
    const open = await this.sessions.findOpen(dto.email, 'subscription', dto.billing, tier.code);
    if (open?.checkoutUrl) return { id: open.id, checkoutUrl: open.checkoutUrl };

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
    return this.sessions.open(
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
        deliveryAddress: tier.requiresDeliveryAddress && dto.deliveryAddress ? { ...dto.deliveryAddress } : null,
        stripePriceId: priceId,
      },
      (checkout) => {
        const metadata = { checkout_id: checkout.id, purpose: 'subscription', tier: tier.code, billing: dto.billing, channel };
        const who = supporter?.stripeCustomerId ? { customer: supporter.stripeCustomerId } : { customer_email: dto.email };
        const common = { ...who, client_reference_id: checkout.id, metadata, line_items: [{ price: priceId, quantity: 1 }], ...this.sessions.returnUrls(checkout.id) };
        if (monthly) return { ...common, mode: 'subscription', subscription_data: { metadata, description: tier.name } };
        return {
          ...common,
          mode: 'payment',
          ...(supporter?.stripeCustomerId ? {} : { customer_creation: 'always' as const }),
          payment_intent_data: { metadata, description: productName },
        };
      },
    );
  }

  private async refuseIfAlreadyEntitled(supporter: Supporter, email: string, tierCode: string): Promise<void> {
    const subs = await this.subscriptions.find({ where: { supporterId: supporter.id, kind: 'subscription', status: In(LIVE_STATUSES) } });
    if (!subs.length) return;
    const tierEntitlements = await this.tiers.entitlementsByTier();
    const wanted = tierEntitlements.get(tierCode) ?? [];
    const grants = grantsAt(subs, tierEntitlements, new Date(), this.config.PAST_DUE_GRACE_DAYS);
    const covered = wanted.every((code) => grants.some((g) => g.code === code));
    if (covered) {
      const until = grants.filter((g) => wanted.includes(g.code)).reduce((min, g) => (g.until < min ? g.until : min), grants[0].until);
      throw new DomainError('SUBSCRIPTION_ALREADY_ACTIVE', `${email} already has an active ${grants.find((g) => wanted.includes(g.code))!.tier} subscription that includes ${tierCode} (until ${until.toISOString().slice(0, 10)}); manage it from the link in your email`, 'tier');
    }
  }

  /** A paid prepaid checkout becomes a subscription row from the payment's time for N months. */
  private async grantPrepaid(manager: EntityManager, checkout: Checkout, supporter: Supporter, payment: LedgerEntry | null, session: Stripe.Checkout.Session): Promise<string | void> {
    if (checkout.purpose !== 'subscription' || checkout.frequency !== 'prepaid') return;
    const start = payment?.occurredAt ?? new Date();
    const rows: unknown[] = await manager.query(
      `INSERT INTO subscriptions (supporter_id, kind, billing, tier_code, amount, currency, status, stripe_customer_id, current_period_start, current_period_end, delivery_address, checkout_id, campaign_id)
       VALUES ($1, 'subscription', 'prepaid', $2, $3, $4, 'active', $5, $6, $6::timestamptz + make_interval(months => $7), $8, $9, $10)
       ON CONFLICT (checkout_id) DO NOTHING RETURNING id`,
      [supporter.id, checkout.tierCode, checkout.amount, checkout.currency, stripeId(session.customer), start, checkout.prepaidMonths, checkout.deliveryAddress ? JSON.stringify(checkout.deliveryAddress) : null, checkout.id, checkout.campaignId],
    );
    return rows.length ? `prepaid ${checkout.tierCode} for ${checkout.prepaidMonths} months granted` : undefined;
  }

  /** What the website's paywall asks: is this reader an active digital / print subscriber, until when. */
  async entitlements(email: string, at: Date = new Date()): Promise<EntitlementsDto> {
    const supporter = await this.supporters.findByEmail(email);
    const subs = supporter ? await this.subscriptions.find({ where: { supporterId: supporter.id, kind: 'subscription' } }) : [];
    const grants = grantsAt(subs, await this.tiers.entitlementsByTier(), at, this.config.PAST_DUE_GRACE_DAYS);
    return {
      email,
      digital: grants.some((g) => g.code === 'digital'),
      print: grants.some((g) => g.code === 'print'),
      entitlements: grants.map((g) => ({ code: g.code, until: g.until.toISOString(), status: g.status, tier: g.tier, billing: g.billing })),
      at: at.toISOString(),
    };
  }

  /** A subscriber changes where their print edition is posted (checked against their own link). */
  async changeDeliveryAddress(supporterId: string, subscriptionId: string, address: AddressDto): Promise<{ id: string; tier: string | null; deliveryAddress: AddressDto }> {
    const sub = isUuid(subscriptionId) ? await this.subscriptions.findOneBy({ id: subscriptionId }) : null;
    if (!sub || sub.supporterId !== supporterId) throw new DomainError('NOT_FOUND', `subscription ${subscriptionId} does not exist`, 'id');
    await this.subscriptions.update({ id: sub.id }, { deliveryAddress: { ...address } });
    return { id: sub.id, tier: sub.tierCode, deliveryAddress: { ...address } };
  }
}
