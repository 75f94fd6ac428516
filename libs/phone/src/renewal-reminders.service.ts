import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, localDate } from '@app/common';
import { AppConfig } from '@app/config';
import { EmailService, EmailTemplates } from '@app/email';
import { toCsv } from '@app/reports';
import { OfflineEnding, SubscriptionEmails, SubscriptionsRepository, TiersService } from '@app/subscriptions';

const DAY_MS = 86_400_000;
/** Days before an online prepaid period ends that its reader is reminded, furthest first. */
const PREPAID_MARKS = [30, 7];
/** Days before a failed renewal's grace ends that its reader is reminded. */
const GRACE_REMINDER_DAYS = 2;

/** A reader without an email whose offline subscription ends soon: whom the mailing house writes to. */
export interface RenewalDue {
  subscriptionId: string;
  supporterId: string;
  name: string | null;
  phone: string | null;
  tier: string;
  /** The last local day (REPORT_TIME_ZONE) paid for. */
  lastDay: string;
  endsAt: string;
  address: Record<string, string> | null;
}

export interface RenewalReminderRun {
  /** Offline subscriptions ending within RENEWAL_REMINDER_DAYS. */
  due: number;
  /** Online prepaid periods reminded by this run (30 and 7 days before they end). */
  prepaidReminded: number;
  /** Past-due subscriptions reminded that their access ends (GRACE_REMINDER_DAYS before). */
  graceReminded: number;
  /** Reminders queued by this run. */
  emailed: number;
  /** Readers without an email: on the renewals-due report for the mailing house instead. */
  byPost: number;
}

/**
 * Renewal reminders for offline subscriptions (paid in cash, by cheque or transfer: nothing
 * renews them by itself). Every RENEWAL_REMINDER_INTERVAL_MS each instance looks at the offline
 * subscriptions ending within RENEWAL_REMINDER_DAYS (30) of now (the `Clock`); a reader with an
 * email gets one reminder through the outbox per end date: the mark (`renewal_reminded_for`,
 * compared and set by one UPDATE) and the email are written in one transaction, so another run,
 * or another instance at the same time, finds it marked and sends nothing. A renewal moves the
 * end date on, so the next period gets its own reminder. Readers without an email are listed by
 * `GET /api/reports/renewals-due` for the mailing house.
 *
 * The same job reminds online prepaid periods (Checkout, no renewal) 30 and 7 days before they
 * end, with a link to renew (`remindPrepaid`).
 */
