import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '@app/common';
import { toSafeInt } from '@app/database';
import { Campaign } from './campaign.entity';
import { CampaignProgressDto } from './campaign-progress.dto';

export const CURRENT_CAMPAIGN_SLUG = 'current';

/** percent with two decimals, computed on integers (basis points) and rounded down. */
export function progressPercent(raised: number, target: number): number {
  if (target <= 0) return 0;
  const basisPoints = (BigInt(Math.max(raised, 0)) * 10000n) / BigInt(target);
  return Number(basisPoints) / 100;
}

@Injectable()
export class CampaignsService {
  constructor(@InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>) {}

  /** `current` resolves to the site's current campaign. */
  async findBySlug(slug: string, manager: EntityManager = this.campaigns.manager): Promise<Campaign | null> {
    if (slug === CURRENT_CAMPAIGN_SLUG) return manager.findOneBy(Campaign, { isCurrent: true });
    return manager.findOneBy(Campaign, { slug });
  }

  async findById(id: string, manager: EntityManager = this.campaigns.manager): Promise<Campaign | null> {
    return manager.findOneBy(Campaign, { id });
  }

  /** The campaign a donation counts toward: the named one, or the current one when none is named. */
  async resolveForDonation(slug: string | undefined): Promise<Campaign | null> {
    const campaign = await this.findBySlug(slug ?? CURRENT_CAMPAIGN_SLUG);
    if (!campaign && slug) throw new DomainError('UNKNOWN_CAMPAIGN', `campaign "${slug}" does not exist`, 'campaign');
    return campaign;
  }

  /**
   * Progress from the ledger: the gross of the entries whose type counts toward the campaign,
   * refunds, reversals and lost disputes included as the negative entries they are; fees are
   * not subtracted. `supporters` counts distinct supporters with a payment toward it. Only
   * entries in the campaign's currency count (cents of different currencies never add up).
   */
  async progress(slug: string): Promise<CampaignProgressDto> {
    const campaign = await this.findBySlug(slug);
    if (!campaign) throw new DomainError('CAMPAIGN_NOT_FOUND', `campaign "${slug}" does not exist`, 'slug');
    const [row] = await this.campaigns.manager.query(
      `SELECT COALESCE(SUM(gross), 0) AS raised,
              COUNT(DISTINCT supporter_id) FILTER (WHERE kind = 'payment') AS supporters
         FROM ledger_entries
        WHERE campaign_id = $1 AND type = ANY($2::text[]) AND currency = $3`,
      [campaign.id, campaign.countedTypes, campaign.currency],
    );
    const raised = toSafeInt(row.raised);
    return {
      slug: campaign.slug,
      title: campaign.title,
      currency: campaign.currency.trim(),
      target: campaign.targetAmount,
      raised,
      percent: progressPercent(raised, campaign.targetAmount),
      supporters: toSafeInt(row.supporters),
      endsAt: campaign.endsAt ? campaign.endsAt.toISOString() : null,
    };
  }
}
