import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Closes the ledger's remaining gaps:
 *
 * - `TRUNCATE` is refused like `UPDATE` and `DELETE` (a statement trigger; TRUNCATE fires no
 *   row triggers, so it emptied the ledger and left the roll-ups counting what was gone).
 * - The roll-up functions run as their owner (SECURITY DEFINER, with a fixed search_path), so
 *   the role the service connects as (see `grantServiceRole`) needs no write access to the
 *   roll-ups. That role can still run the rebuild (EXECUTE stays granted to PUBLIC), and the
 *   service does on purpose when the report time zone changes (ReportSettingsService): the
 *   rebuild, as the owner, takes its SHARE lock on the ledger and recomputes the roll-ups from
 *   it, so it cannot make them wrong; it only holds back ledger inserts while it runs.
 *
 * That the owner cannot disable the trigger is not something a table can say: the service
 * does not connect as the owner (MIGRATION_DATABASE_URL; README "Production").
 */
export class LedgerProtection1764517000001 implements MigrationInterface {
  name = 'LedgerProtection1764517000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_immutable()`,
    );
    const [{ schema }] = await q.query(`SELECT quote_ident(current_schema()) AS schema`);
    for (const fn of ['ledger_rollups_apply()', 'ledger_rollups_rebuild()']) {
      await q.query(`ALTER FUNCTION ${fn} SECURITY DEFINER SET search_path = ${schema}, pg_temp`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fn of ['ledger_rollups_apply()', 'ledger_rollups_rebuild()']) {
      await q.query(`ALTER FUNCTION ${fn} SECURITY INVOKER RESET search_path`);
    }
    await q.query(`DROP TRIGGER ledger_entries_no_truncate ON ledger_entries`);
  }
}
