import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { assertIdempotencyKey, Clock, DomainError, formatMoney, isUuid, localDate } from '@app/common';
import { AppConfig } from '@app/config';
import { CampaignsService } from '@app/campaigns';
import type { PostalAddress } from '@app/donations';
import { LedgerService } from '@app/ledger';
import { ReceiptsService } from '@app/receipts';
import { Actor, AuditService } from '@app/staff';
import { Subscription, SubscriptionsRepository, Tier, TiersService } from '@app/subscriptions';
import { SupporterRecordsService } from '@app/supporters';
import { assertCallerNamed, callerRecord } from './caller';
import { canonicalJson } from './idempotent-request';
import { PhoneRequestsRepository } from './phone-requests.repository';
import {
  ComplimentarySubscriptionDto,
  CreateComplimentarySubscriptionDto,
  CreateOfflineSubscriptionDto,
  OfflineSubscriptionResultDto,
  StaffSubscriptionDto,
} from './offline-subscription.dto';

export interface OfflineSubscriptionResult {
  status: number;
  body: OfflineSubscriptionResultDto;
  replayed: boolean;
}

/** The price of `months` of a tier paid offline: its prepaid option at its price, other counts at the monthly price. */
export function offlinePrice(tier: Pick<Tier, 'prepaidMonths' | 'prepaidAmount' | 'monthlyAmount'>, months?: number) {
  const m = months ?? tier.prepaidMonths;
  return { months: m, amount: m === tier.prepaidMonths ? tier.prepaidAmount : m * tier.monthlyAmount };
}

function toDto(sub: Subscription): StaffSubscriptionDto {
  return {
    subscriptionId: sub.id,
    supporterId: sub.supporterId,
    origin: sub.origin,
    tier: sub.tierCode!,
    status: sub.status,
    startsAt: sub.currentPeriodStart!.toISOString(),
    endsAt: sub.currentPeriodEnd?.toISOString() ?? null,
    deliveryAddress: sub.deliveryAddress ? { ...sub.deliveryAddress } : null,
  };
}

/**
 * Subscriptions staff record without Checkout:
 *
 * - Offline: paid in cash, by cheque or transfer on the phone line. One `prepaid_subscription`
 *   ledger entry (channel `phone`, idempotent per operator and Idempotency-Key, as phone
 *   donations), a receipt when there is an email on file, and an `offline` subscription row that
 *   runs from now (or from the end of a prepaid period the reader already has) for the months
 *   paid. A payment while an offline subscription of the tier still runs renews it: its end moves
 *   on. Voiding or reversing the entry takes the months away again (CorrectionsService).
 * - Complimentary (admin): access without money, for a reason, until a date or for good.
 */
