import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, In, Repository } from 'typeorm';
import { hydrate, queryOne, rowsOf, sql } from '@app/database';
import type { PostalAddress } from '@app/donations';
import { Subscription, SubscriptionStatus } from './subscription.entity';
import type { MirroredSubscription } from './utils/transform-stripe-subscription.util';

/** A Stripe-billed subscription seen for the first time: the mirror and where it came from. */
export type NewMonthlySubscription = MirroredSubscription &
  Pick<Subscription, 'supporterId' | 'kind' | 'stripeSubscriptionId' | 'deliveryAddress' | 'checkoutId' | 'campaignId'>;

/** A paid prepaid period: a subscription row from `start` for `months`, without renewal. */
export interface NewPrepaidSubscription {
  supporterId: string;
  tierCode: string | null;
  amount: number;
  currency: string;
  stripeCustomerId: string | null;
  start: Date;
  months: number | null;
  deliveryAddress: PostalAddress | null;
  checkoutId: string;
  campaignId: string | null;
}

/** A period paid offline (cash, cheque, transfer) that starts a new offline subscription row. */
export interface NewOfflineSubscription {
  supporterId: string;
  tierCode: string;
  currency: string;
  start: Date;
  deliveryAddress: PostalAddress | null;
  campaignId: string | null;
  period: OfflinePeriod;
}

/** One period paid offline: its ledger entry, months and amount (minor units). */
export interface OfflinePeriod {
  ledgerEntryId: string;
  months: number;
  amount: number;
}

/** A complimentary subscription: no money, a reason, an end or none. */
export interface NewComplimentarySubscription {
  supporterId: string;
  tierCode: string;
  currency: string;
  reason: string;
  start: Date;
  end: Date | null;
  deliveryAddress: PostalAddress | null;
}

/** An offline subscription ending soon, with its reader's contact (the survivor's, for a merged record). */
export interface OfflineEnding {
  id: string;
  supporterId: string;
  tierCode: string;
  currentPeriodEnd: Date;
  renewalRemindedFor: Date | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: PostalAddress | null;
}

/** An online prepaid period ending soon (not renewed), with its reader's contact (the survivor's). */
export interface PrepaidEnding {
  id: string;
  tierCode: string;
  currentPeriodEnd: Date;
  name: string | null;
  email: string | null;
  emailUpdates: boolean;
}

/** A past-due subscription whose grace (access after a failed renewal) ends soon, with its reader. */
export interface GraceEnding {
  id: string;
  supporterId: string;
  kind: 'subscription' | 'monthly_donation';
  tierCode: string | null;
  pastDueSince: Date;
  email: string | null;
  name: string | null;
}

/** Every row of a hand-written query (RETURNING rows for writes) as subscriptions. */
async function subscriptionsOf(manager: EntityManager, text: string, params: unknown[]): Promise<Subscription[]> {
  return (await sql(manager, text, params)).map((row) => hydrate(manager, Subscription, row));
}

/** A record's group: itself and the records merged into it (SQL, $1 the record's id). */
const GROUP = `SELECT id FROM supporters WHERE id = $1 OR merged_into = $1`;

/**
 * The only writer of `subscriptions`: the mirror of Stripe's subscriptions (the sync handler),
 * prepaid periods and their end (the refunds handler ends a period given back in full), delivery
 * addresses; offline subscriptions and their periods (`offline_subscription_periods`),
 * complimentary ones, renewal reminder marks; and the reads the rest of the service needs. Methods take the caller's `manager`
 * when they run inside its transaction.
 */
@Injectable()
export class SubscriptionsRepository {
  constructor(@InjectRepository(Subscription) private readonly subscriptions: Repository<Subscription>) {}

  get manager(): EntityManager {
    return this.subscriptions.manager;
  }

  findByStripeId(manager: EntityManager, stripeSubscriptionId: string): Promise<Subscription | null> {
    return queryOne(manager, Subscription, `SELECT * FROM subscriptions WHERE stripe_subscription_id = $1`, [
      stripeSubscriptionId,
    ]);
  }

  findById(id: string, manager: EntityManager = this.subscriptions.manager): Promise<Subscription | null> {
    return manager.getRepository(Subscription).findOneBy({ id });
  }

  /** The subscription (or monthly donation) a checkout started, if any (the thank-you page). */
  findByCheckoutId(checkoutId: string): Promise<Subscription | null> {
    return this.subscriptions.findOneBy({ checkoutId });
  }

