import { isUuid } from '@app/common';
import { Injectable } from '@nestjs/common';
import { DomainError, formatMoney } from '@app/common';
import { AppConfig } from '@app/config';
import { CampaignsService } from '@app/campaigns';
import type { Channel } from '@app/ledger';
import { MONTHLY_DONATION_PRODUCT, StripePriceCatalog } from '@app/stripe';
import { CheckoutSessionsService } from './checkout-sessions.service';
import { CheckoutsRepository } from './checkouts.repository';
import { CheckoutCreatedDto, CheckoutStatusDto, CreateDonationDto } from './create-donation.dto';

@Injectable()
export class DonationsService {
  constructor(
    private readonly checkouts: CheckoutsRepository,
    private readonly campaigns: CampaignsService,
    private readonly sessions: CheckoutSessionsService,
    private readonly prices: StripePriceCatalog,
    private readonly config: AppConfig,
  ) {}

  /** Bounds are configuration, so they are checked here rather than in the DTO. */
  assertAmountInBounds(amount: number): void {
    const currency = this.config.CURRENCY;
    if (amount < this.config.DONATION_MIN_AMOUNT) {
      throw new DomainError(
        'DONATION_AMOUNT_TOO_SMALL',
        `amount must be at least ${this.config.DONATION_MIN_AMOUNT} (${formatMoney({ amount: this.config.DONATION_MIN_AMOUNT, currency })} ${currency})`,
        'amount',
      );
    }
    if (amount > this.config.DONATION_MAX_AMOUNT) {
      throw new DomainError(
        'DONATION_AMOUNT_TOO_LARGE',
        `amount must be at most ${this.config.DONATION_MAX_AMOUNT} (${formatMoney({ amount: this.config.DONATION_MAX_AMOUNT, currency })} ${currency})`,
        'amount',
      );
    }
  }

  /**
   * Starts a donation: records what was asked for, then opens a Stripe Checkout session whose
   * metadata links back to the record; the webhook records the money. One-off: payment mode.
   * Monthly: subscription mode, the amount an inline price (`price_data`) on one shared product.
   */
  async create(dto: CreateDonationDto, channel: Channel = 'online'): Promise<CheckoutCreatedDto> {
    this.assertAmountInBounds(dto.amount);
    const campaign = await this.campaigns.resolveForDonation(dto.campaign);
    const currency = this.config.CURRENCY;
    if (campaign && campaign.currency !== currency) {
      throw new DomainError(
        'CAMPAIGN_CURRENCY_MISMATCH',
        `campaign "${campaign.slug}" collects ${campaign.currency}, this service takes ${currency}`,
        'campaign',
      );
    }
    const productName = campaign ? `Donation: ${campaign.title}` : 'Donation';
    const monthly = dto.frequency === 'monthly';
    // Any amount a reader types: an inline price at Checkout on one shared product, so that
    // nothing is added to Stripe's catalogue per request (the price exists only with its session).
    const productId = monthly ? await this.prices.sharedProduct(MONTHLY_DONATION_PRODUCT) : null;
    return this.sessions.open(
      {
        purpose: 'donation',
        frequency: dto.frequency,
        channel,
        amount: dto.amount,
        currency,
        email: dto.email,
        name: dto.name ?? null,
        campaignId: campaign?.id ?? null,
        tierCode: null,
        prepaidMonths: null,
        deliveryAddress: null,
        stripePriceId: null,
      },
      (checkout) => {
        const metadata = {
          checkout_id: checkout.id,
          purpose: 'donation',
          frequency: dto.frequency,
          channel,
          campaign: campaign?.slug ?? '',
        };
        const common = {
          customer_email: dto.email,
          client_reference_id: checkout.id,
          metadata,
          ...this.sessions.returnUrls(checkout.id),
        };
        if (monthly) {
          const line = {
            quantity: 1,
            price_data: {
              currency: currency.toLowerCase(),
              unit_amount: dto.amount,
              product: productId!,
              recurring: { interval: 'month' as const },
            },
          };
          return {
            ...common,
            mode: 'subscription',
            line_items: [line],
            subscription_data: { metadata, description: `Monthly donation${campaign ? `: ${campaign.title}` : ''}` },
          };
        }
        return {
          ...common,
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: currency.toLowerCase(),
                unit_amount: dto.amount,
                product_data: { name: productName },
              },
            },
          ],
          customer_creation: 'always',
          submit_type: 'donate',
          payment_intent_data: { metadata, description: productName },
        };
      },
    );
  }

  async status(id: string): Promise<CheckoutStatusDto> {
    const checkout = isUuid(id) ? await this.checkouts.findById(id) : null;
    if (!checkout) throw new DomainError('NOT_FOUND', `donation ${id} does not exist`, 'id');
    const campaign = checkout.campaignId ? await this.campaigns.findById(checkout.campaignId) : null;
    return {
      id: checkout.id,
      status: checkout.status,
      frequency: checkout.frequency,
      amount: checkout.amount,
      currency: checkout.currency,
      campaign: campaign?.slug ?? null,
      completedAt: checkout.completedAt ? checkout.completedAt.toISOString() : null,
    };
  }
}