@Injectable()
export class OfflineSubscriptionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tiers: TiersService,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly records: SupporterRecordsService,
    private readonly campaigns: CampaignsService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly receipts: ReceiptsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly requests: PhoneRequestsRepository,
  ) {}

  async record(
    key: string | undefined,
    dto: CreateOfflineSubscriptionDto,
    actor: Actor,
  ): Promise<OfflineSubscriptionResult> {
    assertCallerNamed(dto);
    assertIdempotencyKey(key);
    const staffId = actor.staffId;
    if (!staffId) {
      throw new DomainError(
        'UNAUTHORIZED',
        'offline subscriptions are recorded by a signed-in staff member',
        'Authorization',
      );
    }
    // The operator's keys are shared with phone donations (`phone_requests`): the route is part of the hash.
    const hash = createHash('sha256')
      .update(`offline-subscription:${canonicalJson(dto)}`)
      .digest('hex');
    return this.requests.once(staffId, key, hash, async () => ({
      status: 201,
      body: await this.dataSource.transaction((m) => this.perform(m, key, dto, actor)),
    }));
  }

  private async perform(
    m: EntityManager,
    key: string,
    dto: CreateOfflineSubscriptionDto,
    actor: Actor,
  ): Promise<OfflineSubscriptionResultDto> {
    const tier = await this.tiers.get(dto.tier);
    const { months, amount } = offlinePrice(tier, dto.months);
    if (dto.amount !== undefined && dto.amount !== amount) {
      throw new DomainError(
        'OFFLINE_AMOUNT_MISMATCH',
        `amount ${formatMoney({ amount: dto.amount, currency: tier.currency })} is not the price of ${months} months of ${tier.code} (${formatMoney({ amount, currency: tier.currency })})`,
        'amount',
      );
    }
    const now = this.clock.now();
    const supporterId = await callerRecord(this.records, m, dto, actor);
    const live = await this.lockTier(m, supporterId, tier.code, now);
    const monthly = live.find((s) => s.billing === 'monthly');
    if (monthly) {
      throw new DomainError(
        'SUBSCRIPTION_ALREADY_ACTIVE',
        `the supporter already pays for ${tier.code} monthly by card (subscription ${monthly.id}); cancel it first`,
        'tier',
      );
    }
    const renewing = live.find((s) => s.origin === 'offline') ?? null;
    // After a prepaid period the reader already has (online), not alongside it.
    const paidUntil = live
      .filter((s) => s.billing === 'prepaid' && s.currentPeriodEnd)
      .reduce<Date>((latest, s) => (s.currentPeriodEnd! > latest ? s.currentPeriodEnd! : latest), now);
    const deliveryAddress = await this.deliveryAddress(m, tier, supporterId, dto, renewing);
    const campaign = await this.campaigns.findBySlug('current');
    const recorded = await this.ledger.record(
      {
        idempotencyKey: `offline-subscription:${actor.staffId}:${key}`,
        kind: 'payment',
        type: 'prepaid_subscription',
        channel: 'phone',
        method: dto.method,
        gross: amount,
        fee: 0,
        currency: tier.currency,
        supporterId,
        campaignId: campaign?.id ?? null,
        staffId: actor.staffId,
        reference: dto.reference ?? null,
        description: `${tier.name}, ${months} months${dto.note ? `: ${dto.note}` : ''}`,
        occurredAt: now,
      },
      m,
    );
    const entry = recorded.entry!;
    const period = { ledgerEntryId: entry.id, months, amount };
    let sub: Subscription;
    if (renewing) {
      sub = await this.subscriptions.addOfflinePeriod(m, renewing.id, period);
      if (dto.deliveryAddress && deliveryAddress) {
        await this.subscriptions.setDeliveryAddress(m, sub.id, deliveryAddress);
        sub.deliveryAddress = deliveryAddress;
      }
    } else {
      sub = await this.subscriptions.insertOffline(m, {
        supporterId,
        tierCode: tier.code,
        currency: tier.currency,
        start: paidUntil,
        deliveryAddress,
        campaignId: campaign?.id ?? null,
        period,
      });
    }
    const contact = await this.records.contact(supporterId, m);
    const receipt = contact.email !== null && contact.emailReceipts;
    // Every payment has its receipt, numbered with it; emailed when `receipt`.
    const issued = await this.issueReceipt(m, tier, {
      entryId: entry.id,
      months,
      renewed: renewing !== null,
      endsAt: sub.currentPeriodEnd,
    });
    const body: OfflineSubscriptionResultDto = {
      ...toDto(sub),
      entryId: entry.id,
      renewed: renewing !== null,
      months,
      amount: entry.gross,
      currency: entry.currency,
      method: dto.method,
      reference: entry.reference,
      receiptEmailed: receipt,
      receiptNumber: issued,
    };
    await this.audit.record(
      actor,
      {
        action: renewing ? 'offline_subscription.renew' : 'offline_subscription.create',
        entityType: 'subscription',
        entityId: sub.id,
        before: renewing ? { endsAt: renewing.currentPeriodEnd?.toISOString() ?? null } : undefined,
        after: { ...body, supporter: dto.supporter, note: dto.note ?? null },
      },
      m,
    );
    await this.requests.complete(m, actor.staffId!, key, 201, body);
    return body;
  }

  /**
   * Serialises offline and complimentary grants of one reader and tier (an advisory lock on the
   * record), then answers the group's live subscriptions of the tier, locked.
   */
  private async lockTier(m: EntityManager, supporterId: string, tierCode: string, at: Date): Promise<Subscription[]> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `staff-subscription:${supporterId}:${tierCode}`,
    ]);
    return this.subscriptions.liveForTier(m, supporterId, tierCode, at);
  }

  /**
   * Where a print edition goes: the address given for it, else the caller's address given in this
   * request, the renewed subscription's, or the record's postal address; print without one is refused.
   */
  private async deliveryAddress(
    m: EntityManager,
    tier: Tier,
    supporterId: string,
    dto: { deliveryAddress?: PostalAddress; supporter?: { address?: PostalAddress } },
    renewing: Subscription | null,
  ): Promise<PostalAddress | null> {
    if (!tier.requiresDeliveryAddress) return null;
    const given = dto.deliveryAddress ?? dto.supporter?.address ?? renewing?.deliveryAddress;
    const address = given ?? ((await this.records.record(supporterId, m)).address as PostalAddress | null);
    if (!address) {
      throw new DomainError(
        'DELIVERY_ADDRESS_REQUIRED',
        `deliveryAddress is required for the ${tier.code} edition (the supporter has no postal address on file)`,
        'deliveryAddress',
      );
    }
    return { ...address };
  }

  /** The payment's receipt (numbered now, emailed when the record allows); answers its number. */
  private async issueReceipt(
    m: EntityManager,
    tier: Tier,
    r: { entryId: string; months: number; renewed: boolean; endsAt: Date | null },
  ): Promise<number> {
    const zone = this.config.REPORT_TIME_ZONE;
    const until = r.endsAt ? localDate(new Date(r.endsAt.getTime() - 1), zone) : '(no end)';
    const receipt = await this.receipts.issueNow(m, r.entryId, {
      tierName: tier.name,
      months: r.months,
      for: `${tier.name}, ${r.months} months${r.renewed ? ' (renewal)' : ''}`,
      note: `${r.renewed ? 'Your subscription is renewed' : 'Your subscription runs'} until ${until} inclusive.`,
    });
    return receipt!.number;
  }

  /** Admin: a complimentary subscription (no money), audited. One active per reader and tier. */
  async grantComplimentary(
    dto: CreateComplimentarySubscriptionDto,
    actor: Actor,
  ): Promise<ComplimentarySubscriptionDto> {
    assertCallerNamed(dto);
    const tier = await this.tiers.get(dto.tier);
    const now = this.clock.now();
    const end = dto.endsOn === undefined ? null : await this.endOfLocalDay(dto.endsOn, now);
    return this.dataSource.transaction(async (m) => {
      const supporterId = await callerRecord(this.records, m, dto, actor);
      const live = await this.lockTier(m, supporterId, tier.code, now);
      const existing = live.find((s) => s.origin === 'complimentary');
      if (existing) {
        throw new DomainError(
          'SUBSCRIPTION_ALREADY_ACTIVE',
          `the supporter already has a complimentary ${tier.code} subscription (${existing.id}); end it first`,
          'tier',
        );
      }
      const deliveryAddress = await this.deliveryAddress(m, tier, supporterId, dto, null);
      const sub = await this.subscriptions.insertComplimentary(m, {
        supporterId,
        tierCode: tier.code,
        currency: tier.currency,
        reason: dto.reason,
        start: now,
        end,
        deliveryAddress,
      });
      const body: ComplimentarySubscriptionDto = { ...toDto(sub), reason: dto.reason };
      await this.audit.record(
        actor,
        {
          action: 'complimentary_subscription.grant',
          entityType: 'subscription',
          entityId: sub.id,
          after: { ...body, supporter: dto.supporter },
        },
        m,
      );
      return body;
    });
  }

  /** Admin: ends a complimentary subscription now, audited. */
  async endComplimentary(id: string, reason: string, actor: Actor): Promise<ComplimentarySubscriptionDto> {
    return this.dataSource.transaction(async (m) => {
      const found = isUuid(id) ? await this.subscriptions.findById(id, m) : null;
      if (!found || found.origin !== 'complimentary') {
        throw new DomainError('NOT_FOUND', `complimentary subscription ${id} does not exist`, 'id');
      }
      const ended = await this.subscriptions.endComplimentary(m, id);
      if (!ended) {
        throw new DomainError('SUBSCRIPTION_ALREADY_ENDED', `complimentary subscription ${id} has already ended`, 'id');
      }
      const body: ComplimentarySubscriptionDto = { ...toDto(ended), reason: ended.reason ?? '' };
      await this.audit.record(
        actor,
        {
          action: 'complimentary_subscription.end',
          entityType: 'subscription',
          entityId: id,
          before: { status: found.status, endsAt: found.currentPeriodEnd?.toISOString() ?? null },
          after: { status: ended.status, endedAt: ended.endedAt?.toISOString() ?? null, reason },
        },
        m,
      );
      return body;
    });
  }

  /** The instant local day `day` (REPORT_TIME_ZONE) ends; refused unless a real date after now. */
  private async endOfLocalDay(day: string, now: Date): Promise<Date> {
    const d = new Date(`${day}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) {
      throw new DomainError('VALIDATION_FAILED', 'endsOn must be a real date (YYYY-MM-DD)', 'endsOn');
    }
    const [row] = await this.dataSource.query(`SELECT (($1::date + 1)::timestamp AT TIME ZONE $2) AS end`, [
      day,
      this.config.REPORT_TIME_ZONE,
    ]);
    const end = new Date(row.end);
    if (end <= now) throw new DomainError('VALIDATION_FAILED', 'endsOn must be today or later', 'endsOn');
    return end;
  }
}
