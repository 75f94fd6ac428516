import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { toSafeInt } from '@app/database';
import { SubscriptionsRepository } from './subscriptions.repository';

/** One subscription (or monthly donation) of a supporter, as exported to them. */
export interface SupporterSubscription {
  id: string;
  kind: string;
  billing: string;
  origin: string;
  reason: string | null;
  tier: string | null;
  amount: number;
  currency: string;
  status: string;
  currentPeriodStart: Date | null;
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
  canceledAt: Date | null;
  endedAt: Date | null;
  deliveryAddress: Record<string, string> | null;
  stripeSubscriptionId: string | null;
  stripeCustomerId: string | null;
  createdAt: Date;
}

/** The subscriptions table's side of privacy requests: a supporter's subscriptions, and erasing their delivery addresses. */
@Injectable()
export class SubscriptionPrivacyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsRepository,
  ) {}

  async subscriptionsOf(supporterId: string): Promise<SupporterSubscription[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id, kind, billing, origin, reason, tier_code AS tier, amount, currency, status, current_period_start AS "currentPeriodStart",
              current_period_end AS "currentPeriodEnd", cancel_at_period_end AS "cancelAtPeriodEnd", canceled_at AS "canceledAt",
              ended_at AS "endedAt", delivery_address AS "deliveryAddress", stripe_subscription_id AS "stripeSubscriptionId",
              stripe_customer_id AS "stripeCustomerId", created_at AS "createdAt"
         FROM subscriptions WHERE supporter_id = $1 ORDER BY created_at, id`,
      [supporterId],
    );
    return rows.map((r) => ({ ...(r as unknown as SupporterSubscription), amount: toSafeInt(r.amount as string) }));
  }

  /**
   * Empties the delivery addresses of the supporter's subscriptions, and the reasons written for
   * their complimentary ones (SubscriptionsRepository.eraseDeliveryAddresses); answers how many
   * rows had an address.
   */
  eraseDeliveryAddresses(supporterId: string, manager: EntityManager): Promise<number> {
    return this.subscriptions.eraseDeliveryAddresses(supporterId, manager);
  }
}
