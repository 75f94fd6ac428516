import { Logger } from '@nestjs/common';
import { Client } from 'pg';
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
 * them as their owner); the sequences' values; only SELECT on the migrations table (so that, started
 * without MIGRATION_DATABASE_URL, the service can check nothing is pending: `assertMigrated`).
 * Not being the owner, the role cannot ALTER a table or disable its triggers.
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
  await run(`GRANT SELECT ON migrations TO ${r}`);
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

/**
 * What `npm run db:service-role` does, as the tables' owner (`ownerUrl`; it needs CREATEROLE
 * when the role does not exist yet): creates the login role `role` if missing (NOINHERIT, with
 * `password` if given), lets it connect to the database, applies pending migrations and grants
 * the role what the service needs (`migrateAsOwner`).
 */
export async function createServiceRole(
  ownerUrl: string,
  role: string,
  password?: string,
): Promise<{ created: boolean; applied: string[] }> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) {
    throw new Error('the role must be a lower-case PostgreSQL identifier (letters, digits, _)');
  }
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  let created = false;
  try {
    const { rows } = await owner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role]);
    if (!rows.length) {
      await owner.query(
        `CREATE ROLE ${ident(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT${password ? ` PASSWORD ${owner.escapeLiteral(password)}` : ''}`,
      );
      created = true;
    }
    const [{ current_database: db }] = (await owner.query(`SELECT current_database()`)).rows;
    await owner.query(`GRANT CONNECT ON DATABASE ${ident(db)} TO ${ident(role)}`);
  } finally {
    await owner.end();
  }
  return { created, applied: await migrateAsOwner(ownerUrl, role) };
}

/**
 * Whether this connection may apply migrations itself: it owns the migrations table (or is a
 * member of its owner), or, on a database with none yet, may create tables in the schema.
 * A least-privilege role (`grantServiceRole`) may not.
 */
export async function mayMigrate(dataSource: DataSource): Promise<boolean> {
  const [{ may }] = await dataSource.query(
    `SELECT CASE WHEN to_regclass('migrations') IS NULL THEN has_schema_privilege(current_schema(), 'CREATE')
            ELSE pg_has_role((SELECT relowner FROM pg_class WHERE oid = to_regclass('migrations')), 'USAGE') END AS may`,
  );
  return may === true;
}

/**
 * For a service that does not migrate (its role is not the owner and MIGRATION_DATABASE_URL is
 * unset): refuses to start unless every migration of this build is applied and the role can
 * read every table, saying what to run as the owner.
 */
export async function assertMigrated(dataSource: DataSource): Promise<void> {
  const [{ role, exists, readable }] = await dataSource.query(
    `SELECT current_user AS role, to_regclass('migrations') IS NOT NULL AS exists,
            to_regclass('migrations') IS NOT NULL AND has_table_privilege('migrations', 'SELECT') AS readable`,
  );
  const fix =
    `apply them as the tables' owner before starting the service: ` +
    `MIGRATION_DATABASE_URL=<owner's URL> npm run db:service-role -- --role ${role} ` +
    `(it runs the migrations, like npm run migration:run, and grants ${role} the new tables), ` +
    `or set MIGRATION_DATABASE_URL to the owner's URL so that the service migrates at start-up`;
  const refuse = (what: string) =>
    new Error(
      `DATABASE_URL connects as ${role}, which does not own the tables, and MIGRATION_DATABASE_URL is unset, so the service does not migrate: ${what}; ${fix} (README "Production")`,
    );
  if (!exists) throw refuse('the database has no migrations applied');
  if (!readable) throw refuse(`${role} may not read the migrations table`);
  const applied = new Set(
    ((await dataSource.query(`SELECT name FROM migrations`)) as Array<{ name: string }>).map((m) => m.name),
  );
  const pending = dataSource.migrations.map((m) => m.name || m.constructor.name).filter((name) => !applied.has(name));
  if (pending.length) {
    throw refuse(`${pending.length} migration(s) of this build are not applied (${pending.join(', ')})`);
  }
  const ungranted: Array<{ name: string }> = await dataSource.query(
    `SELECT c.relname AS name FROM pg_class c
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
        AND NOT has_table_privilege(c.oid, 'SELECT')
      ORDER BY 1`,
  );
  if (ungranted.length) {
    throw refuse(`${role} has not been granted the tables ${ungranted.map((t) => t.name).join(', ')}`);
  }
}
