import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Rows each counter is spread over (as in 1764480000000-rollup-slots). */
const SLOTS = 16;

/**
 * A supporter counts toward a campaign only while what they gave toward it is more than zero.
 *
 * Before this, `campaign_supporters` held one row per supporter with a payment, so a supporter
 * whose only payment was refunded, reversed or lost to a dispute in full still counted in the
 * progress `supporters`. Now each row carries `gross`: the sum of the gross of every entry of
 * that supporter toward the campaign in that currency and type (payments positive; refunds,
 * reversals and lost disputes negative; disputes won back positive again; fees have gross 0).
 * Progress counts the supporters whose gross over the campaign's counted types is above zero.
 * The trigger adds each statement's entries into it (one upsert per supporter, in key order);
 * the existing rows are backfilled from the ledger here.
 *
 * Also indexes `reverses_entry_id` (refunds, reversals and disputes point at their payment), so
 * the supporters reports can tell a payment given back in full from one that still stands.
 */
export class SupportersNet1764517000000 implements MigrationInterface {
  name = 'SupportersNet1764517000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaign_supporters ADD COLUMN gross bigint NOT NULL DEFAULT 0`);
    await q.query(`LOCK TABLE ledger_entries IN SHARE MODE`);
    await q.query(`DELETE FROM campaign_supporters`);
    await q.query(`
      INSERT INTO campaign_supporters (campaign_id, currency, type, supporter_id, gross)
      SELECT campaign_id, currency, type, supporter_id, sum(gross)
        FROM ledger_entries WHERE campaign_id IS NOT NULL AND supporter_id IS NOT NULL AND gross <> 0
       GROUP BY 1, 2, 3, 4`);
    await q.query(
      `CREATE INDEX ledger_reverses_idx ON ledger_entries (reverses_entry_id) WHERE reverses_entry_id IS NOT NULL`,
    );
    await defineFunctions(q, true);
  }

  async down(q: QueryRunner): Promise<void> {
    await defineFunctions(q, false);
    await q.query(`DROP INDEX ledger_reverses_idx`);
    await q.query(`DELETE FROM campaign_supporters WHERE gross <= 0`);
    await q.query(`ALTER TABLE campaign_supporters DROP COLUMN gross`);
  }
}

/**
 * `ledger_rollups_apply()` and `ledger_rollups_rebuild()` as in 1764480000000-rollup-slots, with
 * (`net`) or without the supporters' gross.
 */
async function defineFunctions(q: QueryRunner, net: boolean): Promise<void> {
  const supporters = (source: string) =>
    net
      ? `INSERT INTO campaign_supporters AS t (campaign_id, currency, type, supporter_id, gross)
        SELECT campaign_id, currency, type, supporter_id, sum(gross)
          FROM ${source} WHERE campaign_id IS NOT NULL AND supporter_id IS NOT NULL AND gross <> 0 GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
        ON CONFLICT (campaign_id, currency, type, supporter_id) DO UPDATE SET gross = t.gross + excluded.gross;`
      : `INSERT INTO campaign_supporters (campaign_id, currency, type, supporter_id)
        SELECT DISTINCT campaign_id, currency, type, supporter_id
          FROM ${source} WHERE kind = 'payment' AND campaign_id IS NOT NULL AND supporter_id IS NOT NULL ORDER BY 1, 2, 3, 4
        ON CONFLICT DO NOTHING;`;
  const addInto = (source: string, slot: string) => `
        INSERT INTO ledger_daily_totals AS t (currency, day, type, channel, kind, slot, gross, fee, net, entries)
        SELECT currency, (occurred_at AT TIME ZONE zone)::date, type, channel, kind, ${slot}, sum(gross), sum(fee), sum(net), count(*)
          FROM ${source} GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (currency, day, type, channel, kind, slot) DO UPDATE
          SET gross = t.gross + excluded.gross, fee = t.fee + excluded.fee, net = t.net + excluded.net, entries = t.entries + excluded.entries;

        INSERT INTO campaign_totals AS t (campaign_id, currency, type, slot, raised, entries)
        SELECT campaign_id, currency, type, ${slot}, sum(gross), count(*)
          FROM ${source} WHERE campaign_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (campaign_id, currency, type, slot) DO UPDATE
          SET raised = t.raised + excluded.raised, entries = t.entries + excluded.entries;

        ${supporters(source)}`;
  await q.query(`
      CREATE OR REPLACE FUNCTION ledger_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        zone text := (SELECT time_zone FROM report_settings);
        my_slot smallint := pg_backend_pid() % ${SLOTS};
      BEGIN
        ${addInto('new_entries', 'my_slot')}
        RETURN NULL;
      END $$`);
  await q.query(`
      CREATE OR REPLACE FUNCTION ledger_rollups_rebuild() RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        zone text := (SELECT time_zone FROM report_settings);
      BEGIN
        LOCK TABLE ledger_entries IN SHARE MODE;
        DELETE FROM ledger_daily_totals;
        DELETE FROM campaign_totals;
        DELETE FROM campaign_supporters;
        ${addInto('ledger_entries', '0')}
      END $$`);
}
