import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { assertIdempotencyKey, DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { CampaignsService } from '@app/campaigns';
import { DonationsService } from '@app/donations';
import { LedgerService } from '@app/ledger';
import { ReceiptsService } from '@app/receipts';
import { Actor, AuditService } from '@app/staff';
import { SupporterRecordsService } from '@app/supporters';
import { assertCallerNamed, callerRecord } from './caller';
import { CreatePhoneDonationDto } from './phone-donation.dto';
import { canonicalJson } from './idempotent-request';
import { CardLinksService } from './card-links.service';
import { PhoneRequestsRepository } from './phone-requests.repository';

export interface PhoneDonationResult {
  status: number;
  body: Record<string, unknown>;
  replayed: boolean;
}

/**
 * Donations taken on the 1800 line. Every request carries an Idempotency-Key: the first request
 * with a key does the work and stores its answer; the same key and body answers that again; the
 * same key with another body is refused (422); a request arriving while the first is still
 * working gets 409 and retries. Cash, cheque and bank transfer are phone-channel ledger entries at
 * once (with who entered them); card emails the caller a Checkout link (answered to the operator
 * too), and the payment reaches the ledger through the webhook like any online one, marked `phone`;
 * a new caller's record (with the phone and address given) is kept when the link is sent.
 */
@Injectable()
export class PhoneDonationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly donations: DonationsService,
    private readonly campaigns: CampaignsService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly receipts: ReceiptsService,
    private readonly config: AppConfig,
    private readonly records: SupporterRecordsService,
    private readonly cardLinks: CardLinksService,
    private readonly requests: PhoneRequestsRepository,
  ) {}

  async create(key: string | undefined, dto: CreatePhoneDonationDto, actor: Actor): Promise<PhoneDonationResult> {
    assertCallerNamed(dto);
    assertIdempotencyKey(key);
    // Keys belong to the operator who sent them: another operator's identical key is another request.
    const staffId = actor.staffId;
    if (!staffId) {
      throw new DomainError('UNAUTHORIZED', 'phone donations are taken by a signed-in operator', 'Authorization');
    }
    const hash = createHash('sha256').update(canonicalJson(dto)).digest('hex');
    return this.requests.once(staffId, key, hash, () => this.perform(key, dto, actor));
  }

  private async perform(key: string, dto: CreatePhoneDonationDto, actor: Actor): Promise<PhoneDonationResult> {
    const frequency = dto.frequency ?? 'one_off';
    this.donations.assertAmountInBounds(dto.amount);
    if (dto.method === 'card') {
      // An existing supporter's record is updated first (audited), so the link goes to the email on file.
      const caller = dto.supporterId
        ? await this.dataSource.transaction(async (m) =>
            this.records.contact(await callerRecord(this.records, m, dto, actor), m),
          )
        : { email: dto.supporter?.email ?? null, name: dto.supporter?.name ?? null };
      if (!caller.email) {
        throw new DomainError(
          'CARD_NEEDS_EMAIL',
          'supporter.email is required to send the caller a card payment link',
          'supporter.email',
        );
      }
      const checkout = await this.donations.create(
        {
          amount: dto.amount,
          frequency,
          email: caller.email,
          name: caller.name ?? undefined,
          campaign: dto.campaign,
        },
        'phone',
      );
      const body = {
        id: checkout.id,
        method: 'card',
        status: 'open',
        checkoutUrl: checkout.checkoutUrl,
        emailedTo: caller.email,
        amount: dto.amount,
        currency: this.config.CURRENCY,
      };
      await this.dataSource.transaction(async (m) => {
        // A new caller's record is written now, with the phone and address given (found by them
        // from then on); the payment's webhook finds it by the same email (one record per email).
        if (!dto.supporterId) await callerRecord(this.records, m, dto, actor);
        await this.audit.record(
          actor,
          {
            action: 'phone_donation.card_link',
            entityType: 'checkout',
            entityId: checkout.id,
            after: { ...body, supporterId: dto.supporterId, supporter: dto.supporter },
          },
          m,
        );
        // The link goes to the caller by email (the outbox sends it once this commits).
        await this.cardLinks.emailFirst(m, checkout.id, actor);
        await this.requests.complete(m, actor.staffId!, key, 201, body);
      });
      return { status: 201, body, replayed: false };
    }
    if (frequency !== 'one_off') {
      throw new DomainError('MONTHLY_NEEDS_CARD', 'monthly giving by phone needs method "card"', 'frequency');
    }
    const campaign = await this.campaigns.resolveForDonation(dto.campaign);
    const body = await this.dataSource.transaction(async (m) => {
      const supporterId = await callerRecord(this.records, m, dto, actor);
      const recorded = await this.ledger.record(
        {
          idempotencyKey: `phone:${actor.staffId}:${key}`,
          kind: 'payment',
          type: 'donation',
          channel: 'phone',
          method: dto.method,
          gross: dto.amount,
          fee: 0,
          currency: this.config.CURRENCY,
          supporterId,
          campaignId: campaign?.id ?? null,
          staffId: actor.staffId,
          reference: dto.reference ?? null,
          description: dto.note ?? null,
          occurredAt: new Date(),
        },
        m,
      );
      const entry = recorded.entry!;
      // The supporter's email on file (just updated if one was given), unless they turned receipts off.
      const caller = await this.records.contact(supporterId, m);
      const receiptEmailed = !!caller.email && caller.emailReceipts;
      // Numbered and written with the entry (the outbox sends it once this commits); no SMTP
      // inside the request. Every payment has its receipt; it is emailed when receiptEmailed.
      const receipt = await this.receipts.issueNow(m, entry.id);
      const result = {
        id: entry.id,
        method: dto.method,
        status: 'recorded',
        amount: entry.gross,
        currency: entry.currency,
        supporterId,
        campaign: campaign?.slug ?? null,
        reference: entry.reference,
        receiptEmailed,
        receiptNumber: receipt!.number,
      };
      await this.audit.record(
        actor,
        {
          action: 'phone_donation.create',
          entityType: 'ledger_entry',
          entityId: entry.id,
          after: { ...result, supporter: dto.supporter, note: dto.note ?? null },
        },
        m,
      );
      await this.requests.complete(m, actor.staffId!, key, 201, result);
      return result;
    });
    return { status: 201, body, replayed: false };
  }
}
