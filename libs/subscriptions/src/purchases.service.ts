import { Injectable } from '@nestjs/common';
import { isUuid } from '@app/common';
import { CampaignsService } from '@app/campaigns';
import { CheckoutsRepository, type CheckoutFrequency, type CheckoutStatus, type PostalAddress } from '@app/donations';
import { SubscriptionsRepository } from './subscriptions.repository';
import { TiersService } from './tiers.service';

/**
 * What a reader bought through one checkout, as the thank-you and cancelled pages say it: the
 * checkout as asked for and, once paid, the subscription it started (its period and address).
 */
export interface PurchaseSummary {
  id: string;
  status: CheckoutStatus;
  purpose: 'donation' | 'subscription';
  frequency: CheckoutFrequency;
  amount: number;
  currency: string;
  campaign: { slug: string; title: string; current: boolean } | null;
  tier: { code: string; name: string } | null;
  prepaidMonths: number | null;
  deliveryAddress: PostalAddress | null;
  completedAt: Date | null;
  /** The subscription (or monthly donation) the payment started, once its webhook has arrived. */
  subscription: {
    currentPeriodStart: Date | null;
    currentPeriodEnd: Date | null;
    deliveryAddress: PostalAddress | null;
  } | null;
}

/** Reads only: the checkout's owner and the subscriptions' owner answer for their rows. */
@Injectable()
export class PurchasesService {
  constructor(
    private readonly checkouts: CheckoutsRepository,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly tiers: TiersService,
    private readonly campaigns: CampaignsService,
  ) {}

  /** The purchase of a checkout id, or null when there is no such checkout. */
  async summary(checkoutId: string): Promise<PurchaseSummary | null> {
    const checkout = isUuid(checkoutId) ? await this.checkouts.findById(checkoutId) : null;
    if (!checkout) return null;
    const [campaign, tier, sub] = await Promise.all([
      checkout.campaignId ? this.campaigns.findById(checkout.campaignId) : null,
      checkout.tierCode ? this.tiers.get(checkout.tierCode).catch(() => null) : null,
      checkout.status === 'complete' && (checkout.purpose === 'subscription' || checkout.frequency === 'monthly')
        ? this.subscriptions.findByCheckoutId(checkout.id)
        : null,
    ]);
    return {
      id: checkout.id,
      status: checkout.status,
      purpose: checkout.purpose,
      frequency: checkout.frequency,
      amount: checkout.amount,
      currency: checkout.currency.trim(),
      campaign: campaign ? { slug: campaign.slug, title: campaign.title, current: campaign.isCurrent } : null,
      tier: checkout.tierCode ? { code: checkout.tierCode, name: tier?.name ?? checkout.tierCode } : null,
      prepaidMonths: checkout.prepaidMonths,
      deliveryAddress: checkout.deliveryAddress,
      completedAt: checkout.completedAt,
      subscription: sub
        ? {
            currentPeriodStart: sub.currentPeriodStart,
            currentPeriodEnd: sub.currentPeriodEnd,
            deliveryAddress: sub.deliveryAddress,
          }
        : null,
    };
  }
}
