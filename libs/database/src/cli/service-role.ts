/*
 * `npm run db:service-role -- --role supporter_app`: as the tables' owner (MIGRATION_DATABASE_URL,
 * else DATABASE_URL), applies pending migrations, creates the service's login role if it does not
 * exist (password from SERVICE_DB_PASSWORD; the owner needs CREATEROLE for that) and grants it
 * what the service needs: INSERT and SELECT on the ledger, no UPDATE, DELETE, TRUNCATE or ALTER
 * (`createServiceRole`). Then run the service with DATABASE_URL as that role, and without
 * MIGRATION_DATABASE_URL (run this again before starting a build with new migrations) or with it
 * as the owner (the service then migrates at start-up).
 */
import 'reflect-metadata';
import { createServiceRole } from '../service-role';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--role');
  const role = at >= 0 ? args[at + 1] : 'supporter_app';
  if (!role || !/^[a-z_][a-z0-9_]{0,62}$/.test(role)) {
    throw new Error('--role must be a lower-case PostgreSQL identifier (letters, digits, _)');
  }
  const ownerUrl = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL;
  if (!ownerUrl) throw new Error('set MIGRATION_DATABASE_URL (or DATABASE_URL) to the owner of the tables');
  const password = process.env.SERVICE_DB_PASSWORD || undefined;
  const { created, applied } = await createServiceRole(ownerUrl, role, password);
  if (created) {
    console.log(
      `created role ${role}${password ? '' : " (no password: set one, or rely on the server's authentication rules)"}`,
    );
  }
  console.log(
    `${applied.length ? `applied ${applied.join(', ')}; ` : ''}${role} may INSERT and SELECT on the ledger, and nothing more there`,
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
