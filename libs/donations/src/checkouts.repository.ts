import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { EntityManager, In, LessThan, Repository } from 'typeorm';
import { hydrate, queryOne, rowsOf, sql } from '@app/database';
import { Checkout } from './checkout.entity';

/** What a new checkout record says (the rest is set as it goes: session, status, supporter). */
export type NewCheckout = Omit<
  Checkout,
  | 'id'
  | 'status'
  | 'stripeSessionId'
  | 'stripePaymentIntentId'
  | 'checkoutUrl'
  | 'failureReason'
  | 'createdAt'
  | 'updatedAt'
  | 'completedAt'
  | 'supporterId'
>;

/** What is kept of a checkout's email once its supporter is erased (the column is NOT NULL). */
export const ERASED_CHECKOUT_EMAIL = '[erased]';

/**
 * The only writer of `checkouts`: every INSERT and UPDATE of the table, from this module and from
 * others (the subscriptions' webhook handler completes a subscription checkout, recovery expires
 * abandoned ones), and the reads other modules need. Methods take the caller's `manager` when they
 * run inside its transaction. The webhook hot path's statements are prepared (`sql`).
 */
@Injectable()
export class CheckoutsRepository {
  constructor(@InjectRepository(Checkout) private readonly checkouts: Repository<Checkout>) {}

  /** The default manager (outside any transaction). */
  get manager(): EntityManager {
    return this.checkouts.manager;
  }

  /**
   * The row lock that serialises every event of one checkout, as a statement without parameters
   * (to send along with BEGIN); `checkoutId` must be a validated UUID (it is a literal here).
   */
  static lockSql(checkoutId: string): string {
    return `SELECT * FROM checkouts WHERE id = '${checkoutId}' FOR UPDATE`;
  }

  /** The checkout locked by `lockSql` (its rows in `opened`), or locked now when there are none. */
  async lock(
    manager: EntityManager,
    checkoutId: string,
    opened?: Array<Record<string, unknown>>,
  ): Promise<Checkout | null> {
    if (opened) return opened[0] ? hydrate(manager, Checkout, opened[0]) : null;
    return queryOne(manager, Checkout, `SELECT * FROM checkouts WHERE id = $1 FOR UPDATE`, [checkoutId]);
  }

  findById(id: string, manager: EntityManager = this.checkouts.manager): Promise<Checkout | null> {
    return manager.findOneBy(Checkout, { id });
  }

  /** Whether any of these ids (validated UUIDs) is a checkout of ours. */
  async anyExists(ids: string[], manager: EntityManager = this.checkouts.manager): Promise<boolean> {
    if (!ids.length) return false;
    return rowsOf(await manager.query(`SELECT 1 FROM checkouts WHERE id = ANY($1::uuid[]) LIMIT 1`, [ids])).length > 0;
  }

  /** Whether the checkout's payment is in the ledger (a committed payment never goes away). */
  async paymentRecorded(manager: EntityManager, checkoutId: string): Promise<boolean> {
    const rows = await sql(
      manager,
      `SELECT 1 FROM checkouts c JOIN ledger_entries l ON l.stripe_payment_intent_id = c.stripe_payment_intent_id AND l.kind = 'payment' AND l.checkout_id = c.id
        WHERE c.id = $1 AND c.status = 'complete' LIMIT 1`,
      [checkoutId],
    );
    return rows.length > 0;
  }

  /** Writes a new record, status `creating` (its session is not made yet). */
  create(record: NewCheckout, manager: EntityManager = this.checkouts.manager): Promise<Checkout> {
    return manager.save(Checkout, manager.create(Checkout, { ...record, id: randomUUID(), status: 'creating' }));
  }

  async markOpen(
    manager: EntityManager,
    id: string,
    stripeSessionId: string,
    checkoutUrl: string | null,
  ): Promise<void> {
    await manager.update(Checkout, { id }, { status: 'open', stripeSessionId, checkoutUrl });
  }

  async markFailed(manager: EntityManager, id: string, failureReason: string): Promise<void> {
    await manager.update(Checkout, { id }, { status: 'failed', failureReason: failureReason.slice(0, 500) });
  }

  /** Marks it expired, whatever its status (the caller checked it is not complete). */
  async markExpired(manager: EntityManager, id: string): Promise<void> {
    await manager.update(Checkout, { id }, { status: 'expired' });
  }

  /** Marks an open checkout expired with why; nothing if it is no longer open. */
  async expireOpen(manager: EntityManager, id: string, why: string): Promise<void> {
    await manager.update(Checkout, { id, status: 'open' }, { status: 'expired', failureReason: why.slice(0, 500) });
  }

  /** Marks an open checkout expired; answers whether it was open. */
  async expireIfOpen(id: string, manager: EntityManager = this.checkouts.manager): Promise<boolean> {
    const updated = rowsOf(
      await manager.query(
        `UPDATE checkouts SET status = 'expired', updated_at = now() WHERE id = $1 AND status = 'open' RETURNING id`,
        [id],
      ),
    );
    return updated.length > 0;
  }

  /** A one-off or prepaid checkout paid: complete, with its supporter and payment intent. */
  async completePayment(
    manager: EntityManager,
    id: string,
    supporterId: string,
    stripePaymentIntentId: string,
  ): Promise<void> {
    await sql(
      manager,
      `UPDATE checkouts SET status = 'complete', supporter_id = $2, stripe_payment_intent_id = $3, completed_at = COALESCE(completed_at, now()), updated_at = now() WHERE id = $1`,
      [id, supporterId, stripePaymentIntentId],
    );
  }

  /** A subscription checkout whose subscription started: complete, with its supporter. */
  async completeSubscription(manager: EntityManager, id: string, supporterId: string): Promise<void> {
    await sql(
      manager,
      `UPDATE checkouts SET status = 'complete', supporter_id = $2, completed_at = COALESCE(completed_at, now()), updated_at = now() WHERE id = $1`,
      [id, supporterId],
    );
  }

  /** An open, unexpired checkout of this email for the same thing (a double click, a retry). */
  findOpen(
    email: string,
    purpose: Checkout['purpose'],
    frequency: Checkout['frequency'],
    tierCode: string | null,
    manager: EntityManager = this.checkouts.manager,
  ): Promise<Checkout | null> {
    const qb = manager
      .createQueryBuilder(Checkout, 'c')
      .where('lower(c.email) = lower(:email)', { email })
      .andWhere('c.purpose = :purpose', { purpose })
      .andWhere('c.frequency = :frequency', { frequency })
      .andWhere(`c.status = 'open'`)
      .andWhere(`c.created_at > now() - interval '23 hours'`)
      .orderBy('c.created_at', 'DESC');
    if (tierCode) qb.andWhere('c.tier_code = :tierCode', { tierCode });
    return qb.getOne();
  }

  /** Checkouts still open since before `cutoff`, oldest first. */
  findOpenSince(cutoff: Date, take: number): Promise<Checkout[]> {
    return this.checkouts.find({
      where: { status: In(['open']), createdAt: LessThan(cutoff) },
      order: { createdAt: 'ASC' },
      take,
    });
  }

  /** Erasure: replaces the email, name and delivery address of these checkouts; answers how many. */
  async scrub(ids: string[], manager: EntityManager = this.checkouts.manager): Promise<number> {
    if (!ids.length) return 0;
    const [, count] = (await manager.query(
      `UPDATE checkouts SET email = $2, name = NULL, delivery_address = NULL, updated_at = now() WHERE id = ANY($1::uuid[])`,
      [ids, ERASED_CHECKOUT_EMAIL],
    )) as [unknown, number];
    return Number(count);
  }
}
