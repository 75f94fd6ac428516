import { loadConfig } from '@app/config';
import { readerCsp } from './send-page';

const directive = (csp: string, name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `));

describe('readerCsp', () => {
  it("with Stripe: forms may lead to Stripe's Checkout and portal only; the logo's host may serve images", () => {
    const csp = readerCsp(
      loadConfig({
        STRIPE_SECRET_KEY: 'sk_test_123',
        STRIPE_WEBHOOK_SECRET: 'whsec_123',
        ORG_LOGO_URL: 'https://cdn.example.org/logo.svg',
        EMBEDDED_DB_DIR: 'memory',
      }),
    );
    expect(directive(csp, 'form-action')).toBe(
      `form-action 'self' https://checkout.stripe.com https://billing.stripe.com`,
    );
    expect(directive(csp, 'img-src')).toBe(`img-src 'self' data: https://cdn.example.org`);
    expect(directive(csp, 'script-src')).toBe(`script-src 'self'`);
  });

  it('with the simulator (any port): its pages', () => {
    const csp = readerCsp(loadConfig({ EMBEDDED_DB_DIR: 'memory' }));
    expect(directive(csp, 'form-action')).toBe(`form-action 'self' http: https:`);
    expect(directive(csp, 'img-src')).toBe(`img-src 'self' data:`);
  });
});
