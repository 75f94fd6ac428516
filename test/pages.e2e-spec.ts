import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { startTestApp, type TestContext } from './support/test-app';

/** The `script-src` directive of a Content-Security-Policy header ('' when there is none). */
function scriptSrc(csp: string | undefined): string {
  return (
    (csp ?? '')
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('script-src ')) ?? ''
  );
}

/**
 * Every HTML page the service serves runs under a CSP whose script-src has no 'unsafe-inline'
 * (scripts are files), and its scripts still run in a real browser without a CSP violation.
 */
describe('HTML pages: strict script CSP, scripts still run; /docs declares its security schemes', () => {
  let t: TestContext;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function open(path: string): Promise<{ page: Page; problems: string[]; csp: string | undefined }> {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (/\/favicon\.ico$/.test(m.location().url)) return; // the browser asks for one; none is served
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) {
        problems.push(`console ${m.type()}: ${m.text()} (${m.location().url})`);
      }
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
    });
    const response = await page.goto(`${t.baseUrl}${path}`);
    expect(response!.status()).toBe(200);
    return { page, problems, csp: (await response!.allHeaders())['content-security-policy'] };
  }

  const pages = [
    '/docs',
    '/embed/campaigns/current',
    '/checkout/complete',
    '/checkout/cancelled',
    '/give',
    '/subscribe',
  ];

  it.each(pages)('%s: script-src without unsafe-inline', async (path) => {
    const res = await t.http.get(path).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const directive = scriptSrc(res.headers['content-security-policy']);
    expect(directive).toMatch(/^script-src /);
    expect(directive).not.toContain(`'unsafe-inline'`);
    expect(directive).not.toContain(`'unsafe-eval'`);
  });

  it('the default policy (what any other page gets) has no inline script either', async () => {
    const res = await t.http.get('/docs/openapi.json').expect(200);
    const directive = scriptSrc(res.headers['content-security-policy']);
    expect(directive).toMatch(/^script-src /);
    expect(directive).not.toContain(`'unsafe-inline'`);
  });

  it('/docs renders Swagger UI with its operations in the browser, no CSP violation', async () => {
    const { page, problems, csp } = await open('/docs');
    expect(scriptSrc(csp)).not.toContain(`'unsafe-inline'`);
    await page.waitForSelector('.opblock', { timeout: 15000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
    // The security schemes are declared, so the Authorize button is there.
    await page.waitForSelector('button.authorize', { timeout: 5000 });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('the checkout return pages load without a CSP violation', async () => {
    for (const path of ['/checkout/complete', '/checkout/cancelled', '/give', '/subscribe']) {
      const { page, problems } = await open(path);
      expect(await page.locator('h1').count()).toBe(1);
      expect(problems).toEqual([]);
      await page.context().close();
    }
  });

  it('/docs/openapi.json declares the bearer and X-Api-Key schemes; an operation declares security exactly when it refuses anonymous callers', async () => {
    const doc = (await t.http.get('/docs/openapi.json').expect(200)).body;
    const op = (path: string, method: string) => doc.paths[path][method];
    expect(doc.components.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      website_key: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }),
      refresh_cookie: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'staff_refresh' }),
    });
    expect(op('/api/auth/refresh', 'post').security).toEqual([{ refresh_cookie: [] }]);
    expect(op('/api/staff', 'get').security).toEqual([{ bearer: [] }]);
    expect(op('/api/reports/summary', 'get').security).toEqual([{ bearer: [] }]);
    expect(op('/api/admin/tiers/{code}/price', 'put').security).toEqual([{ bearer: [] }]);
    expect(op('/api/entitlements', 'get').security).toEqual([{ website_key: [] }]);
    expect(op('/api/donations', 'post').security).toBeUndefined();

    // Every documented operation, called without credentials: 401/403 ⇔ it declares security.
    const mismatches: string[] = [];
    let checked = 0;
    type Operation = {
      security?: unknown[];
      parameters?: { name: string; in: string; required?: boolean }[];
      requestBody?: { content?: Record<string, { schema?: { required?: string[] } }> };
    };
    for (const [path, methods] of Object.entries<Record<string, Operation>>(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        // Self-service routes: the emailed link's signed `token` is the credential
        // (in the query when the link is followed, in the form its page posts when it is used).
        if (operation.parameters?.some((p) => p.in === 'query' && p.name === 'token' && p.required)) continue;
        if (Object.values(operation.requestBody?.content ?? {}).some((c) => c.schema?.required?.includes('token'))) {
          continue;
        }
        const url = `${t.baseUrl}${path.replace(/\{[^}]+\}/g, 'x1')}`;
        const body = ['post', 'put', 'patch'].includes(method) ? '{}' : undefined;
        const controller = new AbortController();
        const res = await fetch(url, {
          method: method.toUpperCase(),
          body,
          headers: body ? { 'content-type': 'application/json' } : {},
          signal: controller.signal,
        });
        controller.abort(); // an event stream never ends on its own
        const refused = res.status === 401 || res.status === 403;
        const declared = Array.isArray(operation.security) && operation.security.length > 0;
        if (refused !== declared) {
          mismatches.push(
            `${method.toUpperCase()} ${path}: ${res.status}, security ${JSON.stringify(operation.security)}`,
          );
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(mismatches).toEqual([]);
  });
});
