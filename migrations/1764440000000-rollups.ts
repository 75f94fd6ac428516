import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Totals kept current as ledger entries are written, so that neither a page view (campaign
 * progress) nor a finance report aggregates the whole ledger:
 *
 * - `ledger_daily_totals`: one row per organisation-local day, currency, type, channel and kind;
 *   every report period (day, week, month) is a whole number of local days, so summaries sum
 *   at most a few thousand of these rows instead of a million entries.
 * - `campaign_totals`: the gross per campaign, currency and type (refunds, reversals and
 *   disputes are the negative entries they are).
 * - `campaign_supporters`: who has given toward a campaign, per type, for the distinct count.
 *
 * A statement-level trigger with a transition table maintains them in the same transaction as
 * the entries: a bulk insert is aggregated once per statement, a rolled-back insert leaves no
 * trace, and a duplicate ignored by ON CONFLICT DO NOTHING adds nothing. `report_settings`
 * holds the time zone the days are cut in; changing it rebuilds the day totals
 * (`ledger_rollups_rebuild()`).
 */
export class Rollups1764440000000 implements MigrationInterface {
  name = 'Rollups1764440000000';

  async up(q: QueryRunner): Promise<void> {
    const zone = process.env.REPORT_TIME_ZONE || 'Australia/Sydney';
    await q.query(`
      CREATE TABLE report_settings (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        time_zone text NOT NULL
      )`);
    await q.query(`INSERT INTO report_settings (id, time_zone) VALUES (true, $1)`, [zone]);

    await q.query(`
      CREATE TABLE ledger_daily_totals (
        currency char(3) NOT NULL,
        day date NOT NULL,
        type text NOT NULL,
        channel text NOT NULL,
        kind text NOT NULL,
        gross bigint NOT NULL,
        fee bigint NOT NULL,
        net bigint NOT NULL,
        entries bigint NOT NULL,
        PRIMARY KEY (currency, day, type, channel, kind)
      )`);
    await q.query(`
      CREATE TABLE campaign_totals (
        campaign_id uuid NOT NULL REFERENCES campaigns (id),
        currency char(3) NOT NULL,
        type text NOT NULL,
        raised bigint NOT NULL,
        entries bigint NOT NULL,
        PRIMARY KEY (campaign_id, currency, type)
      )`);
    await q.query(`
      CREATE TABLE campaign_supporters (
        campaign_id uuid NOT NULL REFERENCES campaigns (id),
        currency char(3) NOT NULL,
        type text NOT NULL,
        supporter_id uuid NOT NULL REFERENCES supporters (id),
        PRIMARY KEY (campaign_id, currency, type, supporter_id)
      )`);

    // Adds the entries of `source` into the roll-ups: the trigger passes the statement's new
    // rows, the rebuild the whole ledger. Rows are upserted in key order so that concurrent
    // statements lock them in the same order.
    const addInto = (source: string) => `
        INSERT INTO ledger_daily_totals AS t (currency, day, type, channel, kind, gross, fee, net, entries)
        SELECT currency, (occurred_at AT TIME ZONE zone)::date, type, channel, kind, sum(gross), sum(fee), sum(net), count(*)
          FROM ${source} GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (currency, day, type, channel, kind) DO UPDATE
          SET gross = t.gross + excluded.gross, fee = t.fee + excluded.fee, net = t.net + excluded.net, entries = t.entries + excluded.entries;

        INSERT INTO campaign_totals AS t (campaign_id, currency, type, raised, entries)
        SELECT campaign_id, currency, type, sum(gross), count(*)
          FROM ${source} WHERE campaign_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (campaign_id, currency, type) DO UPDATE
          SET raised = t.raised + excluded.raised, entries = t.entries + excluded.entries;

        INSERT INTO campaign_supporters (campaign_id, currency, type, supporter_id)
        SELECT DISTINCT campaign_id, currency, type, supporter_id
          FROM ${source} WHERE kind = 'payment' AND campaign_id IS NOT NULL AND supporter_id IS NOT NULL ORDER BY 1, 2, 3, 4
        ON CONFLICT DO NOTHING;`;
    await q.query(`
      CREATE FUNCTION ledger_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        zone text := (SELECT time_zone FROM report_settings);
      BEGIN
        ${addInto('new_entries')}
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER ledger_entries_rollups AFTER INSERT ON ledger_entries
        REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_rollups_apply()`);

    // Recomputes every roll-up from the ledger (after a time zone change, or to check them).
    // Inserts wait meanwhile, so no entry is counted twice or missed.
    await q.query(`
      CREATE FUNCTION ledger_rollups_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        zone text := (SELECT time_zone FROM report_settings);
      BEGIN
        LOCK TABLE ledger_entries IN SHARE MODE;
        DELETE FROM ledger_daily_totals;
        DELETE FROM campaign_totals;
        DELETE FROM campaign_supporters;
        ${addInto('ledger_entries')}
      END $$`);
    await q.query(`SELECT ledger_rollups_rebuild()`);

    // Finance reports and exports read ranges of the ledger by time, and supporters' histories.
    await q.query(
      `CREATE INDEX ledger_supporter_payments_idx ON ledger_entries (supporter_id, occurred_at) WHERE kind = 'payment'`,
    );
    await q.query(`CREATE INDEX subscriptions_status_idx ON subscriptions (status, kind)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX subscriptions_status_idx`);
    await q.query(`DROP INDEX ledger_supporter_payments_idx`);
    await q.query(`DROP TRIGGER ledger_entries_rollups ON ledger_entries`);
    await q.query(`DROP FUNCTION ledger_rollups_rebuild`);
    await q.query(`DROP FUNCTION ledger_rollups_apply`);
    await q.query(`DROP TABLE campaign_supporters`);
    await q.query(`DROP TABLE campaign_totals`);
    await q.query(`DROP TABLE ledger_daily_totals`);
    await q.query(`DROP TABLE report_settings`);
  }
}
