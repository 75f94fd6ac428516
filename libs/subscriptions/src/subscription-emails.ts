import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { formatMoney, localDate } from '@app/common';
import { AppConfig } from '@app/config';
import type { PostalAddress } from '@app/donations';
import { EmailService, EmailTemplates } from '@app/email';
import { Supporter } from '@app/supporters';
import { SelfServiceService } from './self-service.service';
import { Tier } from './tier.entity';

const DAY_MS = 86_400_000;

/** A delivery address on one line, as an email names it. */
export function addressLine(a: PostalAddress): string {
  return [a.line1, a.line2, `${a.city} ${a.state} ${a.postalCode}`.trim(), a.country === 'AU' ? null : a.country]
    .filter(Boolean)
    .join(', ');
}

/** A local date YYYY-MM-DD in en-AU long form: 4 December 2026. */
export function longDate(date: string): string {
  return new Intl.DateTimeFormat('en-AU', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** What a subscription row is, in an email's words. */
export interface SubscriptionWords {
  kind: 'subscription' | 'monthly_donation';
  tierCode: string | null;
}

/**
 * The emails of a subscription's life, written in the transaction of the change that causes them,
 * each once (a key per email: a webhook retried or delivered twice writes nothing again):
 * welcome, failed renewal, cancellation. The welcome is non-essential (`email_updates` off: none);
 * the others are about the reader's own payments and always go.
 */
@Injectable()
export class SubscriptionEmails {
  constructor(
    private readonly email: EmailService,
    private readonly templates: EmailTemplates,
    private readonly config: AppConfig,
    private readonly selfService: SelfServiceService,
  ) {}

  private day(at: Date): string {
    return localDate(at, this.config.REPORT_TIME_ZONE);
  }

  private async tierName(m: EntityManager, code: string | null): Promise<string> {
    if (!code) return 'subscription';
    return (await m.findOneBy(Tier, { code }))?.name ?? code;
  }

  private async what(m: EntityManager, s: SubscriptionWords): Promise<string> {
    return s.kind === 'monthly_donation' ? 'monthly donation' : `${await this.tierName(m, s.tierCode)} subscription`;
  }

  /**
   * A new subscriber to a digital tier: welcome at once. `key` makes it once. A tier posted to an
   * address (`requiresDeliveryAddress`) is not welcomed here: its welcome goes with the first print
   * run the subscription is in (`firstIssueWelcome`).
   */
  async welcome(
    m: EntityManager,
    supporter: Supporter,
    s: { tierCode: string | null; billing: 'monthly' | 'prepaid'; months?: number | null; until?: Date | null },
    key: string,
  ): Promise<boolean> {
    if (!supporter.email || !supporter.emailUpdates || supporter.erasedAt) return false;
    const tier = s.tierCode ? await m.findOneBy(Tier, { code: s.tierCode }) : null;
    if (tier?.requiresDeliveryAddress) return false;
    return this.email.send(
      {
        to: supporter.email,
        kind: 'welcome',
        key: `welcome:${key}`,
        ...this.templates.render('welcome', {
          name: supporter.name,
          tier: tier?.name ?? s.tierCode ?? 'subscription',
          billing: s.billing === 'monthly' ? 'paid monthly' : `paid for ${s.months ?? 12} months`,
          until: s.billing === 'prepaid' && s.until ? this.day(new Date(s.until.getTime() - 1)) : null,
          site: this.config.organisation.siteUrl,
        }),
      },
      m,
    );
  }

  /**
   * A print subscriber's welcome, written in the transaction of the first print run the
   * subscription is in: the issue's date and the address it is posted to. Once per subscription
   * (`welcome:first-issue:<id>`); only with an email and `email_updates` on.
   */
  async firstIssueWelcome(
    m: EntityManager,
    supporter: Supporter,
    s: { id: string; tierCode: string; billing: string; paidUntil: Date | null },
    address: PostalAddress | null,
    issueDate: string,
  ): Promise<boolean> {
    if (!supporter.email || !supporter.emailUpdates || supporter.erasedAt) return false;
    const billing =
      s.billing === 'monthly' ? 'paid monthly' : s.billing === 'prepaid' ? 'paid in advance' : 'with our compliments';
    return this.email.send(
      {
        to: supporter.email,
        kind: 'welcome',
        key: `welcome:first-issue:${s.id}`,
        ...this.templates.render('welcome', {
          name: supporter.name,
          tier: await this.tierName(m, s.tierCode),
          billing,
          firstIssue: longDate(issueDate),
          address: address ? addressLine(address) : 'your address',
          until: s.billing !== 'monthly' && s.paidUntil ? this.day(new Date(s.paidUntil.getTime() - 1)) : null,
          site: this.config.organisation.siteUrl,
        }),
      },
      m,
    );
  }

  /**
   * A renewal's payment failed: a link to update the card (Stripe's portal) and the day access
   * stops unless it is paid (PAST_DUE_GRACE_DAYS after the failure). Once per invoice.
   */
  async paymentFailed(
    m: EntityManager,
    supporter: Supporter,
    s: SubscriptionWords,
    invoice: { id: string; amount: number; currency: string },
    failedAt: Date,
  ): Promise<boolean> {
    if (!supporter.email || supporter.erasedAt) return false;
    const until = new Date(failedAt.getTime() + this.config.PAST_DUE_GRACE_DAYS * DAY_MS);
    return this.email.send(
      {
        to: supporter.email,
        kind: 'payment_failed',
        key: `payment_failed:${invoice.id}`,
        ...this.templates.render('payment_failed', {
          name: supporter.name,
          what: await this.what(m, s),
          amount: formatMoney({ amount: invoice.amount, currency: invoice.currency }),
          currency: invoice.currency.toUpperCase(),
          url: this.selfService.portalLinkFor(supporter.id),
          ttl: this.config.SELF_SERVICE_LINK_TTL_MINUTES,
          until: this.day(until),
        }),
      },
      m,
    );
  }

  /** Reminder that a past-due subscription's access ends soon (once per failure). */
  async accessEnding(
    m: EntityManager,
    reader: { id: string; email: string; name: string | null },
    s: SubscriptionWords & { id: string; pastDueSince: Date },
  ): Promise<boolean> {
    const until = new Date(s.pastDueSince.getTime() + this.config.PAST_DUE_GRACE_DAYS * DAY_MS);
    return this.email.send(
      {
        to: reader.email,
        kind: 'access_ending',
        key: `access_ending:${s.id}:${s.pastDueSince.toISOString()}`,
        ...this.templates.render('access_ending', {
          name: reader.name,
          what: await this.what(m, s),
          until: this.day(until),
          url: this.selfService.portalLinkFor(reader.id),
          ttl: this.config.SELF_SERVICE_LINK_TTL_MINUTES,
        }),
      },
      m,
    );
  }

  /** Cancelled: set to end at the period's end (access until then), or ended. Once per subscription. */
  async cancelled(
    m: EntityManager,
    supporter: Supporter,
    s: SubscriptionWords & { id: string },
    accessUntil: Date | null,
  ): Promise<boolean> {
    if (!supporter.email || supporter.erasedAt) return false;
    const base = this.config.PUBLIC_BASE_URL.replace(/\/$/, '');
    return this.email.send(
      {
        to: supporter.email,
        kind: 'cancellation',
        key: `cancellation:${s.id}`,
        ...this.templates.render('cancellation', {
          name: supporter.name,
          what: await this.what(m, s),
          access: s.kind === 'monthly_donation' ? 'your last payment stands' : 'you keep your access',
          until:
            accessUntil && accessUntil.getTime() > Date.now() ? this.day(new Date(accessUntil.getTime() - 1)) : null,
          resubscribeUrl:
            s.kind === 'monthly_donation'
              ? `${base}/give`
              : `${base}/subscribe${s.tierCode ? `?tier=${encodeURIComponent(s.tierCode)}` : ''}`,
        }),
      },
      m,
    );
  }
}
