import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Offline and complimentary subscriptions (issue 14, item 5):
 *
 * - `subscriptions.origin`: `stripe` (Checkout, as before), `offline` (paid in cash, by cheque or
 *   transfer and recorded by staff: billing `prepaid`, periods in `offline_subscription_periods`)
 *   or `complimentary` (billing `complimentary`, no money: amount 0, a `reason`, an end or none).
 * - `offline_subscription_periods`: each period paid offline, one per ledger entry. The row's
 *   `current_period_end` is its start plus the months of the periods that stand; a renewal adds a
 *   period (the end moves on), a void or reversal of its entry takes the period away.
 * - `renewal_reminded_for`: the end date a renewal reminder was queued for (with the email, in
 *   one transaction), so that one period is reminded about once.
 */
export class OfflineSubscriptions1764535000000 implements MigrationInterface {
  name = 'OfflineSubscriptions1764535000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE subscriptions ADD COLUMN origin text NOT NULL DEFAULT 'stripe' CHECK (origin IN ('stripe', 'offline', 'complimentary'))`,
    );
    await q.query(`ALTER TABLE subscriptions ADD COLUMN reason text`);
    await q.query(`ALTER TABLE subscriptions ADD COLUMN renewal_reminded_for timestamptz`);
    await q.query(`ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_billing_check`);
    await q.query(
      `ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_billing_check CHECK (billing IN ('monthly', 'prepaid', 'complimentary'))`,
    );
    await q.query(`ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_amount_check`);
    await q.query(
      `ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_amount_check CHECK (amount > 0 OR (billing = 'complimentary' AND amount = 0))`,
    );
    await q.query(`ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_origin_billing CHECK (
      (origin = 'stripe' AND billing IN ('monthly', 'prepaid'))
      OR (origin = 'offline' AND billing = 'prepaid' AND stripe_subscription_id IS NULL AND checkout_id IS NULL)
      OR (origin = 'complimentary' AND billing = 'complimentary' AND amount = 0 AND reason IS NOT NULL))`);
    await q.query(`
      CREATE TABLE offline_subscription_periods (
        ledger_entry_id bigint PRIMARY KEY REFERENCES ledger_entries (id),
        subscription_id uuid NOT NULL REFERENCES subscriptions (id),
        months integer NOT NULL CHECK (months BETWEEN 1 AND 120),
        amount bigint NOT NULL CHECK (amount > 0),
        voided_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX offline_subscription_periods_subscription_idx ON offline_subscription_periods (subscription_id)`,
    );
    await q.query(
      `CREATE INDEX subscriptions_offline_end_idx ON subscriptions (current_period_end) WHERE origin = 'offline' AND status = 'active'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX subscriptions_offline_end_idx`);
    await q.query(`DROP TABLE offline_subscription_periods`);
    await q.query(`DELETE FROM subscriptions WHERE origin <> 'stripe'`);
    await q.query(`ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_origin_billing`);
    await q.query(`ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_amount_check`);
    await q.query(`ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_amount_check CHECK (amount > 0)`);
    await q.query(`ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_billing_check`);
    await q.query(
      `ALTER TABLE subscriptions ADD CONSTRAINT subscriptions_billing_check CHECK (billing IN ('monthly', 'prepaid'))`,
    );
    await q.query(`ALTER TABLE subscriptions DROP COLUMN renewal_reminded_for, DROP COLUMN reason, DROP COLUMN origin`);
  }
}
