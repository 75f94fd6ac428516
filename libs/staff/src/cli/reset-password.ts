/*
 * `npm run staff:reset-password -- --email <email>` gives a staff account a new temporary
 * password: printed once (or STAFF_PASSWORD when set), to be changed at the next sign-in; every
 * token the account holds is refused from now on. Audited as `staff.password_reset` by `cli`.
 * Uses DATABASE_URL, or the embedded database in EMBEDDED_DB_DIR, like `staff:create`.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { dataSourceOptions, resolveDatabase, runMigrations } from '@app/database';
import { passwordProblem } from '../password';
import { resetStaffPassword } from './reset-password.command';
import { STAFF_CLI_ENTITIES, staffServiceFor } from './staff-cli';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const email = arg('email');
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) throw new Error('--email <email> is required');
  const given = process.env.STAFF_PASSWORD;
  const password = given ?? randomBytes(12).toString('base64url');
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);

  const config = loadConfig();
  const db = await resolveDatabase({ url: config.DATABASE_URL, embeddedDir: config.EMBEDDED_DB_DIR, poolSize: 2 });
  const ds = await new DataSource(
    dataSourceOptions(db.url, db.poolSize, { logging: ['error'], entities: STAFF_CLI_ENTITIES }),
  ).initialize();
  try {
    await runMigrations(ds, db);
    const member = await resetStaffPassword(staffServiceFor(ds, config), email, password);
    if (member.disabled) {
      console.warn(`note: ${member.email} is disabled; an administrator enables it with PATCH /api/staff/${member.id}`);
    }
    console.log(
      given
        ? `password of ${member.email} reset to STAFF_PASSWORD (temporary: to be changed at the next sign-in)`
        : `temporary password of ${member.email} (shown once; to be changed at the next sign-in): ${password}`,
    );
  } finally {
    await ds.destroy();
    await db.embedded?.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
