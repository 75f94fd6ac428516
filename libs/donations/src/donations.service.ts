import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { DomainError, formatMoney } from '@app/common';
import { AppConfig } from '@app/config';
import { CampaignsService } from '@app/campaigns';
import type { Channel } from '@app/ledger';
import { StripeGateway } from '@app/stripe';
import { Checkout } from './checkout.entity';
import { CheckoutCreatedDto, CheckoutStatusDto, CreateDonationDto } from './create-donation.dto';

@Injectable()
export class DonationsService {
  private readonly logger = new Logger('Donations');

  constructor(
    @InjectRepository(Checkout) private readonly checkouts: Repository<Checkout>,
    private readonly campaigns: CampaignsService,
    private readonly stripe: StripeGateway,
    private readonly config: AppConfig,
  ) {}

  /** Bounds are configuration, so they are checked here rather than in the DTO. */
  assertAmountInBounds(amount: number): void {
    const currency = this.config.CURRENCY;
    if (amount < this.config.DONATION_MIN_AMOUNT) {
      throw new DomainError('DONATION_AMOUNT_TOO_SMALL', `amount must be at least ${this.config.DONATION_MIN_AMOUNT} (${formatMoney({ amount: this.config.DONATION_MIN_AMOUNT, currency })} ${currency})`, 'amount');
    }
    if (amount > this.config.DONATION_MAX_AMOUNT) {
      throw new DomainError('DONATION_AMOUNT_TOO_LARGE', `amount must be at most ${this.config.DONATION_MAX_AMOUNT} (${formatMoney({ amount: this.config.DONATION_MAX_AMOUNT, currency })} ${currency})`, 'amount');
    }
  }

  /**
   * Starts a donation: records what was asked for, then opens a Stripe Checkout session
   * (payment mode) whose metadata links back to the record. The webhook records the money.
   */
  async create(dto: CreateDonationDto, channel: Channel = 'online'): Promise<CheckoutCreatedDto> {
    this.assertAmountInBounds(dto.amount);
    if (dto.frequency !== 'one_off') {
      throw new DomainError('FREQUENCY_NOT_SUPPORTED', 'monthly donations are not available yet; use frequency "one_off"', 'frequency');
    }
    const campaign = await this.campaigns.resolveForDonation(dto.campaign);
    const currency = this.config.CURRENCY;
    if (campaign && campaign.currency !== currency) {
      throw new DomainError('CAMPAIGN_CURRENCY_MISMATCH', `campaign "${campaign.slug}" collects ${campaign.currency}, this service takes ${currency}`, 'campaign');
    }
    const checkout = await this.checkouts.save(
      this.checkouts.create({
        id: randomUUID(),
        purpose: 'donation',
        frequency: dto.frequency,
        channel,
        amount: dto.amount,
        currency,
        email: dto.email,
        name: dto.name ?? null,
        campaignId: campaign?.id ?? null,
        status: 'creating',
      }),
    );
    const metadata = { checkout_id: checkout.id, purpose: 'donation', frequency: dto.frequency, channel, campaign: campaign?.slug ?? '' };
    const base = this.config.PUBLIC_BASE_URL.replace(/\/$/, '');
    try {
      const session = await this.stripe.createCheckoutSession(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: currency.toLowerCase(),
                unit_amount: dto.amount,
                product_data: { name: campaign ? `Donation: ${campaign.title}` : 'Donation' },
              },
            },
          ],
          customer_email: dto.email,
          customer_creation: 'always',
          client_reference_id: checkout.id,
          submit_type: 'donate',
          metadata,
          payment_intent_data: { metadata, description: campaign ? `Donation: ${campaign.title}` : 'Donation' },
          success_url: `${base}/checkout/complete?checkout=${checkout.id}&session_id={CHECKOUT_SESSION_ID}`,
          cancel_url: `${base}/checkout/cancelled?checkout=${checkout.id}`,
        },
        `checkout-session:${checkout.id}`,
      );
      await this.checkouts.update({ id: checkout.id }, { status: 'open', stripeSessionId: session.id, checkoutUrl: session.url });
      return { id: checkout.id, checkoutUrl: session.url! };
    } catch (err) {
      await this.checkouts.update({ id: checkout.id }, { status: 'failed', failureReason: String((err as Error).message ?? err).slice(0, 500) });
      this.logger.error(`checkout ${checkout.id}: Stripe session not created: ${(err as Error).message}`);
      throw err;
    }
  }

  async status(id: string): Promise<CheckoutStatusDto> {
    const checkout = /^[0-9a-f-]{36}$/i.test(id) ? await this.checkouts.findOneBy({ id }) : null;
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
