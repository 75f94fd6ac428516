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
    const c = loadConfig({
      PORT: '8080',
      CURRENCY: 'nzd',
      DATABASE_URL: 'postgres://u@localhost/db',
      STRIPE_SECRET_KEY: 'sk_test_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
    });
    expect(c.PORT).toBe(8080);
    expect(c.CURRENCY).toBe('NZD');
    expect(c.usesSimulator).toBe(false);
  });

  it('PUBLIC_BASE_URL follows PORT when it is not set', () => {
    expect(loadConfig({}).PUBLIC_BASE_URL).toBe('http://localhost:3000');
    const c = loadConfig({ PORT: '8080' });
    expect(c.PUBLIC_BASE_URL).toBe('http://localhost:8080');
    expect(c.publicBaseUrlIsDefault).toBe(true);
  });

  it('PORT=0 without PUBLIC_BASE_URL is a valid configuration whose base URL is filled in once listening', () => {
    const c = loadConfig({ PORT: '0' });
    expect(c.publicBaseUrlIsDefault).toBe(true);
    expect(c.PUBLIC_BASE_URL).toBe('http://localhost');
  });

  it('PUBLIC_BASE_URL, when set, wins over PORT', () => {
    const c = loadConfig({ PORT: '8080', PUBLIC_BASE_URL: 'https://support.example.org' });
    expect(c.PUBLIC_BASE_URL).toBe('https://support.example.org');
    expect(c.publicBaseUrlIsDefault).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ CURRENCY: 'dollars' }, 'CURRENCY'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://app@localhost/db', MIGRATION_DATABASE_URL: 'mysql://x' }, 'MIGRATION_DATABASE_URL'],
    [{ MIGRATION_DATABASE_URL: 'postgres://owner@localhost/db' }, 'MIGRATION_DATABASE_URL'],
    [{ STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_x' }, 'STRIPE_SECRET_KEY'],
    [{ STRIPE_SECRET_KEY: 'sk_test_abc' }, 'STRIPE_WEBHOOK_SECRET'],
    [{ PUBLIC_BASE_URL: 'not a url' }, 'PUBLIC_BASE_URL'],
    [{ DONATION_MIN_AMOUNT: '500', DONATION_MAX_AMOUNT: '100' }, 'DONATION_MIN_AMOUNT'],
    [{ DATABASE_POOL_SIZE: '1' }, 'DATABASE_POOL_SIZE'],
    [{ WEBHOOK_WORKER_CONCURRENCY: '-1' }, 'WEBHOOK_WORKER_CONCURRENCY'],
    [{ ORG_ABN: '1234' }, 'ORG_ABN'],
    [{ ORG_ACCENT_COLOUR: 'red' }, 'ORG_ACCENT_COLOUR'],
    [{ ORG_SITE_URL: 'example.org' }, 'ORG_SITE_URL'],
    [{ ORG_GIFTS_TAX_DEDUCTIBLE: 'yes' }, 'ORG_GIFTS_TAX_DEDUCTIBLE'],
  ])('refuses %j naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigValidationError);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as Error).message).toContain(name);
    }
  });

  it('organisation: the ORG_* details, the tax statement following ORG_GIFTS_TAX_DEDUCTIBLE, the site defaulting to PUBLIC_BASE_URL', () => {
    const plain = loadConfig({ PUBLIC_BASE_URL: 'https://support.example.org' }).organisation;
    expect(plain).toMatchObject({ name: 'The Example Times', abn: null, siteUrl: 'https://support.example.org' });
    expect(plain.taxStatement).toMatch(/not a deductible gift recipient/);
    const dgr = loadConfig({
      ORG_NAME: 'Bay Chronicle',
      ORG_ABN: '51 824 753 556',
      ORG_GIFTS_TAX_DEDUCTIBLE: 'true',
      ORG_SITE_URL: 'https://baychronicle.example',
    }).organisation;
    expect(dgr).toMatchObject({
      name: 'Bay Chronicle',
      abn: '51 824 753 556',
      siteUrl: 'https://baychronicle.example',
    });
    expect(dgr.taxStatement).toMatch(/^Bay Chronicle is a deductible gift recipient/);
  });

  it('the development mailbox: on by default only with the simulator, DEV_MAILBOX decides otherwise, never with a live key', () => {
    const test = { STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' };
    const live = {
      STRIPE_SECRET_KEY: 'sk_live_abc',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
      AUTH_TOKEN_SECRET: 'a'.repeat(32),
      LINK_SIGNING_SECRET: 'b'.repeat(32),
      METRICS_TOKEN: 'a-long-scrape-token-123',
    };
    expect(loadConfig({}).devMailbox).toBe(true);
    expect(loadConfig({ DEV_MAILBOX: 'false' }).devMailbox).toBe(false);
    expect(loadConfig(test).devMailbox).toBe(false);
    expect(loadConfig({ ...test, DEV_MAILBOX: 'true' }).devMailbox).toBe(true);
    expect(loadConfig(live).devMailbox).toBe(false);
    expect(loadConfig({ ...live, DEV_MAILBOX: 'true' }).devMailbox).toBe(false);
    expect(() => loadConfig({ DEV_MAILBOX: 'yes' })).toThrow(/DEV_MAILBOX/);
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

describe('loadConfig: production defaults', () => {
  const live = { STRIPE_SECRET_KEY: 'sk_live_abc123', STRIPE_WEBHOOK_SECRET: 'whsec_abc' };
  const secrets = {
    AUTH_TOKEN_SECRET: 'a'.repeat(32),
    LINK_SIGNING_SECRET: 'b'.repeat(32),
    METRICS_TOKEN: 'a-long-scrape-token-123',
  };
  const problems = (env: Record<string, string>): string => {
    try {
      loadConfig(env);
      return '';
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigValidationError);
      return (e as Error).message;
    }
  };

  it('a live key needs AUTH_TOKEN_SECRET, LINK_SIGNING_SECRET and METRICS_TOKEN (random per-process secrets and open revenue metrics are for development only)', () => {
    const message = problems(live);
    expect(message).toContain('AUTH_TOKEN_SECRET is required with a live Stripe key');
    expect(message).toContain('LINK_SIGNING_SECRET is required with a live Stripe key');
    expect(message).toContain('METRICS_TOKEN is required with a live Stripe key');
    for (const missing of Object.keys(secrets)) {
      const env = { ...live, ...secrets } as Record<string, string>;
      delete env[missing];
      expect(problems(env)).toContain(`${missing} is required with a live Stripe key`);
    }
    expect(problems({ ...live, ...secrets })).toBe('');
    // A restricted live key is live too.
    expect(problems({ ...live, STRIPE_SECRET_KEY: 'rk_live_abc123' })).toContain('AUTH_TOKEN_SECRET is required');
  });

  it('METRICS_PUBLIC=true opts out of the metrics token (behind a firewall); it cannot be combined with a token', () => {
    const { METRICS_TOKEN: _, ...rest } = secrets;
    const c = loadConfig({ ...live, ...rest, METRICS_PUBLIC: 'true' });
    expect(c.METRICS_PUBLIC).toBe(true);
    expect(loadConfig({}).METRICS_PUBLIC).toBe(false);
    expect(problems({ METRICS_PUBLIC: 'yes' })).toContain('METRICS_PUBLIC');
    expect(problems({ METRICS_PUBLIC: 'true', METRICS_TOKEN: secrets.METRICS_TOKEN })).toContain('METRICS_PUBLIC');
  });

  it('test keys and the simulator keep working without those secrets', () => {
    expect(problems({})).toBe('');
    expect(problems({ STRIPE_SECRET_KEY: 'sk_test_abc', STRIPE_WEBHOOK_SECRET: 'whsec_abc' })).toBe('');
  });

  it.each(['AUD', 'usd', 'EUR', 'NZD', 'JPY', 'KRW', 'GBP'])('CURRENCY %s is accepted', (code) => {
    expect(loadConfig({ CURRENCY: code }).CURRENCY).toBe(code.toUpperCase());
  });

  it.each(['XYZ', 'ABC', 'AAA', 'US$', 'EURO'])('CURRENCY %s is not ISO 4217 and refused', (code) => {
    expect(problems({ CURRENCY: code })).toContain('CURRENCY');
  });

  it.each(['BHD', 'KWD', 'JOD', 'OMR', 'TND'])(
    'CURRENCY %s (three-decimal minor units, which amounts here cannot express) is refused',
    (code) => {
      expect(problems({ CURRENCY: code })).toContain('three-decimal');
    },
  );
});
