import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Recurring money: tiers (seeded digital 5.00 and print 10.00 a month, each with a 12-month
 * prepaid option), subscriptions (Stripe-billed monthly and prepaid periods, for tiers and for
 * monthly donations alike), checkout records that can ask for them, and the email outbox.
 */
export class Recurring1764400000000 implements MigrationInterface {
  name = 'Recurring1764400000000';

  async up(q: QueryRunner): Promise<void> {
    const currency = (process.env.CURRENCY || 'AUD').toUpperCase();
    await q.query(`
      CREATE TABLE tiers (
        code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
        name text NOT NULL,
        description text,
        currency char(3) NOT NULL,
        monthly_amount bigint NOT NULL CHECK (monthly_amount > 0),
        prepaid_months integer NOT NULL CHECK (prepaid_months BETWEEN 1 AND 36),
        prepaid_amount bigint NOT NULL CHECK (prepaid_amount > 0),
        requires_delivery_address boolean NOT NULL DEFAULT false,
        entitlements text[] NOT NULL,
        sort_order integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `INSERT INTO tiers (code, name, description, currency, monthly_amount, prepaid_months, prepaid_amount, requires_delivery_address, entitlements, sort_order) VALUES
        ('digital', 'Digital edition', 'The digital edition, every day.', $1, 500, 12, 6000, false, '{digital}', 1),
        ('print', 'Print edition', 'The print edition posted to you, and the digital edition.', $1, 1000, 12, 12000, true, '{print,digital}', 2)`,
      [currency],
    );

    await q.query(`ALTER TABLE checkouts DROP CONSTRAINT checkouts_purpose_check`);
    await q.query(
      `ALTER TABLE checkouts ADD CONSTRAINT checkouts_purpose_check CHECK (purpose IN ('donation', 'subscription'))`,
    );
    await q.query(`ALTER TABLE checkouts DROP CONSTRAINT checkouts_frequency_check`);
    await q.query(
      `ALTER TABLE checkouts ADD CONSTRAINT checkouts_frequency_check CHECK (frequency IN ('one_off', 'monthly', 'prepaid'))`,
    );
    await q.query(`ALTER TABLE checkouts ADD COLUMN tier_code text REFERENCES tiers (code)`);
    await q.query(`ALTER TABLE checkouts ADD COLUMN prepaid_months integer`);
    await q.query(`ALTER TABLE checkouts ADD COLUMN delivery_address jsonb`);
    await q.query(`ALTER TABLE checkouts ADD COLUMN stripe_price_id text`);
    await q.query(
      `ALTER TABLE checkouts ADD CONSTRAINT checkouts_subscription_has_tier CHECK (purpose <> 'subscription' OR tier_code IS NOT NULL)`,
    );
    await q.query(
      `CREATE INDEX checkouts_open_by_email_idx ON checkouts (lower(email), purpose, tier_code) WHERE status = 'open'`,
    );

    await q.query(`
      CREATE TABLE subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        supporter_id uuid NOT NULL REFERENCES supporters (id),
        kind text NOT NULL CHECK (kind IN ('subscription', 'monthly_donation')),
        billing text NOT NULL CHECK (billing IN ('monthly', 'prepaid')),
        tier_code text REFERENCES tiers (code),
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        status text NOT NULL CHECK (status IN ('incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'unpaid', 'canceled', 'paused', 'ended')),
        stripe_subscription_id text UNIQUE,
        stripe_customer_id text,
        stripe_price_id text,
        current_period_start timestamptz,
        current_period_end timestamptz,
        cancel_at_period_end boolean NOT NULL DEFAULT false,
        canceled_at timestamptz,
        ended_at timestamptz,
        past_due_since timestamptz,
        delivery_address jsonb,
        checkout_id uuid UNIQUE REFERENCES checkouts (id),
        campaign_id uuid REFERENCES campaigns (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT subscriptions_tier_for_subscriptions CHECK (kind <> 'subscription' OR tier_code IS NOT NULL),
        CONSTRAINT subscriptions_stripe_for_monthly CHECK (billing <> 'monthly' OR stripe_subscription_id IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX subscriptions_supporter_idx ON subscriptions (supporter_id, status)`);
    await q.query(`CREATE INDEX subscriptions_tier_status_idx ON subscriptions (tier_code, status)`);

    // A reusable Stripe price per (purpose, amount, currency, interval): monthly donations of the
    // same amount share one price instead of minting one per donor.
    await q.query(`
      CREATE TABLE stripe_prices (
        lookup_key text PRIMARY KEY,
        stripe_price_id text NOT NULL,
        stripe_product_id text NOT NULL,
        amount bigint NOT NULL,
        currency char(3) NOT NULL,
        recurring boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE emails (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        to_address text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        kind text NOT NULL,
        transport text NOT NULL,
        sent_at timestamptz,
        error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX emails_to_idx ON emails (lower(to_address), created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE emails`);
    await q.query(`DROP TABLE stripe_prices`);
    await q.query(`DROP TABLE subscriptions`);
    await q.query(`DROP INDEX checkouts_open_by_email_idx`);
    await q.query(`ALTER TABLE checkouts DROP CONSTRAINT checkouts_subscription_has_tier`);
    await q.query(
      `ALTER TABLE checkouts DROP COLUMN stripe_price_id, DROP COLUMN delivery_address, DROP COLUMN prepaid_months, DROP COLUMN tier_code`,
    );
    await q.query(`ALTER TABLE checkouts DROP CONSTRAINT checkouts_frequency_check`);
    await q.query(
      `ALTER TABLE checkouts ADD CONSTRAINT checkouts_frequency_check CHECK (frequency IN ('one_off', 'monthly'))`,
    );
    await q.query(`ALTER TABLE checkouts DROP CONSTRAINT checkouts_purpose_check`);
    await q.query(`ALTER TABLE checkouts ADD CONSTRAINT checkouts_purpose_check CHECK (purpose IN ('donation'))`);
    await q.query(`DROP TABLE tiers`);
  }
}
