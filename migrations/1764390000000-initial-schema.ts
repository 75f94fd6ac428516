import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The backbone: supporters, campaigns, checkout records, the append-only ledger and the
 * Stripe webhook inbox. Money is bigint minor units everywhere.
 */
export class InitialSchema1764390000000 implements MigrationInterface {
  name = 'InitialSchema1764390000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supporters (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text,
        phone text,
        stripe_customer_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT supporters_email_not_blank CHECK (length(btrim(email)) > 0)
      )`);
    await q.query(`CREATE UNIQUE INDEX supporters_email_lower_key ON supporters (lower(email))`);
    await q.query(
      `CREATE UNIQUE INDEX supporters_stripe_customer_key ON supporters (stripe_customer_id) WHERE stripe_customer_id IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE campaigns (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE,
        title text NOT NULL,
        currency char(3) NOT NULL,
        target_amount bigint NOT NULL CHECK (target_amount > 0),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz,
        counted_types text[] NOT NULL DEFAULT '{donation,monthly_donation}',
        is_current boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT campaigns_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND slug <> 'current'),
        CONSTRAINT campaigns_period CHECK (ends_at IS NULL OR ends_at > starts_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX campaigns_one_current ON campaigns (is_current) WHERE is_current`);

    await q.query(`
      CREATE TABLE checkouts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        purpose text NOT NULL CHECK (purpose IN ('donation')),
        frequency text NOT NULL CHECK (frequency IN ('one_off', 'monthly')),
        channel text NOT NULL CHECK (channel IN ('online', 'phone')),
        amount bigint NOT NULL CHECK (amount > 0),
        currency char(3) NOT NULL,
        email text NOT NULL,
        name text,
        campaign_id uuid REFERENCES campaigns (id),
        supporter_id uuid REFERENCES supporters (id),
        status text NOT NULL CHECK (status IN ('creating', 'open', 'complete', 'expired', 'failed')),
        stripe_session_id text UNIQUE,
        stripe_payment_intent_id text,
        checkout_url text,
        failure_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX checkouts_payment_intent_idx ON checkouts (stripe_payment_intent_id) WHERE stripe_payment_intent_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX checkouts_status_created_idx ON checkouts (status, created_at)`);

    await q.query(`
      CREATE TABLE ledger_entries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        idempotency_key text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('payment', 'fee', 'refund', 'dispute', 'dispute_reversal', 'reversal')),
        type text NOT NULL CHECK (type IN ('donation', 'monthly_donation', 'subscription', 'prepaid_subscription')),
        channel text NOT NULL CHECK (channel IN ('online', 'phone')),
        method text NOT NULL,
        gross bigint NOT NULL,
        fee bigint NOT NULL,
        net bigint NOT NULL,
        currency char(3) NOT NULL,
        supporter_id uuid REFERENCES supporters (id),
        campaign_id uuid REFERENCES campaigns (id),
        checkout_id uuid REFERENCES checkouts (id),
        reverses_entry_id bigint REFERENCES ledger_entries (id),
        stripe_event_id text,
        stripe_checkout_session_id text,
        stripe_payment_intent_id text,
        stripe_charge_id text,
        stripe_invoice_id text,
        stripe_refund_id text,
        stripe_dispute_id text,
        stripe_balance_transaction_id text,
        description text,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ledger_net_is_gross_minus_fee CHECK (net = gross - fee),
        CONSTRAINT ledger_payment_positive CHECK (kind <> 'payment' OR gross > 0),
        CONSTRAINT ledger_outflows_negative CHECK (kind NOT IN ('refund', 'dispute', 'reversal') OR gross <= 0)
      )`);
    // The database, not only the code, makes a Stripe payment impossible to record twice.
    await q.query(
      `CREATE UNIQUE INDEX ledger_payment_charge_key ON ledger_entries (stripe_charge_id) WHERE kind = 'payment' AND stripe_charge_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX ledger_payment_invoice_key ON ledger_entries (stripe_invoice_id) WHERE kind = 'payment' AND stripe_invoice_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX ledger_balance_transaction_key ON ledger_entries (stripe_balance_transaction_id) WHERE stripe_balance_transaction_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX ledger_refund_key ON ledger_entries (stripe_refund_id) WHERE kind = 'refund' AND stripe_refund_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX ledger_dispute_key ON ledger_entries (stripe_dispute_id, kind) WHERE stripe_dispute_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX ledger_campaign_idx ON ledger_entries (campaign_id, type)`);
    await q.query(`CREATE INDEX ledger_occurred_idx ON ledger_entries (occurred_at)`);
    await q.query(`CREATE INDEX ledger_supporter_idx ON ledger_entries (supporter_id)`);
    await q.query(
      `CREATE INDEX ledger_payment_intent_idx ON ledger_entries (stripe_payment_intent_id) WHERE stripe_payment_intent_id IS NOT NULL`,
    );
    // Append-only: corrections are new rows, never edits or deletions.
    await q.query(`
      CREATE FUNCTION ledger_entries_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'ledger_entries is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_entries_immutable()`,
    );

    await q.query(`
      CREATE TABLE stripe_events (
        id text PRIMARY KEY,
        type text NOT NULL,
        api_version text,
        livemode boolean NOT NULL DEFAULT false,
        stripe_created_at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        deliveries integer NOT NULL DEFAULT 1,
        attempts integer NOT NULL DEFAULT 0,
        processed_at timestamptz,
        outcome text,
        last_error text,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz
      )`);
    await q.query(
      `CREATE INDEX stripe_events_pending_idx ON stripe_events (next_attempt_at) WHERE processed_at IS NULL`,
    );
    await q.query(`CREATE INDEX stripe_events_type_idx ON stripe_events (type, stripe_created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stripe_events`);
    await q.query(`DROP TABLE ledger_entries`);
    await q.query(`DROP FUNCTION ledger_entries_immutable`);
    await q.query(`DROP TABLE checkouts`);
    await q.query(`DROP TABLE campaigns`);
    await q.query(`DROP TABLE supporters`);
  }
}
