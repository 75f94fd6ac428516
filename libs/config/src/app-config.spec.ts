import { ConfigValidationError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has working defaults for a fresh machine (embedded database, simulator, AUD)', () => {
    const c = loadConfig({});
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.usesSimulator).toBe(true);
    expect(c.CURRENCY).toBe('AUD');
    expect(c.PORT).toBe(3000);
    expect(c.DONATION_MIN_AMOUNT).toBe(100);
    expect(c.DONATION_MAX_AMOUNT).toBe(10_000_000);
    expect(c.EMBEDDED_DB_DIR).toBe('./data');
  });

  it('reads and converts values', () => {
    const c = loadConfig({ PORT: '8080', CURRENCY: 'nzd', DATABASE_URL: 'postgres://u@localhost/db', STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' });
    expect(c.PORT).toBe(8080);
    expect(c.CURRENCY).toBe('NZD');
    expect(c.usesSimulator).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ CURRENCY: 'dollars' }, 'CURRENCY'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' }, 'STRIPE_SECRET_KEY'],
    [{ STRIPE_SECRET_KEY: 'sk_test_abc' }, 'STRIPE_WEBHOOK_SECRET'],
    [{ PUBLIC_BASE_URL: 'not a url' }, 'PUBLIC_BASE_URL'],
    [{ DONATION_MIN_AMOUNT: '500', DONATION_MAX_AMOUNT: '100' }, 'DONATION_MIN_AMOUNT'],
    [{ DATABASE_POOL_SIZE: '1' }, 'DATABASE_POOL_SIZE'],
    [{ WEBHOOK_WORKER_CONCURRENCY: '-1' }, 'WEBHOOK_WORKER_CONCURRENCY'],
  ])('refuses %j naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigValidationError);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as Error).message).toContain(name);
    }
  });

  it('never echoes a secret value in its error', () => {
    try {
      loadConfig({ STRIPE_SECRET_KEY: 'sk_live_secretvalue!!' });
      throw new Error('expected failure');
    } catch (e) {
      expect((e as Error).message).not.toContain('secretvalue');
    }
  });
});
