/*
 * `npm run staff:create -- --email <email> --name <name> --role admin|finance|phone`
 * creates a staff account (the first administrator, typically). The password comes from
 * STAFF_PASSWORD, or is asked for on the terminal (not echoed). Uses DATABASE_URL, or the
 * embedded database in EMBEDDED_DB_DIR: through the running service's embedded server when the
 * service runs on it, otherwise opened here (see resolveDatabase).
 */
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { dataSourceOptions, resolveDatabase, runMigrations } from '@app/database';
import { passwordProblem } from '../password';
import { STAFF_ROLES, type StaffRole } from '../staff.entity';
import { CLI_ACTOR, STAFF_CLI_ENTITIES, staffServiceFor } from './staff-cli';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('set STAFF_PASSWORD (no terminal to ask on)');
  let muted = false;
  const output = new Writable({ write: (chunk, _enc, cb) => (muted ? cb() : process.stdout.write(chunk, cb)) });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const question = (q: string) =>
    new Promise<string>((ok) => {
      muted = false;
      rl.question(q, (a) => ok(a));
      muted = true;
    });
  const first = await question('Password: ');
  process.stdout.write('\n');
  const second = await question('Again: ');
  process.stdout.write('\n');
  rl.close();
  if (first !== second) throw new Error('the passwords differ');
  return first;
}

async function main(): Promise<void> {
  const email = arg('email');
  const name = arg('name');
  const role = arg('role') ?? 'admin';
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) throw new Error('--email <email> is required');
  if (!name) throw new Error('--name <name> is required');
  if (!(STAFF_ROLES as readonly string[]).includes(role)) {
    throw new Error(`--role must be one of ${STAFF_ROLES.join(', ')}`);
  }
  const password = process.env.STAFF_PASSWORD ?? (await askPassword());
  const problem = passwordProblem(password);
  if (problem) throw new Error(problem);

  const config = loadConfig();
  const db = await resolveDatabase({ url: config.DATABASE_URL, embeddedDir: config.EMBEDDED_DB_DIR, poolSize: 2 });
  const ds = await new DataSource(
    dataSourceOptions(db.url, db.poolSize, { logging: ['error'], entities: STAFF_CLI_ENTITIES }),
  ).initialize();
  try {
    await runMigrations(ds, db);
    // StaffService.create hashes the password before its transaction: on the embedded database a
    // transaction holds the service's queries.
    await staffServiceFor(ds, config).create({ email, name, role: role as StaffRole }, password, CLI_ACTOR);
    console.log(`created ${role} ${email}`);
  } finally {
    await ds.destroy();
    await db.embedded?.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
