import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './support/browser';
import { signedIn } from './support/staff';
import { startTestApp, type TestContext } from './support/test-app';

/**
 * The embeddable bar in a real browser: the text a reader without JavaScript gets is the text the
 * live script shows after a server-sent update, under the page's own CSP (no inline script).
 */
describe('embeddable progress bar in a browser (JavaScript on and off)', () => {
  let t: TestContext;
  let browser: Browser;
  let withJs: BrowserContext;
  let phone: string;

  beforeAll(async () => {
    t = await startTestApp();
    phone = await signedIn(t, 'phone');
    browser = await launchBrowser();
    withJs = await browser.newContext();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const cash = (amount: number, key: string) =>
    t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', key)
      .send({ supporter: { name: `Caller ${key}` }, amount, method: 'cash' })
      .then((r) => (r.status === 201 ? r : Promise.reject(new Error(`${r.status} ${r.text}`))));

  /** Opens a page and records every CSP violation and console error it reports. */
  async function open(context: BrowserContext, path: string): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) {
        problems.push(`console ${m.type()}: ${m.text()}`);
      }
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // Run by the browser before the page's own scripts (not subject to the page's CSP).
    await page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
    });
    await page.goto(`${t.baseUrl}${path}`);
    return { page, problems };
  }

  /** The text of a freshly loaded bar with JavaScript off: what the server renders (a new context: no HTTP cache). */
  async function serverText(): Promise<string> {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const { page } = await open(context, '/embed/campaigns/current');
    const text = (await page.locator('.raised').textContent())!.trim();
    const supporters = (await page.locator('.supporters').textContent())!.trim();
    await context.close();
    return `${text} | ${supporters}`;
  }

  it('after a live update the script shows exactly the text of a fresh no-JavaScript load ("$1,269.56 raised of $250,000")', async () => {
    await cash(126956, 'embed-cash-1');
    await t.settled();
    // The board refreshes every 50 ms in tests; the server text is the reference.
    let before = '';
    for (let i = 0; i < 100 && !before.startsWith('$1,269.56 raised'); i++) {
      before = await serverText();
      if (!before.startsWith('$1,269.56 raised')) await new Promise((r) => setTimeout(r, 50));
    }
    expect(before).toBe('$1,269.56 raised of $250,000 | 1 supporter');

    const { page, problems } = await open(withJs, '/embed/campaigns/current');
    // The script takes over: the refresh meta goes, and the first event (on connect) is rendered.
    const wentLive = await page.waitForSelector('.progress[data-live="true"]', { timeout: 5000 }).then(
      () => true,
      () => false,
    );
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    const live = async () =>
      `${(await page.locator('.raised').textContent())!.trim()} | ${(await page.locator('.supporters').textContent())!.trim()}`;
    expect(await live()).toBe(before);
    expect(wentLive).toBe(true);

    await cash(9_000_000, 'embed-cash-2');
    // A function, not a string: the page's CSP (rightly) refuses eval.

    await page.waitForFunction(
      (old) => (globalThis as any).document.querySelector('.raised').textContent.trim() !== old,
      before.split(' | ')[0],
      { timeout: 10000 },
    );
    const after = await live();
    expect(after).toBe('$91,269.56 raised of $250,000 | 2 supporters');
    expect(after).toBe(await serverText());
    expect(await page.locator('.bar').getAttribute('aria-label')).toBe('$91,269.56 raised of $250,000');
    expect(await page.locator('.bar').getAttribute('value')).toBe('9126956');
    expect(problems).toEqual([]);
    await page.close();
  });
});
