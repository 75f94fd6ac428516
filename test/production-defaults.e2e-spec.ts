import { startTestApp, type TestContext } from './support/test-app';

/**
 * A live key (here pointed at the simulator through STRIPE_API_URL: no real Stripe is reached)
 * means production: no random per-process secrets, and /metrics (revenue) is not open by default.
 * That the service refuses to start without them is checked in libs/config/src/app-config.spec.ts
 * (main.ts exits on loadConfig's error).
 */
describe('production defaults with a live Stripe key', () => {
  const live = {
    STRIPE_SECRET_KEY: 'sk_live_e2e',
    AUTH_TOKEN_SECRET: 's'.repeat(40),
    LINK_SIGNING_SECRET: 'l'.repeat(40),
  };
  const token = 'scrape-token-for-the-e2e-suite';

  describe('live, with the secrets and METRICS_TOKEN', () => {
    let t: TestContext;
    beforeAll(async () => {
      t = await startTestApp({ ...live, METRICS_TOKEN: token });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('/metrics answers 401 without the token or with a wrong one, 200 with it', async () => {
      expect(t.config.stripeLive).toBe(true);
      const anonymous = await t.http.get('/metrics').expect(401);
      expect(anonymous.body).toMatchObject({ code: 'UNAUTHORIZED', field: 'Authorization' });
      expect(anonymous.text).not.toContain('ledger_gross_minor_units');
      await t.http.get('/metrics').set('authorization', 'Bearer not-the-token-at-all').expect(401);
      const scraped = await t.http.get('/metrics').set('authorization', `Bearer ${token}`).expect(200);
      expect(scraped.text).toContain('http_request_duration_seconds');
    });
  });

  describe('live, METRICS_PUBLIC=true (behind a firewall)', () => {
    let t: TestContext;
    beforeAll(async () => {
      t = await startTestApp({ ...live, METRICS_PUBLIC: 'true' });
    });
    afterAll(async () => {
      await t?.close();
    });

    it('/metrics is open, as asked', async () => {
      await t.http.get('/metrics').expect(200);
    });
  });
});