  /** A supporter's tier subscriptions (not monthly donations), those in `statuses` when given. */
  /** The tier subscriptions of these supporters (a record and those merged into it). */
  findTierSubscriptions(supporterIds: string[], statuses?: SubscriptionStatus[]): Promise<Subscription[]> {
    return this.subscriptions.find({
      where: { supporterId: In(supporterIds), kind: 'subscription', ...(statuses ? { status: In(statuses) } : {}) },
    });
  }

  /** Every subscription and monthly donation of these supporters (a record and those merged into it), newest first. */
  findForSupporters(supporterIds: string[]): Promise<Subscription[]> {
    return this.subscriptions.find({ where: { supporterId: In(supporterIds) }, order: { createdAt: 'DESC' } });
  }

  /**
   * Whether the subscription is mirrored and, given an invoice id, that invoice's payment is in the
   * ledger with its fee (on it, or as its own entry): one prepared query on the webhook hot path.
   */
  async mirroredAndInvoiced(
    manager: EntityManager,
    subscriptionId: string,
    invoiceId: string | null,
  ): Promise<boolean> {
    const [row] = await sql<{ mirrored: boolean; invoiced: boolean }>(
      manager,
      `SELECT EXISTS (SELECT 1 FROM subscriptions WHERE stripe_subscription_id = $1) AS mirrored, $2::text IS NULL OR EXISTS (
  SELECT 1 FROM ledger_entries p
   WHERE p.kind = 'payment' AND p.stripe_invoice_id = $2
     AND (p.stripe_balance_transaction_id IS NOT NULL
          OR EXISTS (SELECT 1 FROM ledger_entries f WHERE f.kind = 'fee' AND f.stripe_charge_id = p.stripe_charge_id))) AS invoiced`,
      [subscriptionId, invoiceId],
    );
    return row.mirrored && row.invoiced;
  }

  async insertMonthly(manager: EntityManager, values: NewMonthlySubscription): Promise<void> {
    await manager.insert(Subscription, { ...values, id: randomUUID(), billing: 'monthly', origin: 'stripe' });
  }

  async updateMirror(manager: EntityManager, id: string, values: MirroredSubscription): Promise<void> {
    await manager.update(Subscription, { id }, values);
  }

