import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, formatMoney, isUuid } from '@app/common';
import { Checkout, CheckoutsRepository } from '@app/donations';
import { EmailService, EmailTemplates } from '@app/email';
import { StripeGateway } from '@app/stripe';
import { Actor, AuditService } from '@app/staff';
import { CardLinkStatus, ListCardLinksQuery, PhoneDonationStatusDto } from './card-link.dto';

/** At most this many emails of one link (the first and the resends): a caller is not to be flooded. */
export const CARD_LINK_MAX_SENDS = 5;

/** The line of a card link email's body that names its checkout. */
export const cardLinkMarker = (checkoutId: string) => `Reference: ${checkoutId}\n`;

/** SQL: what the operator is shown for a checkout's status (`creating` is about to be open; `failed` was never payable). */
const STATUS_SQL = `CASE c.status WHEN 'complete' THEN 'complete' WHEN 'open' THEN 'open' WHEN 'creating' THEN 'open' ELSE 'expired' END`;

const VIEW_SQL = `SELECT c.id, c.purpose, c.frequency, ${STATUS_SQL} AS status, c.amount, c.currency, c.checkout_url, c.email,
       c.supporter_id, c.tier_code, c.created_at, c.completed_at,
       (SELECT count(*)::int FROM card_link_sends k WHERE k.checkout_id = c.id) AS link_sends,
       (SELECT max(k.sent_at) FROM card_link_sends k WHERE k.checkout_id = c.id) AS last_sent_at,
       (SELECT k.staff_id FROM card_link_sends k WHERE k.checkout_id = c.id ORDER BY k.sent_at LIMIT 1) AS staff_id
  FROM checkouts c`;

interface ViewRow {
  id: string;
  purpose: 'donation' | 'subscription';
  frequency: string;
  status: CardLinkStatus;
  amount: string;
  currency: string;
  checkout_url: string | null;
  email: string;
  supporter_id: string | null;
  tier_code: string | null;
  created_at: Date;
  completed_at: Date | null;
  link_sends: number;
  last_sent_at: Date | null;
  staff_id: string | null;
}

function view(r: ViewRow): PhoneDonationStatusDto {
  return {
    id: r.id,
    purpose: r.purpose,
    method: 'card',
    status: r.status,
    frequency: r.frequency,
    amount: Number(r.amount),
    currency: r.currency.trim(),
    checkoutUrl: r.status === 'open' ? r.checkout_url : null,
    email: r.email,
    supporterId: r.supporter_id,
    tier: r.tier_code,
    linkSends: r.link_sends,
    lastSentAt: r.last_sent_at ? new Date(r.last_sent_at).toISOString() : null,
    staffId: r.staff_id,
    createdAt: new Date(r.created_at).toISOString(),
    completedAt: r.completed_at ? new Date(r.completed_at).toISOString() : null,
  };
}

/** What the link pays for, in words, for the email. */
function describe(c: Checkout): string {
  const money = `${formatMoney({ amount: c.amount, currency: c.currency })} ${c.currency}`;
  if (c.purpose === 'donation') return `${c.frequency === 'monthly' ? 'monthly donation' : 'donation'} of ${money}`;
  const how =
    c.frequency === 'prepaid' ? `${c.prepaidMonths ?? ''} months prepaid`.trim() : c.frequency.replace('_', ' ');
  return `${c.tierCode} subscription (${how}) of ${money}`;
}

/**
 * Card by phone: the operator never hears a card number. The caller is emailed the Stripe
 * Checkout link of what they asked for (through the outbox, with the write that causes it), pays
 * on Stripe's page, and the payment reaches the ledger by webhook. The operator sees whether it
 * is `open`, `complete` or `expired`, and may email the same link again while it can be paid (at
 * most CARD_LINK_MAX_SENDS emails in all; audited). Writes `card_link_sends` only; reads checkouts.
 */
