/*
 * `npm run db:service-role -- --role supporter_app`: as the tables' owner (MIGRATION_DATABASE_URL,
 * else DATABASE_URL), applies pending migrations, creates the service's login role if it does not
 * exist (password from SERVICE_DB_PASSWORD; the owner needs CREATEROLE for that) and grants it
 * what the service needs: INSERT and SELECT on the ledger, no UPDATE, DELETE, TRUNCATE or ALTER.
 * Then run the service with DATABASE_URL as that role and MIGRATION_DATABASE_URL as the owner.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { migrateAsOwner } from '../service-role';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--role');
  const role = at >= 0 ? args[at + 1] : 'supporter_app';
  if (!role || !/^[a-z_][a-z0-9_]{0,62}$/.test(role)) {
    throw new Error('--role must be a lower-case PostgreSQL identifier (letters, digits, _)');
  }
  const ownerUrl = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL;
  if (!ownerUrl) throw new Error('set MIGRATION_DATABASE_URL (or DATABASE_URL) to the owner of the tables');
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const { rows } = await owner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role]);
    if (!rows.length) {
      const password = process.env.SERVICE_DB_PASSWORD;
      await owner.query(
        `CREATE ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT${password ? ` PASSWORD ${owner.escapeLiteral(password)}` : ''}`,
      );
      console.log(
        `created role ${role}${password ? '' : " (no password: set one, or rely on the server's authentication rules)"}`,
      );
    }
    const [{ current_database: db }] = (await owner.query(`SELECT current_database()`)).rows;
    await owner.query(`GRANT CONNECT ON DATABASE "${db}" TO "${role}"`);
  } finally {
    await owner.end();
  }
  const applied = await migrateAsOwner(ownerUrl, role);
  console.log(
    `${applied.length ? `applied ${applied.join(', ')}; ` : ''}${role} may INSERT and SELECT on the ledger, and nothing more there`,
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