  /** A paid prepaid period, once per checkout; answers whether it was new. */
  async insertPrepaid(manager: EntityManager, p: NewPrepaidSubscription): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO subscriptions (supporter_id, kind, billing, tier_code, amount, currency, status, stripe_customer_id, current_period_start, current_period_end, delivery_address, checkout_id, campaign_id)
       VALUES ($1, 'subscription', 'prepaid', $2, $3, $4, 'active', $5, $6, $6::timestamptz + make_interval(months => $7), $8, $9, $10)
       ON CONFLICT (checkout_id) DO NOTHING RETURNING id`,
      [
        p.supporterId,
        p.tierCode,
        p.amount,
        p.currency,
        p.stripeCustomerId,
        p.start,
        p.months,
        p.deliveryAddress ? JSON.stringify(p.deliveryAddress) : null,
        p.checkoutId,
        p.campaignId,
      ],
    );
    return rows.length > 0;
  }

  /** The end of the prepaid period bought by this checkout, if it was granted. */
  async prepaidEnd(manager: EntityManager, checkoutId: string): Promise<Date | null> {
    const [row] = rowsOf<{ end: Date | null }>(
      await manager.query(
        `SELECT current_period_end AS end FROM subscriptions WHERE checkout_id = $1 AND billing = 'prepaid'`,
        [checkoutId],
      ),
    );
    return row?.end ? new Date(row.end) : null;
  }

  /** Whether the reader (their record's group) had a subscription of this tier before this checkout's. */
  async hadTierBefore(
    manager: EntityManager,
    supporterId: string,
    tierCode: string | null,
    checkoutId: string,
  ): Promise<boolean> {
    const rows = await manager.query(
      `SELECT 1 FROM subscriptions WHERE supporter_id IN (${GROUP}) AND tier_code = $2
          AND checkout_id IS DISTINCT FROM $3 LIMIT 1`,
      [supporterId, tierCode, checkoutId],
    );
    return rowsOf(rows).length > 0;
  }

  /** Ends, now, the active prepaid period bought by this checkout; answers whether there was one. */
  async endPrepaid(manager: EntityManager, checkoutId: string): Promise<boolean> {
    const ended = await manager.query(
      `UPDATE subscriptions SET status = 'ended', ended_at = now(), updated_at = now() WHERE checkout_id = $1 AND billing = 'prepaid' AND status = 'active' RETURNING id`,
      [checkoutId],
    );
    return rowsOf(ended).length > 0;
  }

  async setDeliveryAddress(manager: EntityManager, id: string, address: PostalAddress): Promise<void> {
    await manager.getRepository(Subscription).update({ id }, { deliveryAddress: { ...address } });
  }

  /**
   * The live subscriptions of a record's group (itself and those merged into it) for one tier, the
   * rows locked (`FOR UPDATE`) so that a renewal or a void of the same subscription waits.
   */
  liveForTier(manager: EntityManager, supporterId: string, tierCode: string, at: Date): Promise<Subscription[]> {
    return subscriptionsOf(
      manager,
      `SELECT * FROM subscriptions WHERE supporter_id IN (${GROUP}) AND tier_code = $2 AND kind = 'subscription'
          AND ((billing = 'monthly' AND status IN ('active', 'trialing', 'past_due'))
            OR (billing <> 'monthly' AND status = 'active' AND (current_period_end IS NULL OR current_period_end > $3)))
        ORDER BY current_period_end DESC NULLS FIRST FOR UPDATE`,
      [supporterId, tierCode, at],
    );
  }

  /**
   * Where a prepaid period paid at `paidAt` starts: at the latest end of the group's running
   * prepaid, offline or complimentary periods of the tier (an early renewal), else at `paidAt`.
   * Takes the reader and tier's grant lock (`staff-subscription:…`, as offline grants do) for the
   * caller's transaction, so two renewals paid together chain one after the other.
   */
  async prepaidStart(manager: EntityManager, supporterId: string, tierCode: string, paidAt: Date): Promise<Date> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `staff-subscription:${supporterId}:${tierCode}`,
    ]);
    const [row] = rowsOf<{ end: Date | string | null }>(
      await manager.query(
        `SELECT max(current_period_end) AS end FROM subscriptions
          WHERE supporter_id IN (${GROUP}) AND tier_code = $2 AND kind = 'subscription'
            AND billing <> 'monthly' AND status = 'active' AND current_period_end > $3`,
        [supporterId, tierCode, paidAt],
      ),
    );
    return row?.end ? new Date(row.end) : paidAt;
  }

  /** A new offline subscription: its first period from `start` for the period's months. */
  async insertOffline(manager: EntityManager, s: NewOfflineSubscription): Promise<Subscription> {
    const [row] = await subscriptionsOf(
      manager,
      `INSERT INTO subscriptions (supporter_id, kind, billing, origin, tier_code, amount, currency, status, current_period_start, current_period_end, delivery_address, campaign_id)
       VALUES ($1, 'subscription', 'prepaid', 'offline', $2, $3, $4, 'active', $5, $5::timestamptz + make_interval(months => $6), $7, $8)
       RETURNING *`,
      [
        s.supporterId,
        s.tierCode,
        s.period.amount,
        s.currency,
        s.start,
        s.period.months,
        s.deliveryAddress ? JSON.stringify(s.deliveryAddress) : null,
        s.campaignId,
      ],
    );
    await this.insertPeriod(manager, row.id, s.period);
    return row;
  }

  /** A renewal: one more period on an offline subscription; its end moves on by the period's months. */
  async addOfflinePeriod(manager: EntityManager, subscriptionId: string, period: OfflinePeriod): Promise<Subscription> {
    await this.insertPeriod(manager, subscriptionId, period);
    return (await this.recomputeOffline(manager, subscriptionId))!;
  }

  private async insertPeriod(manager: EntityManager, subscriptionId: string, p: OfflinePeriod): Promise<void> {
    await manager.query(
      `INSERT INTO offline_subscription_periods (ledger_entry_id, subscription_id, months, amount) VALUES ($1, $2, $3, $4)`,
      [p.ledgerEntryId, subscriptionId, p.months, p.amount],
    );
  }

  /**
   * An offline subscription from its periods that stand: it runs from its start for their months
   * and its amount is what they cost; with none left it has ended (now).
   */
  private async recomputeOffline(manager: EntityManager, subscriptionId: string): Promise<Subscription | null> {
    const [row] = await subscriptionsOf(
      manager,
      `UPDATE subscriptions s
          SET amount = CASE WHEN p.n > 0 THEN p.amount ELSE s.amount END,
              current_period_end = s.current_period_start + make_interval(months => p.months::int),
              status = CASE WHEN p.n > 0 THEN s.status ELSE 'ended' END,
              ended_at = CASE WHEN p.n > 0 THEN s.ended_at ELSE now() END,
              updated_at = now()
         FROM (SELECT count(*) AS n, COALESCE(sum(amount), 0) AS amount, COALESCE(sum(months), 0) AS months
                 FROM offline_subscription_periods WHERE subscription_id = $1 AND voided_at IS NULL) p
        WHERE s.id = $1 AND s.origin = 'offline'
        RETURNING s.*`,
      [subscriptionId],
    );
    return row ?? null;
  }

  /**
   * The ledger entry that paid an offline period was voided or reversed: the period no longer
   * stands, and the subscription loses its months (ended when none are left). Answers the
   * subscription as it now is, or null when the entry paid for no offline period.
   */
  async voidOfflinePeriod(manager: EntityManager, ledgerEntryId: string): Promise<Subscription | null> {
    const [period] = rowsOf<{ subscription_id: string }>(
      await manager.query(
        `SELECT subscription_id FROM offline_subscription_periods WHERE ledger_entry_id = $1 AND voided_at IS NULL`,
        [ledgerEntryId],
      ),
    );
    if (!period) return null;
    await manager.query(`SELECT 1 FROM subscriptions WHERE id = $1 FOR UPDATE`, [period.subscription_id]);
    await manager.query(`UPDATE offline_subscription_periods SET voided_at = now() WHERE ledger_entry_id = $1`, [
      ledgerEntryId,
    ]);
    return this.recomputeOffline(manager, period.subscription_id);
  }

  async insertComplimentary(manager: EntityManager, c: NewComplimentarySubscription): Promise<Subscription> {
    const [row] = await subscriptionsOf(
      manager,
      `INSERT INTO subscriptions (supporter_id, kind, billing, origin, tier_code, amount, currency, status, reason, current_period_start, current_period_end, delivery_address)
       VALUES ($1, 'subscription', 'complimentary', 'complimentary', $2, 0, $3, 'active', $4, $5, $6, $7)
       RETURNING *`,
      [
        c.supporterId,
        c.tierCode,
        c.currency,
        c.reason,
        c.start,
        c.end,
        c.deliveryAddress ? JSON.stringify(c.deliveryAddress) : null,
      ],
    );
    return row;
  }

  /** Ends an active complimentary subscription now; null when `id` is none (or already ended: see `findById`). */
  async endComplimentary(manager: EntityManager, id: string): Promise<Subscription | null> {
    const [row] = await subscriptionsOf(
      manager,
      `UPDATE subscriptions SET status = 'ended', ended_at = now(), updated_at = now()
        WHERE id = $1 AND origin = 'complimentary' AND status = 'active' RETURNING *`,
      [id],
    );
    return row ?? null;
  }

  /**
   * Active offline subscriptions whose paid time ends in (`from`, `to`], with the reader's name,
   * email, phone and address (a merged record's survivor's; erased records left out), soonest first.
   */
  async offlineEnding(
    from: Date,
    to: Date,
    manager: EntityManager = this.subscriptions.manager,
  ): Promise<OfflineEnding[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await manager.query(
        `SELECT s.id, r.id AS supporter_id, s.tier_code, s.current_period_end, s.renewal_reminded_for,
                r.name, r.email, r.phone, COALESCE(s.delivery_address, r.address) AS address
           FROM subscriptions s
           JOIN supporters p ON p.id = s.supporter_id
           JOIN supporters r ON r.id = COALESCE(p.merged_into, p.id)
          WHERE s.origin = 'offline' AND s.status = 'active' AND s.current_period_end > $1 AND s.current_period_end <= $2
            AND r.erased_at IS NULL
          ORDER BY s.current_period_end, s.id`,
        [from, to],
      ),
    );
    return rows.map((r) => ({
      id: r.id as string,
      supporterId: r.supporter_id as string,
      tierCode: r.tier_code as string,
      currentPeriodEnd: new Date(r.current_period_end as string),
      renewalRemindedFor: r.renewal_reminded_for ? new Date(r.renewal_reminded_for as string) : null,
      name: (r.name as string | null) ?? null,
      email: (r.email as string | null) ?? null,
      phone: (r.phone as string | null) ?? null,
      address: (r.address as PostalAddress | null) ?? null,
    }));
  }

  /**
   * Active online prepaid periods whose end is in (`from`, `to`] and that no later period of the
   * same tier follows (a renewal bought early), with the reader's contact; erased readers left out.
   */
  async prepaidEnding(
    from: Date,
    to: Date,
    manager: EntityManager = this.subscriptions.manager,
  ): Promise<PrepaidEnding[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await manager.query(
        `SELECT s.id, s.tier_code, s.current_period_end, r.name, r.email, r.email_updates
           FROM subscriptions s
           JOIN supporters p ON p.id = s.supporter_id
           JOIN supporters r ON r.id = COALESCE(p.merged_into, p.id)
          WHERE s.billing = 'prepaid' AND s.origin <> 'offline' AND s.status = 'active'
            AND s.current_period_end > $1 AND s.current_period_end <= $2 AND r.erased_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM subscriptions n WHERE n.supporter_id IN (p.id, r.id) AND n.tier_code = s.tier_code
                              AND n.id <> s.id AND n.status IN ('active', 'trialing') AND n.current_period_end > s.current_period_end)
          ORDER BY s.current_period_end, s.id`,
        [from, to],
      ),
    );
    return rows.map((r) => ({
      id: r.id as string,
      tierCode: r.tier_code as string,
      currentPeriodEnd: new Date(r.current_period_end as string),
      name: (r.name as string | null) ?? null,
      email: (r.email as string | null) ?? null,
      emailUpdates: r.email_updates !== false,
    }));
  }

  /** Past-due tier subscriptions whose grace (`graceDays` from the failure) ends in (`from`, `to`], with the reader (the survivor's record). */
  async graceEnding(
    from: Date,
    to: Date,
    graceDays: number,
    manager: EntityManager = this.subscriptions.manager,
  ): Promise<GraceEnding[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await manager.query(
        `SELECT s.id, r.id AS supporter_id, s.kind, s.tier_code, s.past_due_since, r.name, r.email
           FROM subscriptions s
           JOIN supporters p ON p.id = s.supporter_id
           JOIN supporters r ON r.id = COALESCE(p.merged_into, p.id)
          WHERE s.status = 'past_due' AND s.kind = 'subscription' AND s.past_due_since IS NOT NULL AND r.erased_at IS NULL
            AND s.past_due_since + make_interval(days => $3) > $1 AND s.past_due_since + make_interval(days => $3) <= $2
          ORDER BY s.past_due_since, s.id`,
        [from, to, graceDays],
      ),
    );
    return rows.map((r) => ({
      id: r.id as string,
      supporterId: r.supporter_id as string,
      kind: r.kind as GraceEnding['kind'],
      tierCode: (r.tier_code as string | null) ?? null,
      pastDueSince: new Date(r.past_due_since as string),
      email: (r.email as string | null) ?? null,
      name: (r.name as string | null) ?? null,
    }));
  }

  /**
   * Marks the subscription reminded about the end `end`, in the caller's transaction (which
   * queues the email): true for the one transaction that marks it, false when it was marked
   * already (another run, another instance) or its end has moved (renewed, voided).
   */
  async markRenewalReminded(manager: EntityManager, id: string, end: Date): Promise<boolean> {
    const rows = await manager.query(
      `UPDATE subscriptions SET renewal_reminded_for = $2, updated_at = now()
        WHERE id = $1 AND origin = 'offline' AND status = 'active' AND current_period_end = $2
          AND renewal_reminded_for IS DISTINCT FROM $2 RETURNING id`,
      [id, end],
    );
    return rowsOf(rows).length > 0;
  }

  /**
   * Erasure: empties the delivery addresses of the supporter's subscriptions, and the reasons
   * written for their complimentary ones (free text that may name them: "column by …"); answers
   * how many rows had an address.
   */
  async eraseDeliveryAddresses(
    supporterId: string,
    manager: EntityManager = this.subscriptions.manager,
  ): Promise<number> {
    await manager.query(
      `UPDATE subscriptions SET reason = '[erased]', updated_at = now()
        WHERE supporter_id = $1 AND reason IS NOT NULL AND reason <> '[erased]'`,
      [supporterId],
    );
    const [, count] = (await manager.query(
      `UPDATE subscriptions SET delivery_address = NULL, updated_at = now()
        WHERE supporter_id = $1 AND delivery_address IS NOT NULL`,
      [supporterId],
    )) as [unknown, number];
    return Number(count);
  }
}
