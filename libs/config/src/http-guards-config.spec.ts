import { ConfigValidationError, loadConfig } from './app-config';

describe('loadConfig: rate limit, CORS and metrics settings', () => {
  it('defaults: 20 requests a minute, no CORS origins, /metrics open', () => {
    const c = loadConfig({});
    expect(c.RATE_LIMIT_PER_MINUTE).toBe(20);
    expect(c.corsOrigins).toEqual([]);
    expect(c.METRICS_TOKEN).toBeUndefined();
  });

  it('reads them', () => {
    const c = loadConfig({
      RATE_LIMIT_PER_MINUTE: '0',
      CORS_ORIGINS: 'https://www.example.org, http://localhost:8080',
      METRICS_TOKEN: 'a-long-scrape-token-123',
    });
    expect(c.RATE_LIMIT_PER_MINUTE).toBe(0);
    expect(c.corsOrigins).toEqual(['https://www.example.org', 'http://localhost:8080']);
    expect(c.METRICS_TOKEN).toBe('a-long-scrape-token-123');
  });

  it.each([
    [{ RATE_LIMIT_PER_MINUTE: '-1' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ RATE_LIMIT_PER_MINUTE: 'lots' }, 'RATE_LIMIT_PER_MINUTE'],
    [{ CORS_ORIGINS: 'https://www.example.org/' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'www.example.org' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'https://www.example.org/donate' }, 'CORS_ORIGINS'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '11' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: 'proxy.internal' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '10.0.0.1,' }, 'TRUST_PROXY'],
  ])('refuses %j naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigValidationError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('TRUST_PROXY: none by default; a hop count; or proxy addresses and CIDRs', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1, fd00::/8, loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('does not echo METRICS_TOKEN', () => {
    const error = (() => {
      try {
        loadConfig({ METRICS_TOKEN: 'bad token with spaces' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toContain('METRICS_TOKEN');
    expect(error?.message).not.toContain('bad token');
  });
});