@Injectable()
export class RenewalRemindersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('RenewalReminders');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly tiers: TiersService,
    private readonly email: EmailService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly templates: EmailTemplates,
    private readonly lifecycle: SubscriptionEmails,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.RENEWAL_REMINDER_INTERVAL_MS;
    if (every <= 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.run()
        .catch((err) => this.log.error(`renewal reminders failed: ${err instanceof Error ? err.message : err}`))
        .finally(() => (this.running = undefined));
    }, every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** The offline subscriptions ending within the window from now: (now, now + RENEWAL_REMINDER_DAYS]. */
  endingSoon(): Promise<OfflineEnding[]> {
    const now = this.clock.now();
    return this.subscriptions.offlineEnding(now, new Date(now.getTime() + this.config.RENEWAL_REMINDER_DAYS * DAY_MS));
  }

  /**
   * Online prepaid periods ending within 30 days, and again within 7: a reminder with a renewal
   * link, once per period and mark (the email's key: another run or instance writes nothing),
   * unless the reader turned off non-essential email or has already renewed.
   */
  async remindPrepaid(): Promise<number> {
    const now = this.clock.now();
    const due = await this.subscriptions.prepaidEnding(now, new Date(now.getTime() + PREPAID_MARKS[0] * DAY_MS));
    if (!due.length) return 0;
    const names = new Map((await this.tiers.list()).map((t) => [t.code, t.name]));
    const base = this.config.PUBLIC_BASE_URL.replace(/\/$/, '');
    let sent = 0;
    for (const sub of due) {
      if (!sub.email || !sub.emailUpdates) continue;
      const left = sub.currentPeriodEnd.getTime() - now.getTime();
      // The nearest mark passed: 7 within a week, else 30.
      const mark = [...PREPAID_MARKS].reverse().find((d) => left <= d * DAY_MS)!;
      const last = localDate(new Date(sub.currentPeriodEnd.getTime() - 1), this.config.REPORT_TIME_ZONE);
      const written = await this.email.send({
        to: sub.email,
        kind: 'prepaid_ending',
        key: `prepaid_ending:${sub.id}:${sub.currentPeriodEnd.toISOString()}:${mark}`,
        ...this.templates.render('prepaid_ending', {
          name: sub.name,
          tier: names.get(sub.tierCode) ?? sub.tierCode,
          last,
          days: Math.max(1, Math.ceil(left / DAY_MS)),
          url: `${base}/subscribe?tier=${encodeURIComponent(sub.tierCode)}&billing=prepaid`,
        }),
      });
      if (written) sent++;
    }
    if (sent) this.log.log(`queued ${sent} prepaid-ending reminders`);
    return sent;
  }

  /**
   * A renewal that failed and is still unpaid two days before its grace ends (PAST_DUE_GRACE_DAYS
   * after the failure): a reminder with a link to update the card, once per failure.
   */
  async remindGraceEnding(): Promise<number> {
    const now = this.clock.now();
    const due = await this.subscriptions.graceEnding(
      now,
      new Date(now.getTime() + GRACE_REMINDER_DAYS * DAY_MS),
      this.config.PAST_DUE_GRACE_DAYS,
    );
    let sent = 0;
    for (const sub of due) {
      if (!sub.email) continue;
      const reader = { id: sub.supporterId, email: sub.email, name: sub.name };
      if (await this.lifecycle.accessEnding(this.dataSource.manager, reader, sub)) sent++;
    }
    return sent;
  }

  /** One pass: queues the reminders due now (each once per end date). Safe to run often and on every instance. */
  async run(): Promise<RenewalReminderRun> {
    const prepaidReminded = await this.remindPrepaid();
    const graceReminded = await this.remindGraceEnding();
    const due = await this.endingSoon();
    const names = new Map((await this.tiers.list()).map((t) => [t.code, t.name]));
    let emailed = 0;
    let byPost = 0;
    for (const sub of due) {
      if (!sub.email) {
        byPost++;
        continue;
      }
      if (sub.renewalRemindedFor?.getTime() === sub.currentPeriodEnd.getTime()) continue;
      const queued = await this.dataSource.transaction(async (m) => {
        if (!(await this.subscriptions.markRenewalReminded(m, sub.id, sub.currentPeriodEnd))) return false;
        const tier = names.get(sub.tierCode) ?? sub.tierCode;
        const last = localDate(new Date(sub.currentPeriodEnd.getTime() - 1), this.config.REPORT_TIME_ZONE);
        await this.email.send(
          {
            to: sub.email!,
            kind: 'renewal_reminder',
            ...this.templates.render('renewal_reminder', { name: sub.name, tier, last, subscriptionId: sub.id }),
          },
          m,
        );
        return true;
      });
      if (queued) emailed++;
    }
    if (emailed) {
      this.log.log(`queued ${emailed} renewal reminders (${byPost} readers without email: renewals-due report)`);
    }
    return { due: due.length, prepaidReminded, graceReminded, emailed, byPost };
  }

  /** Readers without an email whose offline subscription ends within the window: renewal reminders by post. */
  async renewalsDue(): Promise<{ asOf: string; days: number; renewals: RenewalDue[] }> {
    const zone = this.config.REPORT_TIME_ZONE;
    const rows = (await this.endingSoon()).filter((r) => !r.email);
    return {
      asOf: this.clock.now().toISOString(),
      days: this.config.RENEWAL_REMINDER_DAYS,
      renewals: rows.map((r) => ({
        subscriptionId: r.id,
        supporterId: r.supporterId,
        name: r.name,
        phone: r.phone,
        tier: r.tierCode,
        lastDay: localDate(new Date(r.currentPeriodEnd.getTime() - 1), zone),
        endsAt: r.currentPeriodEnd.toISOString(),
        address: r.address ? { ...r.address } : null,
      })),
    };
  }

  async renewalsDueCsv(): Promise<string> {
    const { renewals } = await this.renewalsDue();
    return toCsv(
      [
        'subscription_id',
        'supporter_id',
        'name',
        'line1',
        'line2',
        'city',
        'state',
        'postal_code',
        'country',
        'phone',
        'tier',
        'last_day',
        'ends_at',
      ],
      renewals.map((r) => [
        r.subscriptionId,
        r.supporterId,
        r.name,
        r.address?.line1,
        r.address?.line2,
        r.address?.city,
        r.address?.state,
        r.address?.postalCode,
        r.address?.country,
        r.phone,
        r.tier,
        r.lastDay,
        r.endsAt,
      ]),
    );
  }
}
