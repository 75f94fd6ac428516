import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '@app/common';
import { Tier } from './tier.entity';
import { TierDto, UpdateTierPriceDto } from './subscription.dto';

export function toTierDto(t: Tier): TierDto {
  return {
    code: t.code,
    name: t.name,
    description: t.description,
    monthlyAmount: t.monthlyAmount,
    currency: t.currency,
    prepaidOptions: [{ months: t.prepaidMonths, amount: t.prepaidAmount }],
    requiresDeliveryAddress: t.requiresDeliveryAddress,
    includes: t.entitlements,
  };
}

@Injectable()
export class TiersService {
  constructor(@InjectRepository(Tier) private readonly tiers: Repository<Tier>) {}

  async list(): Promise<TierDto[]> {
    return (await this.tiers.find({ order: { sortOrder: 'ASC', code: 'ASC' } })).map(toTierDto);
  }

  async get(code: string, field = 'tier'): Promise<Tier> {
    const tier = /^[a-z][a-z0-9_]{0,39}$/.test(code) ? await this.tiers.findOneBy({ code }) : null;
    if (!tier) throw new DomainError('UNKNOWN_TIER', `tier "${code}" does not exist`, field);
    return tier;
  }

  async entitlementsByTier(): Promise<Map<string, string[]>> {
    return new Map((await this.tiers.find()).map((t) => [t.code, t.entitlements]));
  }

  /**
   * A new price for new sign-ups. Stripe prices are keyed by amount, so the next checkout of this
   * tier uses (or creates) a price at the new amount; existing subscriptions keep theirs.
   */
  async updatePrice(code: string, dto: UpdateTierPriceDto): Promise<{ before: TierDto; after: TierDto }> {
    const tier = await this.get(code, 'code');
    const before = toTierDto(tier);
    const months = dto.prepaidMonths ?? tier.prepaidMonths;
    tier.monthlyAmount = dto.monthlyAmount;
    tier.prepaidMonths = months;
    tier.prepaidAmount = dto.prepaidAmount ?? months * dto.monthlyAmount;
    await this.tiers.save(tier);
    return { before, after: toTierDto(tier) };
  }
}
