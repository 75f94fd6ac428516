import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { assertIdempotencyKey, DomainError, formatMoney } from '@app/common';
import { AppConfig } from '@app/config';
import { CampaignsService } from '@app/campaigns';
import { DonationsService } from '@app/donations';
import { EmailService } from '@app/email';
import { LedgerService } from '@app/ledger';
import { Actor, AuditService } from '@app/staff';
import { CreatePhoneDonationDto, PhoneSupporterDto } from './phone-donation.dto';

export interface PhoneDonationResult {
  status: number;
  body: Record<string, unknown>;
  replayed: boolean;
}

/** Canonical JSON (sorted keys) so that the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Donations taken on the 1800 line. Every request carries an Idempotency-Key: the first request
 * with a key does the work and stores its answer; the same key and body answers that again; the
 * same key with another body is refused (422); a request arriving while the first is still
 * working gets 409 and retries. Cash, cheque and bank transfer are phone-channel ledger entries at
 * once (with who entered them); card answers a Checkout link for the caller, and the payment
 * reaches the ledger through the webhook like any online one, marked `phone`.
 */
@Injectable()
export class PhoneDonationsService {
  private readonly logger = new Logger('PhoneDonations');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly donations: DonationsService,
    private readonly campaigns: CampaignsService,
    private readonly ledger: LedgerService,
    private readonly audit: AuditService,
    private readonly email: EmailService,
    private readonly config: AppConfig,
  ) {}

  async create(key: string | undefined, dto: CreatePhoneDonationDto, actor: Actor): Promise<PhoneDonationResult> {
    assertIdempotencyKey(key);
    const hash = createHash('sha256').update(canonical(dto)).digest('hex');
    const claimed = await this.dataSource.query(
      `INSERT INTO phone_requests (idempotency_key, staff_id, request_hash) VALUES ($1, $2, $3) ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
      [key, actor.staffId, hash],
    );
    if (!claimed.length) return this.replay(key, hash);
    try {
      return await this.perform(key, dto, actor);
    } catch (err) {
      // Nothing was recorded: free the key so that a corrected or retried request can proceed.
      await this.dataSource.query(`DELETE FROM phone_requests WHERE idempotency_key = $1 AND response IS NULL`, [key]).catch(() => undefined);
      throw err;
    }
  }

  private async replay(key: string, hash: string): Promise<PhoneDonationResult> {
    const [row] = await this.dataSource.query(`SELECT request_hash, status_code, response FROM phone_requests WHERE idempotency_key = $1`, [key]);
    if (!row) throw new DomainError('IDEMPOTENCY_REQUEST_IN_PROGRESS', 'a request with this Idempotency-Key just failed or is being processed; retry', 'Idempotency-Key', undefined, 1);
    if (row.request_hash !== hash) throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request', 'Idempotency-Key');
    if (!row.response) throw new DomainError('IDEMPOTENCY_REQUEST_IN_PROGRESS', 'a request with this Idempotency-Key is being processed; retry shortly', 'Idempotency-Key', undefined, 1);
    return { status: row.status_code, body: row.response, replayed: true };
  }

  private async perform(key: string, dto: CreatePhoneDonationDto, actor: Actor): Promise<PhoneDonationResult> {
    const frequency = dto.frequency ?? 'one_off';
    this.donations.assertAmountInBounds(dto.amount);
    if (dto.method === 'card') {
      if (!dto.supporter.email) throw new DomainError('CARD_NEEDS_EMAIL', 'supporter.email is required to send the caller a card payment link', 'supporter.email');
      const checkout = await this.donations.create({ amount: dto.amount, frequency, email: dto.supporter.email, name: dto.supporter.name, campaign: dto.campaign }, 'phone');
      const body = { id: checkout.id, method: 'card', status: 'awaiting_payment', checkoutUrl: checkout.checkoutUrl, amount: dto.amount, currency: this.config.CURRENCY };
      await this.dataSource.transaction(async (m) => {
        await this.audit.record(actor, { action: 'phone_donation.card_link', entityType: 'checkout', entityId: checkout.id, after: { ...body, supporter: dto.supporter } }, m);
        await this.complete(m, key, 201, body);
      });
      return { status: 201, body, replayed: false };
    }
    if (frequency !== 'one_off') throw new DomainError('MONTHLY_NEEDS_CARD', 'monthly giving by phone needs method "card"', 'frequency');
    const campaign = await this.campaigns.resolveForDonation(dto.campaign);
    let receiptTo: string | null = null;
    const body = await this.dataSource.transaction(async (m) => {
      const supporterId = await this.supporterFor(m, dto.supporter);
      const recorded = await this.ledger.record(
        {
          idempotencyKey: `phone:${key}`,
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
      const result = { id: entry.id, method: dto.method, status: 'recorded', amount: entry.gross, currency: entry.currency, supporterId, campaign: campaign?.slug ?? null, reference: entry.reference };
      await this.audit.record(actor, { action: 'phone_donation.create', entityType: 'ledger_entry', entityId: entry.id, after: { ...result, supporter: dto.supporter, note: dto.note ?? null } }, m);
      await this.complete(m, key, 201, result);
      receiptTo = dto.supporter.email ?? null;
      return result;
    });
    if (receiptTo) await this.sendReceipt(receiptTo, dto, body.id).catch((e) => this.logger.error(`receipt for ${body.id} not sent: ${e}`));
    return { status: 201, body, replayed: false };
  }

  private async complete(m: EntityManager, key: string, status: number, body: Record<string, unknown>): Promise<void> {
    await m.query(`UPDATE phone_requests SET status_code = $2, response = $3, completed_at = now() WHERE idempotency_key = $1`, [key, status, JSON.stringify(body)]);
  }

  /** The caller: found by email when they give one (one supporter per email), else a new record. */
  private async supporterFor(m: EntityManager, s: PhoneSupporterDto): Promise<string> {
    if (s.email) {
      const [row] = await m.query(
        `INSERT INTO supporters (email, name, phone, address) VALUES ($1, $2, $3, $4)
         ON CONFLICT ((lower(email))) DO UPDATE SET name = COALESCE(supporters.name, EXCLUDED.name),
           phone = COALESCE(supporters.phone, EXCLUDED.phone), address = COALESCE(supporters.address, EXCLUDED.address)
         RETURNING id`,
        [s.email, s.name, s.phone ?? null, s.address ? JSON.stringify(s.address) : null],
      );
      return row.id;
    }
    const [row] = await m.query(`INSERT INTO supporters (email, name, phone, address) VALUES (NULL, $1, $2, $3) RETURNING id`, [s.name, s.phone ?? null, s.address ? JSON.stringify(s.address) : null]);
    return row.id;
  }

  private async sendReceipt(to: string, dto: CreatePhoneDonationDto, entryId: string): Promise<void> {
    const amount = formatMoney({ amount: dto.amount, currency: this.config.CURRENCY });
    const how = { cash: 'in cash', cheque: 'by cheque', bank_transfer: 'by bank transfer', card: 'by card' }[dto.method];
    await this.email.send({
      to,
      kind: 'receipt',
      subject: `Receipt for your donation of ${amount}`,
      body: `Dear ${dto.supporter.name},\n\nThank you for your donation of ${amount} ${this.config.CURRENCY} ${how}${dto.reference ? ` (reference ${dto.reference})` : ''}.\nReceipt number: ${entryId}\nDate: ${new Date().toISOString().slice(0, 10)}\n`,
    });
  }
}
