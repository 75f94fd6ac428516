import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Rows each counter is spread over. */
const SLOTS = 16;

/**
 * Spreads each roll-up counter (`ledger_daily_totals`, `campaign_totals`) over 16 rows, `slot`
 * being part of the key. Before this, every payment of the day upserted the same day-total and
 * campaign-total rows, so concurrent transactions queued on those row locks until each other
 * committed (seen under webhook load as INSERT INTO ledger_entries waiting on
 * Lock:transactionid).
 *
 * The trigger writes slot `pg_backend_pid() % 16`: a connection runs one transaction at a
 * time, so two concurrent transactions touch different rows unless their backends' pids are
 * equal modulo 16 (and then they queue as before, in key order, without deadlocking). The
 * rebuild writes slot 0. Readers sum over the slots (they already summed per period, campaign
 * or label). `campaign_supporters` is insert-only (ON CONFLICT DO NOTHING) and is unchanged.
 */
export class RollupSlots1764480000000 implements MigrationInterface {
  name = 'RollupSlots1764480000000';

  async up(q: QueryRunner): Promise<void> {
    const days = await primaryKeyOf(q, 'ledger_daily_totals');
    const campaigns = await primaryKeyOf(q, 'campaign_totals');
    await q.query(`
      ALTER TABLE ledger_daily_totals
        ADD COLUMN slot smallint NOT NULL DEFAULT 0,
        DROP CONSTRAINT "${days}",
        ADD CONSTRAINT ledger_daily_totals_pkey PRIMARY KEY (currency, day, type, channel, kind, slot)`);
    await q.query(`
      ALTER TABLE campaign_totals
        ADD COLUMN slot smallint NOT NULL DEFAULT 0,
        DROP CONSTRAINT "${campaigns}",
        ADD CONSTRAINT campaign_totals_pkey PRIMARY KEY (campaign_id, currency, type, slot)`);
    await defineFunctions(q, true);
  }

  async down(q: QueryRunner): Promise<void> {
    // Sums every slot into slot 0, then drops the column (and the key that holds it).
    await q.query(`
      WITH moved AS (DELETE FROM ledger_daily_totals WHERE slot <> 0 RETURNING *)
      INSERT INTO ledger_daily_totals AS t (currency, day, type, channel, kind, slot, gross, fee, net, entries)
      SELECT currency, day, type, channel, kind, 0, sum(gross), sum(fee), sum(net), sum(entries)
        FROM moved GROUP BY 1, 2, 3, 4, 5
      ON CONFLICT (currency, day, type, channel, kind, slot) DO UPDATE
        SET gross = t.gross + excluded.gross, fee = t.fee + excluded.fee, net = t.net + excluded.net, entries = t.entries + excluded.entries`);
    await q.query(`
      WITH moved AS (DELETE FROM campaign_totals WHERE slot <> 0 RETURNING *)
      INSERT INTO campaign_totals AS t (campaign_id, currency, type, slot, raised, entries)
      SELECT campaign_id, currency, type, 0, sum(raised), sum(entries)
        FROM moved GROUP BY 1, 2, 3
      ON CONFLICT (campaign_id, currency, type, slot) DO UPDATE
        SET raised = t.raised + excluded.raised, entries = t.entries + excluded.entries`);
    const days = await primaryKeyOf(q, 'ledger_daily_totals');
    const campaigns = await primaryKeyOf(q, 'campaign_totals');
    await q.query(`
      ALTER TABLE ledger_daily_totals
        DROP CONSTRAINT "${days}",
        DROP COLUMN slot,
        ADD CONSTRAINT ledger_daily_totals_pkey PRIMARY KEY (currency, day, type, channel, kind)`);
    await q.query(`
      ALTER TABLE campaign_totals
        DROP CONSTRAINT "${campaigns}",
        DROP COLUMN slot,
        ADD CONSTRAINT campaign_totals_pkey PRIMARY KEY (campaign_id, currency, type)`);
    await defineFunctions(q, false);
  }
}

async function primaryKeyOf(q: QueryRunner, table: string): Promise<string> {
  const [row] = await q.query(`SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass AND contype = 'p'`, [
    table,
  ]);
  if (!row) throw new Error(`${table} has no primary key`);
  return row.conname;
}

/**
 * `ledger_rollups_apply()` and `ledger_rollups_rebuild()` as in 1764440000000-rollups, with
 * (`slotted`) or without the slot column.
 */
async function defineFunctions(q: QueryRunner, slotted: boolean): Promise<void> {
  // Adds the entries of `source` into the roll-ups at `slot`: the trigger passes the statement's
  // new rows, the rebuild the whole ledger. Rows are upserted in key order so that concurrent
  // statements writing the same slot lock them in the same order.
  const addInto = (source: string, slot: string) => {
    const col = slotted ? ', slot' : '';
    const val = slotted ? `, ${slot}` : '';
    return `
        INSERT INTO ledger_daily_totals AS t (currency, day, type, channel, kind${col}, gross, fee, net, entries)
        SELECT currency, (occurred_at AT TIME ZONE zone)::date, type, channel, kind${val}, sum(gross), sum(fee), sum(net), count(*)
          FROM ${source} GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (currency, day, type, channel, kind${col}) DO UPDATE
          SET gross = t.gross + excluded.gross, fee = t.fee + excluded.fee, net = t.net + excluded.net, entries = t.entries + excluded.entries;

        INSERT INTO campaign_totals AS t (campaign_id, currency, type${col}, raised, entries)
        SELECT campaign_id, currency, type${val}, sum(gross), count(*)
          FROM ${source} WHERE campaign_id IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (campaign_id, currency, type${col}) DO UPDATE
          SET raised = t.raised + excluded.raised, entries = t.entries + excluded.entries;

        INSERT INTO campaign_supporters (campaign_id, currency, type, supporter_id)
        SELECT DISTINCT campaign_id, currency, type, supporter_id
          FROM ${source} WHERE kind = 'payment' AND campaign_id IS NOT NULL AND supporter_id IS NOT NULL ORDER BY 1, 2, 3, 4
        ON CONFLICT DO NOTHING;`;
  };
  await q.query(`
      CREATE OR REPLACE FUNCTION ledger_rollups_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        zone text := (SELECT time_zone FROM report_settings);
        ${slotted ? `my_slot smallint := pg_backend_pid() % ${SLOTS};` : ''}
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
