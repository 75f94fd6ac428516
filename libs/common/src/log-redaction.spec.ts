import { REDACTED, redactLogValue, redactQuery } from './log-redaction';

describe('log redaction', () => {
  it('replaces the values of secret and personal query parameters, in URLs and in any text', () => {
    expect(redactQuery('/api/self-service/portal?token=eyJzIjoi.abc-DEF_1')).toBe(
      `/api/self-service/portal?token=${REDACTED}`,
    );
    expect(redactQuery('/api/entitlements?email=reader%40example.com&at=2026-01-01T00:00:00Z')).toBe(
      `/api/entitlements?email=${REDACTED}&at=2026-01-01T00:00:00Z`,
    );
    expect(redactQuery('{"url":"/api/supporters?q=Jane%20Citizen","msg":"incoming request"}')).toBe(
      `{"url":"/api/supporters?q=${REDACTED}","msg":"incoming request"}`,
    );
    expect(redactQuery('GET:/x?%74oken=abc&API_KEY=k&session_id=cs_1 not found')).toBe(
      `GET:/x?%74oken=${REDACTED}&API_KEY=${REDACTED}&session_id=${REDACTED} not found`,
    );
    // An unknown parameter is redacted too; known harmless ones are kept.
    expect(redactQuery('/api/reports/summary?from=2026-01-01&to=2026-01-31&interval=week&new_thing=x')).toBe(
      `/api/reports/summary?from=2026-01-01&to=2026-01-31&interval=week&new_thing=${REDACTED}`,
    );
    expect(redactQuery('/delivery-address?subscription=7e0c&token=abc')).toBe(
      `/delivery-address?subscription=7e0c&token=${REDACTED}`,
    );
    expect(redactQuery('no query here = fine')).toBe('no query here = fine');
  });

  it('walks log objects, arrays and errors without changing the originals', () => {
    const message = { msg: 'request failed', url: '/p?token=t0k', nested: [{ where: '/e?email=a@b.c' }], n: 1 };
    expect(redactLogValue(message)).toEqual({
      msg: 'request failed',
      url: `/p?token=${REDACTED}`,
      nested: [{ where: `/e?email=${REDACTED}` }],
      n: 1,
    });
    expect(message.url).toBe('/p?token=t0k');
    const err = redactLogValue(new Error('bad /p?token=t0k')) as Error;
    expect(err.message).toBe(`bad /p?token=${REDACTED}`);
    expect(err.stack).not.toContain('t0k');
  });
});
