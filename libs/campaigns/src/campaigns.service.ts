import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { Actor, AuditService } from '@app/staff';
import { Campaign } from './campaign.entity';
import { CampaignDto, CreateCampaignDto, UpdateCampaignDto } from './campaign.dto';
import { CampaignProgressDto } from './campaign-progress.dto';
import { CURRENT_CAMPAIGN_SLUG, isSlug, ProgressBoard, ProgressSnapshot } from './progress-board.service';

function toDto(c: Campaign): CampaignDto {
  return {
    id: c.id,
    slug: c.slug,
    title: c.title,
    currency: c.currency.trim(),
    target: c.targetAmount,
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt ? c.endsAt.toISOString() : null,
    countedTypes: c.countedTypes,
    current: c.isCurrent,
  };
}

@Injectable()
export class CampaignsService {
  constructor(
    @InjectRepository(Campaign) private readonly campaigns: Repository<Campaign>,
    private readonly board: ProgressBoard,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** `current` resolves to the site's current campaign. */
  async findBySlug(slug: string, manager: EntityManager = this.campaigns.manager): Promise<Campaign | null> {
    if (!isSlug(slug)) return null;
    if (slug === CURRENT_CAMPAIGN_SLUG) return manager.findOneBy(Campaign, { isCurrent: true });
    return manager.findOneBy(Campaign, { slug });
  }

  async findById(id: string, manager: EntityManager = this.campaigns.manager): Promise<Campaign | null> {
    return manager.findOneBy(Campaign, { id });
  }

  /**
   * The campaign a donation counts toward: the named one, or the current one when none is named
   * (or `current`). A campaign named by its slug must be running: one whose end has passed is
   * refused (CAMPAIGN_ENDED), one that has not started yet too (CAMPAIGN_NOT_STARTED), rather
   * than counted silently toward a target nobody shows any more. The current campaign is never
   * refused: it is where the site sends its readers.
   */
  async resolveForDonation(slug: string | undefined, at: Date = new Date()): Promise<Campaign | null> {
    const campaign = await this.findBySlug(slug ?? CURRENT_CAMPAIGN_SLUG);
    if (!campaign && slug) throw new DomainError('UNKNOWN_CAMPAIGN', `campaign "${slug}" does not exist`, 'campaign');
    if (campaign && slug && slug !== CURRENT_CAMPAIGN_SLUG) {
      if (campaign.endsAt && campaign.endsAt.getTime() <= at.getTime()) {
        throw new DomainError(
          'CAMPAIGN_ENDED',
          `campaign "${slug}" ended on ${campaign.endsAt.toISOString()}; give to the current campaign (leave campaign out)`,
          'campaign',
        );
      }
      if (campaign.startsAt.getTime() > at.getTime()) {
        throw new DomainError(
          'CAMPAIGN_NOT_STARTED',
          `campaign "${slug}" starts on ${campaign.startsAt.toISOString()}`,
          'campaign',
        );
      }
    }
    return campaign;
  }

  /** Progress toward the target, from the in-memory board (no ledger query per call). */
  async snapshot(slug: string): Promise<ProgressSnapshot> {
    const snapshot = await this.board.get(slug);
    if (!snapshot) throw new DomainError('CAMPAIGN_NOT_FOUND', `campaign "${slug}" does not exist`, 'slug');
    return snapshot;
  }

  async progress(slug: string): Promise<CampaignProgressDto> {
    return (await this.snapshot(slug)).progress;
  }

  async list(): Promise<CampaignDto[]> {
    const all = await this.campaigns.find({ order: { startsAt: 'DESC', slug: 'ASC' } });
    return all.map(toDto);
  }

  async get(slug: string): Promise<CampaignDto> {
    const campaign = await this.findBySlug(slug);
    if (!campaign) throw new DomainError('CAMPAIGN_NOT_FOUND', `campaign "${slug}" does not exist`, 'slug');
    return toDto(campaign);
  }

  async create(dto: CreateCampaignDto, actor: Actor): Promise<CampaignDto> {
    const created = await this.campaigns.manager.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('campaigns', 0))`);
      if (await m.findOneBy(Campaign, { slug: dto.slug })) {
        throw new DomainError('CAMPAIGN_SLUG_TAKEN', `campaign "${dto.slug}" already exists`, 'slug');
      }
      const startsAt = dto.startsAt ?? new Date();
      assertPeriod(startsAt, dto.endsAt ?? null);
      if (dto.current) await m.query(`UPDATE campaigns SET is_current = false, updated_at = now() WHERE is_current`);
      const [row] = await m.query(
        `INSERT INTO campaigns (slug, title, currency, target_amount, starts_at, ends_at, counted_types, is_current)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          dto.slug,
          dto.title,
          this.config.CURRENCY,
          dto.target,
          startsAt,
          dto.endsAt ?? null,
          dto.countedTypes ?? ['donation', 'monthly_donation'],
          dto.current ?? false,
        ],
      );
      const campaign = toDto(await m.findOneByOrFail(Campaign, { id: row.id }));
      await this.audit.record(
        actor,
        { action: 'campaign.create', entityType: 'campaign', entityId: campaign.id, after: campaign },
        m,
      );
      return campaign;
    });
    await this.board.invalidate();
    return created;
  }

  async update(slug: string, dto: UpdateCampaignDto, actor: Actor): Promise<CampaignDto> {
    const updated = await this.campaigns.manager.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended('campaigns', 0))`);
      const campaign = await this.findBySlug(slug, m);
      if (!campaign) throw new DomainError('CAMPAIGN_NOT_FOUND', `campaign "${slug}" does not exist`, 'slug');
      const before = toDto(campaign);
      const startsAt = dto.startsAt ?? campaign.startsAt;
      const endsAt = dto.endsAt === undefined ? campaign.endsAt : dto.endsAt;
      assertPeriod(startsAt, endsAt);
      if (dto.current === false && campaign.isCurrent) {
        throw new DomainError(
          'CAMPAIGN_INVALID',
          'a campaign stops being current when another one is made current',
          'current',
        );
      }
      if (dto.current && !campaign.isCurrent) {
        await m.query(`UPDATE campaigns SET is_current = false, updated_at = now() WHERE is_current`);
      }
      await m.query(
        `UPDATE campaigns SET title = $2, target_amount = $3, starts_at = $4, ends_at = $5, counted_types = $6, is_current = $7, updated_at = now() WHERE id = $1`,
        [
          campaign.id,
          dto.title ?? campaign.title,
          dto.target ?? campaign.targetAmount,
          startsAt,
          endsAt,
          dto.countedTypes ?? campaign.countedTypes,
          dto.current ?? campaign.isCurrent,
        ],
      );
      const after = toDto(await m.findOneByOrFail(Campaign, { id: campaign.id }));
      await this.audit.record(
        actor,
        { action: 'campaign.update', entityType: 'campaign', entityId: campaign.id, before, after },
        m,
      );
      return after;
    });
    await this.board.invalidate();
    return updated;
  }
}

function assertPeriod(startsAt: Date, endsAt: Date | null): void {
  if (endsAt && endsAt.getTime() <= startsAt.getTime()) {
    throw new DomainError('CAMPAIGN_INVALID', 'endsAt must be after startsAt', 'endsAt');
  }
}
