import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from './app-config';

/** The secrets kept in `<EMBEDDED_DB_DIR>/secrets.json` when they are not configured. */
const KEPT = ['AUTH_TOKEN_SECRET', 'LINK_SIGNING_SECRET'] as const;
type Kept = Record<(typeof KEPT)[number], string>;

/**
 * Where the secrets the service would otherwise draw at random on every start are kept: beside
 * the data in EMBEDDED_DB_DIR, when that directory holds this service's data (the embedded
 * database, or the in-process simulator's state) and the Stripe key is not a live one (a live
 * key requires both secrets to be configured). Undefined: nothing is kept (`memory`, or a
 * PostgreSQL database with a Stripe key: set the secrets, as for production).
 */
export function localSecretsFile(
  config: Pick<AppConfig, 'EMBEDDED_DB_DIR' | 'DATABASE_URL' | 'STRIPE_SECRET_KEY'>,
): string | undefined {
  if (config.EMBEDDED_DB_DIR === 'memory') return undefined;
  if (/^(sk|rk)_live_/.test(config.STRIPE_SECRET_KEY ?? '')) return undefined;
  if (config.DATABASE_URL && config.STRIPE_SECRET_KEY) return undefined;
  return resolve(config.EMBEDDED_DB_DIR, 'secrets.json');
}

/**
 * Fills in AUTH_TOKEN_SECRET and LINK_SIGNING_SECRET when they are unset, from the secrets file
 * (made once, mode 0600, with both), so that staff tokens and emailed self-service links survive
 * a restart of the no-configuration start. A configured secret always wins. Answers the file
 * used, or undefined when none is (see `localSecretsFile`).
 */
export function applyLocalSecrets(config: AppConfig): string | undefined {
  if (config.AUTH_TOKEN_SECRET && config.LINK_SIGNING_SECRET) return undefined;
  const file = localSecretsFile(config);
  if (!file) return undefined;
  const kept = readOrCreate(file);
  config.AUTH_TOKEN_SECRET ??= kept.AUTH_TOKEN_SECRET;
  config.LINK_SIGNING_SECRET ??= kept.LINK_SIGNING_SECRET;
  return file;
}

function readOrCreate(file: string): Kept {
  try {
    return parse(file, readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const fresh = Object.fromEntries(KEPT.map((k) => [k, randomBytes(32).toString('base64url')])) as Kept;
  mkdirSync(resolve(file, '..'), { recursive: true });
  // Written whole to a private temporary file, then linked into place: a reader never sees half
  // a file, and of two processes starting at once the first link wins and both use its secrets.
  const tmp = join(resolve(file, '..'), `.secrets.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(fresh, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
    return fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return parse(file, readFileSync(file, 'utf8'));
  } finally {
    unlinkSync(tmp);
  }
}

function parse(file: string, text: string): Kept {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const kept = value as Partial<Kept> | undefined;
  for (const k of KEPT) {
    if (typeof kept?.[k] !== 'string' || kept[k].length < 32) {
      throw new Error(
        `${file} cannot be read as the service's kept secrets (${k} missing or too short): fix or delete it (deleting it signs staff out and invalidates emailed links), or set ${KEPT.join(' and ')}`,
      );
    }
  }
  return kept as Kept;
}
