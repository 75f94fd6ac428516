import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from './data-source';

/** Tables the service reads and appends to, never changes: INSERT and SELECT only. */
export const APPEND_ONLY_TABLES = ['ledger_entries'];
/** Written only by the ledger trigger's SECURITY DEFINER functions: SELECT only. */
export const READ_ONLY_TABLES = ['ledger_daily_totals', 'campaign_totals', 'campaign_supporters'];

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Grants `role` what the service needs and no more, run by the tables' owner after migrations
 * (idempotent; new tables of later migrations are covered the next time it runs):
 * SELECT, INSERT, UPDATE, DELETE on the tables of the schema, except the ledger (SELECT and
 * INSERT only: no UPDATE, DELETE or TRUNCATE) and its roll-ups (SELECT only: the trigger writes
 * them as their owner); the sequences' values; nothing on the migrations table. Not being the
 * owner, the role cannot ALTER a table or disable its triggers.
 */
export async function grantServiceRole(run: (sql: string) => Promise<any>, role: string): Promise<void> {
  const r = ident(role);
  const schema = await schemaOf(run);
  await run(`GRANT USAGE ON SCHEMA ${schema} TO ${r}`);
  await run(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${r}`);
  await run(`REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA ${schema} FROM ${r}`);
  await run(`REVOKE UPDATE, DELETE ON ${APPEND_ONLY_TABLES.join(', ')} FROM ${r}`);
  await run(`REVOKE INSERT, UPDATE, DELETE ON ${READ_ONLY_TABLES.join(', ')} FROM ${r}`);
  await run(`REVOKE ALL ON migrations FROM ${r}`);
  await run(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${r}`);
}

async function schemaOf(run: (sql: string) => Promise<any>): Promise<string> {
  const rows: Array<{ schema: string }> = await run(`SELECT quote_ident(current_schema()) AS schema`);
  return rows[0].schema;
}

/**
 * Runs pending migrations as the owner (`ownerUrl`) and then grants the role `serviceRole`
 * (the service's own connection's user) what it needs, both under the migration lock, so
 * instances starting together neither migrate nor GRANT at the same time.
 */
export async function migrateAsOwner(ownerUrl: string, serviceRole: string): Promise<string[]> {
  // Two connections: one holds the lock, the migrations run on the other.
  const owner = await new DataSource(dataSourceOptions(ownerUrl, 2)).initialize();
  try {
    return await runMigrations(owner, { url: ownerUrl, poolSize: 2 }, async (query) => {
      const [{ current_user: ownerRole }] = await query(`SELECT current_user`);
      if (ownerRole === serviceRole) {
        new Logger('Migrations').warn(
          `DATABASE_URL connects as the owner (${serviceRole}) too: the service may change the ledger; see README "Production"`,
        );
        return;
      }
      await grantServiceRole(query, serviceRole);
    });
  } finally {
    await owner.destroy();
  }
}