@Injectable()
export class CardLinksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly checkouts: CheckoutsRepository,
    private readonly stripe: StripeGateway,
    private readonly email: EmailService,
    private readonly audit: AuditService,
    private readonly templates: EmailTemplates,
  ) {}

  /**
   * Emails the link of a checkout just opened for a caller, in the caller's transaction (the
   * email is written with what causes it; the caller's audit entry covers it). Nothing when it was
   * emailed before (the same open checkout answered again).
   */
  async emailFirst(m: EntityManager, checkoutId: string, actor: Actor): Promise<void> {
    await this.lockLink(m, checkoutId);
    if ((await this.sends(m, checkoutId)) > 0) return;
    const checkout = await this.checkouts.findById(checkoutId, m);
    if (!checkout?.checkoutUrl) throw new Error(`checkout ${checkoutId} has no link to email`);
    await this.emailLink(m, checkout, actor, false);
  }

  /**
   * Emails the same link again (the caller lost it; another address needs a new link), audited.
   * Refused while the checkout is not
   * payable (409, `complete` or `expired`, asked of Stripe too, so a payment or expiry whose
   * webhook is still on its way counts) and after CARD_LINK_MAX_SENDS emails (429).
   */
  async resend(id: string, purpose: Checkout['purpose'], actor: Actor): Promise<PhoneDonationStatusDto> {
    const checkout = await this.phoneCheckout(id, purpose);
    await this.assertPayable(checkout);
    await this.dataSource.transaction(async (m) => {
      await this.lockLink(m, checkout.id);
      const sent = await this.sends(m, checkout.id);
      if (sent >= CARD_LINK_MAX_SENDS) {
        throw new DomainError(
          'CARD_LINK_SEND_LIMIT',
          `this link was emailed ${sent} times already (at most ${CARD_LINK_MAX_SENDS}): check the caller's address, or read the link to them`,
          'id',
          { sent, max: CARD_LINK_MAX_SENDS },
        );
      }
      await this.emailLink(m, checkout, actor, true);
    });
    return this.status(checkout.id, purpose);
  }

  /** A card payment taken by phone (its checkout), as the operator sees it. */
  async status(id: string, purpose: Checkout['purpose']): Promise<PhoneDonationStatusDto> {
    const [row]: ViewRow[] = isUuid(id)
      ? await this.dataSource.query(`${VIEW_SQL} WHERE c.id = $1 AND c.channel = 'phone' AND c.purpose = $2`, [
          id,
          purpose,
        ])
      : [];
    if (!row) throw new DomainError('NOT_FOUND', `${purpose} ${id} was not taken by phone by card`, 'id');
    return view(row);
  }

  /**
   * A donation taken by phone, by id: its card link (the checkout's id, a UUID), or the cash,
   * cheque or transfer entry recorded at once (the ledger entry's id, a number; `voided` once reversed).
   */
  async donation(id: string): Promise<PhoneDonationStatusDto> {
    if (isUuid(id)) {
      const [card]: ViewRow[] = await this.dataSource.query(
        `${VIEW_SQL} WHERE c.id = $1 AND c.channel = 'phone' AND c.purpose = 'donation'`,
        [id],
      );
      if (card) return view(card);
    }
    // A ledger entry's id is a number.
    const [entry] = !/^[1-9][0-9]{0,17}$/.test(id)
      ? []
      : await this.dataSource.query(
          `SELECT l.id, l.method, l.gross, l.currency, l.supporter_id, l.staff_id, l.recorded_at,
              EXISTS (SELECT 1 FROM ledger_entries r WHERE r.reverses_entry_id = l.id) AS voided
         FROM ledger_entries l
        WHERE l.id = $1 AND l.channel = 'phone' AND l.kind = 'payment' AND l.checkout_id IS NULL AND l.stripe_charge_id IS NULL`,
          [id],
        );
    if (!entry) throw new DomainError('NOT_FOUND', `phone donation ${id} does not exist`, 'id');
    return {
      id: entry.id,
      purpose: 'donation',
      method: entry.method,
      status: entry.voided ? 'voided' : 'recorded',
      frequency: 'one_off',
      amount: Number(entry.gross),
      currency: String(entry.currency).trim(),
      checkoutUrl: null,
      email: null,
      supporterId: entry.supporter_id,
      tier: null,
      linkSends: 0,
      lastSentAt: null,
      staffId: entry.staff_id,
      createdAt: new Date(entry.recorded_at).toISOString(),
      completedAt: new Date(entry.recorded_at).toISOString(),
    };
  }

  /** The card payments taken by phone, newest first (by status; the operator's own with `mine`). */
  async list(q: ListCardLinksQuery, purpose: Checkout['purpose'], actor: Actor): Promise<PhoneDonationStatusDto[]> {
    const params: unknown[] = [purpose, q.limit ?? 50];
    const where = [`c.channel = 'phone'`, `c.purpose = $1`];
    if (q.status) {
      params.push(q.status);
      where.push(`${STATUS_SQL} = $${params.length}`);
    }
    if (q.mine === 'true') {
      params.push(actor.staffId);
      where.push(
        `EXISTS (SELECT 1 FROM card_link_sends k WHERE k.checkout_id = c.id AND k.staff_id = $${params.length})`,
      );
    }
    const rows: ViewRow[] = await this.dataSource.query(
      `${VIEW_SQL} WHERE ${where.join(' AND ')} ORDER BY c.created_at DESC, c.id LIMIT $2`,
      params,
    );
    return rows.map(view);
  }

  private async phoneCheckout(id: string, purpose: Checkout['purpose']): Promise<Checkout> {
    const checkout = isUuid(id) ? await this.checkouts.findById(id) : null;
    if (!checkout || checkout.channel !== 'phone' || checkout.purpose !== purpose) {
      throw new DomainError('NOT_FOUND', `${purpose} ${id} was not taken by phone by card`, 'id');
    }
    return checkout;
  }

  /** 409 unless the link can still be paid: by our record, and by Stripe's (a webhook may still be on its way). */
  private async assertPayable(checkout: Checkout): Promise<void> {
    let status: string = checkout.status;
    if (status === 'open' && checkout.stripeSessionId) {
      const session = await this.stripe.retrieveCheckoutSession(checkout.stripeSessionId);
      status =
        session.status === 'open' && session.expires_at * 1000 > Date.now()
          ? 'open'
          : session.status === 'complete'
            ? 'complete'
            : 'expired';
    }
    if (status === 'open' && checkout.checkoutUrl) return;
    throw new DomainError(
      'CARD_LINK_CLOSED',
      status === 'complete'
        ? `the caller has paid: checkout ${checkout.id} is complete, there is nothing to send`
        : `the link of checkout ${checkout.id} has expired and can no longer be paid: take the payment again for a new link`,
      'id',
      { status: status === 'complete' ? 'complete' : 'expired' },
    );
  }

  /** One link's sends, one after another (a double click must not pass the limit twice). */
  private async lockLink(m: EntityManager, checkoutId: string): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`card-link:${checkoutId}`]);
  }

  private async sends(m: EntityManager, checkoutId: string): Promise<number> {
    const [row] = await m.query(`SELECT count(*)::int AS n FROM card_link_sends WHERE checkout_id = $1`, [checkoutId]);
    return row.n;
  }

  private async emailLink(m: EntityManager, checkout: Checkout, actor: Actor, resend: boolean): Promise<void> {
    const what = describe(checkout);
    await m.query(`INSERT INTO card_link_sends (checkout_id, staff_id, resend) VALUES ($1, $2, $3)`, [
      checkout.id,
      actor.staffId,
      resend,
    ]);
    await this.email.send(
      {
        to: checkout.email,
        kind: 'card_link',
        ...this.templates.render('card_link', {
          name: checkout.name,
          what,
          url: checkout.checkoutUrl,
          marker: cardLinkMarker(checkout.id),
        }),
      },
      m,
    );
    if (resend) {
      await this.audit.record(
        actor,
        {
          action: 'phone_card_link.resend',
          entityType: 'checkout',
          entityId: checkout.id,
          after: { purpose: checkout.purpose, status: checkout.status, sends: await this.sends(m, checkout.id) },
        },
        m,
      );
    }
  }
}
