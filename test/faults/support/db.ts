import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';

/** The shared PostgreSQL the suite creates its databases on (never stopped or restarted by the suite). */
export const SHARED_PG =
  process.env.FAULTS_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** `faults_<time>_<random>_<suffix>`: unique per run, recognisable if one is ever left behind. */
export function databaseName(suffix: string): string {
  return `faults_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}_${suffix}`;
}

/** The URL of database `name` on the server of `adminUrl`. */
export function urlOf(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(adminUrl: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: adminUrl });
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Creates a database (optionally a copy of `template`, which must have no connections) and answers its URL. */
export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
  return urlOf(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A small pool for the test's own queries; survives the server going away (errors are the caller's). */
export function testPool(url: string): Pool {
  const pool = new Pool({ connectionString: url, max: 3, connectionTimeoutMillis: 3000 });
  pool.on('error', () => undefined);
  return pool;
}

export async function rows<T>(pool: Pool, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await pool.query(sql, params)).rows as T[];
}
