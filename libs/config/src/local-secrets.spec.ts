import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config';
import { applyLocalSecrets, localSecretsFile } from './local-secrets';

describe('secrets kept beside the data when unset', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'local-secrets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('made once (mode 0600) and the same at the next start; a configured secret wins', () => {
    const first = loadConfig({ EMBEDDED_DB_DIR: dir });
    expect(applyLocalSecrets(first)).toBe(join(dir, 'secrets.json'));
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(first.AUTH_TOKEN_SECRET).toHaveLength(43);
    expect(first.LINK_SIGNING_SECRET).not.toBe(first.AUTH_TOKEN_SECRET);
    const again = loadConfig({ EMBEDDED_DB_DIR: dir });
    applyLocalSecrets(again);
    expect([again.AUTH_TOKEN_SECRET, again.LINK_SIGNING_SECRET]).toEqual([
      first.AUTH_TOKEN_SECRET,
      first.LINK_SIGNING_SECRET,
    ]);
    const configured = loadConfig({ EMBEDDED_DB_DIR: dir, LINK_SIGNING_SECRET: 'l'.repeat(40) });
    applyLocalSecrets(configured);
    expect(configured.LINK_SIGNING_SECRET).toBe('l'.repeat(40));
    expect(configured.AUTH_TOKEN_SECRET).toBe(first.AUTH_TOKEN_SECRET);
  });

  it('never with memory, a live key, or a PostgreSQL database with a Stripe key', () => {
    expect(localSecretsFile({ EMBEDDED_DB_DIR: 'memory' })).toBeUndefined();
    expect(localSecretsFile({ EMBEDDED_DB_DIR: dir, STRIPE_SECRET_KEY: 'sk_live_abc' })).toBeUndefined();
    expect(localSecretsFile({ EMBEDDED_DB_DIR: dir, STRIPE_SECRET_KEY: 'rk_live_abc' })).toBeUndefined();
    expect(
      localSecretsFile({ EMBEDDED_DB_DIR: dir, DATABASE_URL: 'postgresql://x/y', STRIPE_SECRET_KEY: 'sk_test_abc' }),
    ).toBeUndefined();
    // The in-process simulator keeps its state there even with DATABASE_URL: so are the secrets.
    expect(localSecretsFile({ EMBEDDED_DB_DIR: dir, DATABASE_URL: 'postgresql://x/y' })).toBe(
      join(dir, 'secrets.json'),
    );
    const live = loadConfig({
      EMBEDDED_DB_DIR: dir,
      STRIPE_SECRET_KEY: 'sk_live_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      AUTH_TOKEN_SECRET: 'a'.repeat(32),
      LINK_SIGNING_SECRET: 'b'.repeat(32),
      METRICS_PUBLIC: 'true',
    });
    expect(applyLocalSecrets(live)).toBeUndefined();
    expect(existsSync(join(dir, 'secrets.json'))).toBe(false);
  });

  it('a file it cannot read stops the start, saying what to do', () => {
    writeFileSync(join(dir, 'secrets.json'), '{"AUTH_TOKEN_SECRET":"short"}');
    expect(() => applyLocalSecrets(loadConfig({ EMBEDDED_DB_DIR: dir }))).toThrow(/secrets\.json cannot be read/);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).toBe('{"AUTH_TOKEN_SECRET":"short"}');
  });
});
