import { Logger } from '@nestjs/common';
import { SubscriptionsService } from '@app/subscriptions';
import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { startTestApp, type TestContext } from './support/test-app';

const API_KEY = 'paywall_log_key_0123456789';

/**
 * Everything the service logs (Fastify's request lines, Nest's loggers, the error filter) is
 * captured from stdout and stderr while real requests carry a self-service token, an email and a
 * staff search in their URLs: none of them may appear in a log line.
 */
describe('logs: no link tokens, emails or search text from URLs', () => {
  let t: TestContext;
  const lines: string[] = [];
  const spies: jest.SpyInstance[] = [];
  const log = () => lines.join('');

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      spies.push(
        jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
          lines.push(String(chunk));
          const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
          done?.();
          return true;
        }) as typeof stream.write),
      );
    }
    t = await startTestApp({ LOG_LEVEL: 'info', ENTITLEMENTS_API_KEYS: API_KEY });
  });
  afterAll(async () => {
    await t?.close();
    for (const spy of spies) spy.mockRestore();
  });

  it('request lines, error logs and Nest logger messages carry [REDACTED] in place of sensitive query values', async () => {
    const email = 'leaky.reader@example.com';
    await paidDonation(t, 2500, { email });
    await t.http.post('/api/self-service/links').send({ email }).expect(202);
    const [mail] = await t.query<{ body: string }>(
      `SELECT body FROM emails WHERE to_address = $1 AND kind = 'self_service_link'`,
      [email],
    );
    const link = new URL(mail.body.match(/https?:\/\/\S+/)![0]);
    const token = link.searchParams.get('token')!;
    expect(token.length).toBeGreaterThan(20);
    await t.http.get(`${link.pathname}${link.search}`).expect(200); // the link's page (the link is not used by a GET)
    await t.http
      .put(
        `/api/self-service/subscriptions/00000000-0000-0000-0000-000000000000/delivery-address?token=${encodeURIComponent(token)}`,
      )
      .send({ line1: '1 Secret St', city: 'Sydney', postalCode: '2000', country: 'AU' });

    await t.http
      .get('/api/entitlements')
      .query({ email: 'paywall.reader@example.com' })
      .set('x-api-key', API_KEY)
      .expect(200);
    const staff = await signedIn(t, 'phone');
    await t.http.get('/api/supporters').query({ q: 'Zebediah Searchname' }).set('authorization', staff).expect(200);
    await t.http
      .get('/no/such/page')
      .query({ token: 'unrouted-secret-token', email: 'unrouted@example.com' })
      .expect(404);
    // A failure logged by the error filter, with the URL that caused it.
    jest.spyOn(t.app.get(SubscriptionsService), 'entitlements').mockRejectedValueOnce(new Error('boom'));
    await t.http
      .get('/api/entitlements')
      .query({ email: 'failing.reader@example.com' })
      .set('x-api-key', API_KEY)
      .expect(500);
    // Any Nest logger message with a URL in it.
    new Logger('Probe').warn({ msg: 'probe', link: `${link.origin}/api/self-service/portal?token=${token}` });
    new Logger('Probe').error(`could not follow /api/entitlements?email=probe.reader%40example.com`);

    const text = log();
    // The lines are there (the capture works), with the values replaced.
    expect(text).toContain('"msg":"incoming request"');
    expect(text).toContain('/api/self-service/portal?token=[REDACTED]');
    expect(text).toContain('/api/entitlements?email=[REDACTED]');
    expect(text).toContain('/api/supporters?q=[REDACTED]');
    expect(text).toMatch(/"msg":"request failed".*"url":"\/api\/entitlements\?email=\[REDACTED\]"/);
    expect(text).toContain('"msg":"probe"');
    for (const secret of [
      token,
      token.split('.')[0],
      'leaky.reader',
      'paywall.reader',
      'Zebediah',
      'unrouted-secret-token',
      'unrouted%40example',
      'failing.reader',
      'probe.reader',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
