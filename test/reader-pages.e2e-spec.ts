import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchBrowser, seriousAxeViolations } from './support/browser';
import { signedIn } from './support/staff';
import { SmtpInbox } from './support/smtp-inbox';
import { startTestApp, type TestContext, waitFor } from './support/test-app';

const SHOTS = join(__dirname, '..', 'test-output', 'screenshots');
const TZ = 'Australia/Sydney';
/** Where the sample website page (docs/website-sample.html) is served from: another origin, on this machine. */
let SITE = '';

/** A date as the pages write it: "4 December 2027" (or "4 December"), in the organisation's zone. */
const local = (at: Date, withYear = true) =>
  new Intl.DateTimeFormat('en-AU', {
    day: 'numeric',
    month: 'long',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: TZ,
  }).format(at);

/**
 * The reader pages in Debian's Chromium against the real service (real database, simulator):
 * a reader gives from /give and pays on the Checkout page, with and without JavaScript, and the
 * thank-you page says what was bought; subscribes to print with an address and to a prepaid
 * digital year; bad input comes back with the problems named and records nothing; a form
 * without its CSRF token is refused; the cancelled page leads back; the embed's Donate button
 * leads to /give. Each page at 375 pixels is screenshotted and axe finds nothing serious on it.
 */
describe('reader pages: donate, subscribe, thank-you, cancelled', () => {
  const inbox = new SmtpInbox();
  let t: TestContext;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let site: Server;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // The publication's website: the sample page, pointed at the test app.
    site = createServer((req, res) => {
      const html = readFileSync(join(__dirname, '..', 'docs', 'website-sample.html'), 'utf8');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html.replaceAll('http://localhost:3000', t.baseUrl));
    });
    await new Promise<void>((ok) => site.listen(0, '127.0.0.1', ok));
    SITE = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    await inbox.start();
    t = await startTestApp({
      SMTP_URL: inbox.smtpUrl,
      EMAIL_POLL_INTERVAL_MS: '500',
      ORG_NAME: 'The Valley Courier',
      ORG_ABN: '51 824 753 556',
      ORG_POSTAL_ADDRESS: 'PO Box 12, Newtown NSW 2042',
      ORG_SITE_URL: 'https://valley-courier.example.org',
      ORG_ACCENT_COLOUR: '#1d4ed8',
      REPORT_TIME_ZONE: TZ,
      CORS_ORIGINS: SITE,
      ENTITLEMENTS_API_KEYS: 'sample-site-key-0001',
      // The forms are rate limited as in production (each route counts its own posts).
      RATE_LIMIT_PER_MINUTE: '20',
    });
    browser = await launchBrowser();
    await t.query(
      `INSERT INTO campaigns (slug, title, currency, target_amount, starts_at, ends_at)
       VALUES ('winter-appeal', 'Winter appeal', 'AUD', 500000, now() - interval '2 days', now() + interval '30 days'),
              ('old-appeal', 'Old appeal', 'AUD', 500000, now() - interval '60 days', now() - interval '30 days'),
              ('next-appeal', 'Next appeal', 'AUD', 500000, now() + interval '30 days', NULL)`,
    );
  }, 120000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await inbox.stop();
    await browser?.close();
    await t?.close();
    await new Promise((ok) => site?.close(ok));
  });
  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function newPage(opts: { javaScriptEnabled?: boolean; width?: number } = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: opts.width ?? 375, height: 812 },
      locale: 'en-AU',
      javaScriptEnabled: opts.javaScriptEnabled ?? true,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
    });
    return page;
  }

  /** A 375-pixel screenshot, and axe's serious or critical findings (none expected). */
  async function check(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `reader-${name}.png`), fullPage: true });
    expect({ page: name, violations: await seriousAxeViolations(page) }).toEqual({ page: name, violations: [] });
    // Usable at 375 pixels: nothing wider than the screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
  }

  const checkouts = async () => Number((await t.query<{ n: string }>(`SELECT count(*) AS n FROM checkouts`))[0].n);

  /** Pays on the simulator's Checkout page and waits for the thank-you page. */
  async function pay(page: Page): Promise<void> {
    await page.waitForURL(/\/checkout\/cs_/);
    await page.getByLabel('Name on card').fill('Jo Reader');
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL(/\/checkout\/complete\?checkout=/);
  }

  /** The thank-you heading once the payment is recorded (with JavaScript the page asks again by itself). */
  async function recordedHeading(page: Page, js = true): Promise<string> {
    if (!js) {
      await t.settled();
      await page.reload();
    }
    await page.locator('[data-pending-checkout]').waitFor({ state: 'detached', timeout: 15000 });
    return (await page.locator('h1').textContent())!.trim();
  }

  it('a reader types 25.00 on /give, pays, and the thank-you page says $25.00 and links back to the site', async () => {
    const page = await newPage();
    const res = await page.goto(`${t.baseUrl}/give`);
    expect(res!.status()).toBe(200);
    // Branding and the current campaign's bar.
    await expect(page.locator('header .brand').textContent()).resolves.toBe('The Valley Courier');
    expect(await page.locator('header .brand').getAttribute('href')).toBe('https://valley-courier.example.org');
    await expect(page.locator('progress').count()).resolves.toBe(1);
    expect(await page.locator('#progress-sentence').textContent()).toContain('raised of $250,000');
    await check(page, 'give');

    await page.getByLabel('Other amount (AUD)').fill('25.00');
    // Typing an amount chooses "Other" (JavaScript).
    expect(await page.getByRole('radio', { name: 'Other' }).isChecked()).toBe(true);
    await page.getByLabel('Email').fill('jo.reader@example.com');
    await page.getByLabel('Name (optional)').fill('Jo Reader');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await pay(page);
    expect(await recordedHeading(page)).toBe('Thank you for your donation of $25.00');
    expect(await page.getByRole('link', { name: 'Back to The Valley Courier' }).getAttribute('href')).toBe(
      'https://valley-courier.example.org',
    );
    await check(page, 'thank-you-donation');
    const [row] = await t.query<{ amount: string; frequency: string; status: string }>(
      `SELECT amount, frequency, status FROM checkouts WHERE email = 'jo.reader@example.com'`,
    );
    expect(row).toEqual({ amount: '2500', frequency: 'one_off', status: 'complete' });

    // The receipt arrives (a real SMTP server), with the organisation's details and the next number
    // of the receipts' own sequence (not the ledger entry's id).
    const [receipt] = await inbox.awaitCount('jo.reader@example.com', 1, /receipt/i);
    const [issued] = await t.query<{ number: string; ledger_entry_id: string; max: string }>(
      `SELECT r.number, r.ledger_entry_id, (SELECT max(number) FROM receipts) AS max
         FROM receipts r JOIN ledger_entries l ON l.id = r.ledger_entry_id JOIN supporters p ON p.id = l.supporter_id
        WHERE p.email = 'jo.reader@example.com'`,
    );
    expect(issued.number).toBe(issued.max); // the latest receipt: numbered after every earlier one
    expect(receipt.text).toContain(`Receipt number: ${issued.number}\n`);
    expect(receipt.html).toMatch(new RegExp(`Receipt number</th><td>${issued.number}</td>`));
    for (const part of [receipt.text!, receipt.html as string]) {
      expect(part).toContain('$25.00');
      expect(part).toContain('The Valley Courier');
      expect(part).toContain('51 824 753 556');
      expect(part).toContain('PO Box 12, Newtown NSW 2042');
      expect(part).toContain('not a deductible gift recipient');
    }
  });

  it('without JavaScript: a suggested amount, pay, and the thank-you page (reloaded) says $50.00', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto(`${t.baseUrl}/give`);
    await page.locator('label.choice', { hasText: '$50' }).click();
    await page.getByLabel('Email').fill('nojs@example.com');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await pay(page);
    expect(await recordedHeading(page, false)).toBe('Thank you for your donation of $50.00');
  });

  it('a monthly donation: "your monthly donation of $10.00 from <today>"', async () => {
    const page = await newPage();
    await page.goto(`${t.baseUrl}/give`);
    await page.locator('label.choice', { hasText: 'Monthly' }).click();
    await page
      .locator('label.choice')
      .filter({ hasText: /^\$10$/ })
      .click();
    await page.getByLabel('Email').fill('monthly@example.com');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await pay(page);
    expect(await recordedHeading(page)).toBe(
      `Thank you for your monthly donation of $10.00 from ${local(new Date(), false)}`,
    );
    await check(page, 'thank-you-monthly');
  });

  it('the give form can be completed with the keyboard alone (Tab, typing, Space, Enter)', async () => {
    const page = await newPage();
    await page.goto(`${t.baseUrl}/give`);
    const focused = () =>
      page.evaluate(`document.activeElement && (document.activeElement.name || document.activeElement.textContent)`);
    // Tab to the frequency choice; arrows move within a radio group, Space keeps the choice.
    for (let i = 0; i < 10 && (await focused()) !== 'frequency'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('frequency');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    expect(await page.getByRole('radio', { name: 'Monthly' }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('amount');
    await page.keyboard.press('ArrowRight'); // $25 → $50
    expect(await page.getByRole('radio', { name: '$50' }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('otherAmount');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('email');
    await page.keyboard.type('keys@example.com');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('name');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Continue to payment');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/checkout\/cs_/);
    const [row] = await t.query<{ amount: string; frequency: string }>(
      `SELECT amount, frequency FROM checkouts WHERE email = 'keys@example.com'`,
    );
    expect(row).toEqual({ amount: '5000', frequency: 'monthly' });
  });

  it('a print subscription with an address: the thank-you page names the address the first issue goes to', async () => {
    const page = await newPage();
    await page.goto(`${t.baseUrl}/subscribe`);
    // With JavaScript the address shows only for print.
    expect(await page.locator('#delivery-address').isHidden()).toBe(true);
    await check(page, 'subscribe');
    await page.locator('label.choice', { hasText: 'Print edition' }).click();
    expect(await page.locator('#delivery-address').isVisible()).toBe(true);
    await page.getByLabel('Full name').fill('Pat Print');
    await page.getByLabel('Email').fill('pat.print@example.com');
    await page.getByLabel('Street address').fill('12 Smith St');
    await page.getByLabel('Suburb or town').fill('Newtown');
    await page.getByLabel('State or territory').selectOption('NSW');
    await page.getByLabel('Postcode').fill('2042');
    await check(page, 'subscribe-print');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await pay(page);
    expect(await recordedHeading(page)).toBe('Thank you for your print subscription');
    expect(await page.locator('main').textContent()).toContain(
      'Your print subscription: first issue to 12 Smith St, Newtown NSW 2042.',
    );
    await check(page, 'thank-you-print');
  });

  it('a prepaid digital year: "digital access until <a year on>"; a monthly subscription on top explains and offers a sign-in link', async () => {
    const page = await newPage();
    await page.goto(`${t.baseUrl}/subscribe?tier=digital&billing=prepaid`);
    expect(await page.getByRole('radio', { name: /12 months up front/ }).isChecked()).toBe(true);
    await page.getByLabel('Full name').fill('Dee Digital');
    await page.getByLabel('Email').fill('dee@example.com');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await pay(page);
    const heading = await recordedHeading(page);
    const [sub] = await t.query<{ end: Date }>(
      `SELECT s.current_period_end AS end FROM subscriptions s JOIN supporters p ON p.id = s.supporter_id WHERE p.email = 'dee@example.com'`,
    );
    expect(heading).toBe(`Thank you: digital access until ${local(sub.end)}`);
    const aYearOn = new Date();
    aYearOn.setUTCFullYear(aYearOn.getUTCFullYear() + 1);
    expect(Math.abs(sub.end.getTime() - aYearOn.getTime())).toBeLessThan(2 * 86400_000);
    await check(page, 'thank-you-prepaid');

    // A second prepaid year is an early renewal (the account offers it); monthly on top of it is refused.
    const before = await checkouts();
    await page.goto(`${t.baseUrl}/subscribe?tier=digital&billing=monthly`);
    await page.getByLabel('Full name').fill('Dee Digital');
    await page.getByLabel('Email').fill('dee@example.com');
    const answer = page.waitForResponse((r) => r.url().endsWith('/subscribe') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    expect((await answer).status()).toBe(409);
    await expect(page.locator('h1').textContent()).resolves.toBe('You already subscribe');
    const form = page.locator('form[action="/account/sign-in"]');
    expect(await form.locator('input[name="email"]').inputValue()).toBe('dee@example.com');
    expect(await form.locator('input[name="_csrf"]').inputValue()).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    await expect(form.getByRole('button', { name: 'Email me a sign-in link' }).count()).resolves.toBe(1);
    await check(page, 'already-subscribed');
    expect(await checkouts()).toBe(before);
  });

  it('bad input (0.5, no email; a postcode of another state) comes back with the problems named, values kept, nothing recorded', async () => {
    const before = await checkouts();
    const page = await newPage();
    await page.goto(`${t.baseUrl}/give`);
    await page.getByLabel('Other amount (AUD)').fill('0.5');
    const answer = page.waitForResponse((r) => r.url().endsWith('/give') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    expect((await answer).status()).toBe(400);
    await page.waitForLoadState();
    const summary = page.getByRole('alert');
    expect(await summary.textContent()).toContain('The smallest gift we can take online is $1');
    expect(await summary.textContent()).toContain('Enter your email address');
    // The summary has the focus, and each problem is next to its field, tied to it for screen readers.
    expect(await page.evaluate('document.activeElement.id')).toBe('error-summary');
    const other = page.getByLabel('Other amount (AUD)');
    expect(await other.inputValue()).toBe('0.5');
    expect(await other.getAttribute('aria-invalid')).toBe('true');
    expect(
      await page.locator(`#${(await other.getAttribute('aria-describedby'))!.split(' ').pop()}`).textContent(),
    ).toBe('The smallest gift we can take online is $1');
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await check(page, 'give-errors');

    await page.goto(`${t.baseUrl}/subscribe?tier=print`);
    await page.getByLabel('Full name').fill('Vic Wrong');
    await page.getByLabel('Street address').fill('1 Collins St');
    await page.getByLabel('Suburb or town').fill('Melbourne');
    await page.getByLabel('State or territory').selectOption('VIC');
    await page.getByLabel('Postcode').fill('2042');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForSelector('#error-summary');
    expect(await page.getByRole('alert').textContent()).toContain('Postcode 2042 is not in VIC');
    expect(await page.getByLabel('Postcode').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Street address').inputValue()).toBe('1 Collins St');
    expect(await page.getByRole('radio', { name: /Print edition/ }).isChecked()).toBe(true);
    await check(page, 'subscribe-errors');
    expect(await checkouts()).toBe(before);
  });

  it("a form posted without its CSRF token (or with another browser's) is refused with a page, and records nothing", async () => {
    const before = await checkouts();
    const form = 'frequency=one_off&amount=2500&otherAmount=&email=forged%40example.com&name=';
    const none = await fetch(`${t.baseUrl}/give`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form,
      redirect: 'manual',
    });
    expect(none.status).toBe(403);
    expect(await none.text()).toContain('This form has expired');
    // A token from one browser with another's cookie.
    const a = await fetch(`${t.baseUrl}/give`);
    const b = await fetch(`${t.baseUrl}/give`);
    const token = /name="_csrf" value="([^"]+)"/.exec(await a.text())![1];
    const otherCookie = b.headers.get('set-cookie')!.split(';')[0];
    const crossed = await fetch(`${t.baseUrl}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: otherCookie },
      body: `_csrf=${token}&tier=digital&billing=monthly&name=X&email=forged%40example.com`,
      redirect: 'manual',
    });
    expect(crossed.status).toBe(403);
    // With its own cookie the same token goes through (303 to Checkout): the refusals were the token's.
    const ok = await fetch(`${t.baseUrl}/give`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: a.headers.get('set-cookie')!.split(';')[0],
      },
      body: `_csrf=${token}&${form}`,
      redirect: 'manual',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toMatch(/\/checkout\/cs_/);
    expect(await checkouts()).toBe(before + 1);

    const page = await newPage();
    await page.goto(`${t.baseUrl}/give`);
    await page.context().clearCookies();
    await page.getByLabel('Email').fill('late@example.com');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForSelector('h1:text("This form has expired")');
    await check(page, 'form-expired');
  });

  it('the cancelled page leads back to the form it came from, prefilled', async () => {
    const page = await newPage();
    await page.goto(`${t.baseUrl}/give/winter-appeal`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Give to Winter appeal');
    await page.locator('label.choice', { hasText: 'Monthly' }).click();
    await page.getByLabel('Other amount (AUD)').fill('12.34');
    await page.getByLabel('Email').fill('changed.mind@example.com');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(/\/checkout\/cs_/);
    await page.getByRole('link', { name: /Cancel and go back/ }).click();
    await page.waitForURL(/\/checkout\/cancelled/);
    await expect(page.locator('h1').textContent()).resolves.toBe('No payment was made');
    await check(page, 'cancelled');
    await page.getByRole('link', { name: 'Back to the donation form' }).click();
    await page.waitForURL(/\/give\/winter-appeal\?/);
    expect(await page.getByRole('radio', { name: 'Monthly' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Other amount (AUD)').inputValue()).toBe('12.34');
  });

  it('a campaign that has ended or not started says so (422); an unknown one is a 404 page', async () => {
    const page = await newPage();
    for (const [slug, status, heading, shot] of [
      ['old-appeal', 422, 'This campaign has ended', 'campaign-ended'],
      ['next-appeal', 422, 'This campaign has not started yet', 'campaign-not-started'],
      ['no-such-appeal', 404, 'We could not find this campaign', 'campaign-unknown'],
    ] as const) {
      const res = await page.goto(`${t.baseUrl}/give/${slug}`);
      expect(res!.status()).toBe(status);
      await expect(page.locator('h1').textContent()).resolves.toBe(heading);
      await check(page, shot);
    }
  });

  it("the embed's Donate button opens /give in the top window", async () => {
    const page = await newPage();
    await page.goto(`${t.baseUrl}/checkout/complete`); // any page of the service's origin to host the frame
    await page.setContent(
      `<html lang="en"><body><iframe title="Fighting fund" src="${t.baseUrl}/embed/campaigns/current" width="360" height="160"></iframe></body></html>`,
    );
    const frame = page.frameLocator('iframe');
    await frame.getByRole('link', { name: 'Donate' }).click();
    await page.waitForURL(`${t.baseUrl}/give`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Support The Valley Courier');
    const named = await (await fetch(`${t.baseUrl}/embed/campaigns/winter-appeal`)).text();
    expect(named).toContain(`href="${t.baseUrl}/give/winter-appeal" target="_top"`);
  });

  it('the thank-you page while the payment is being confirmed says so, and asks again until it is recorded', async () => {
    const page = await newPage();
    await page.goto(`${t.baseUrl}/give`);
    await page.getByLabel('Email').fill('patient@example.com');
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(/\/checkout\/cs_/);
    const id = await waitFor(async () => {
      const [row] = await t.query<{ id: string }>(`SELECT id FROM checkouts WHERE email = 'patient@example.com'`);
      return row?.id;
    });
    // Before paying, the return page is the pending one.
    await page.goto(`${t.baseUrl}/checkout/complete?checkout=${id}`);
    expect(await page.locator('[data-pending-checkout]').textContent()).toContain('being confirmed');
    await check(page, 'thank-you-pending');
    await page.goBack();
    await pay(page);
    expect(await recordedHeading(page)).toBe('Thank you for your donation of $25.00');
  });

  it('the sample website page (docs/website-sample.html): embed with Donate, links, and the paywall asking the entitlements API', async () => {
    // A reader with digital access (a complimentary one, granted by an admin).
    await t.http
      .post('/api/complimentary-subscriptions')
      .set('authorization', await signedIn(t, 'admin'))
      .send({ supporter: { name: 'Lib Rary', email: 'library@example.com' }, tier: 'digital', reason: 'library' })
      .expect(201);
    const page = await newPage({ width: 1024 });
    await page.goto(`${SITE}/website-sample.html`);
    // The embedded bar, with its Donate button to /give.
    const frame = page.frameLocator('#progress');
    expect(await frame.locator('.raised').textContent()).toMatch(/raised of \$250,000/);
    expect(await frame.getByRole('link', { name: 'Donate' }).getAttribute('href')).toBe(`${t.baseUrl}/give`);
    expect(await page.locator('#subscribe-print').getAttribute('href')).toBe(`${t.baseUrl}/subscribe?tier=print`);
    // The paywall: a reader without a subscription is offered one; the prepaid digital reader reads on.
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByRole('button', { name: 'Read on' }).click();
    await page.getByText('We have no subscription for this address.').waitFor();
    expect(await page.locator('#story-rest').isHidden()).toBe(true);
    await page.getByLabel('Email').fill('library@example.com');
    await page.getByRole('button', { name: 'Read on' }).click();
    await page.locator('#story-rest').waitFor({ state: 'visible' });
    // An amount button opens the donate page prefilled: $25 a month.
    await page.goto(`${SITE}/website-sample.html`);
    await page.getByRole('button', { name: '$25 a month' }).click();
    await page.waitForURL(`${t.baseUrl}/give?frequency=monthly&amount=2500`);
    expect(await page.getByRole('radio', { name: 'Monthly' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: '$25', exact: true }).isChecked()).toBe(true);
  });

  it('junk in the forms (repeated fields, NUL, odd states, huge values) answers 400 pages, never a 5xx, and records nothing', async () => {
    const before = await checkouts();
    const a = await fetch(`${t.baseUrl}/subscribe`);
    const cookie = a.headers.get('set-cookie')!.split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await a.text())![1];
    const bodies: Array<[string, string]> = [
      ['/give', 'frequency=one_off&amount=2500&amount=5000&email=x%40example.com'],
      ['/give', 'frequency=one_off&amount=other&otherAmount=1e9&email=x%40example.com'],
      ['/give', 'frequency=weekly&amount=2500&email=x%40example.com'],
      ['/give', 'frequency=one_off&amount=2500&email=x%00y%40example.com'],
      ['/give', `frequency=one_off&amount=2500&email=x%40example.com&name=${'n'.repeat(300)}`],
      ['/give', 'frequency=one_off&amount=other&otherAmount=99999999999999999999&email=x%40example.com'],
      ['/give', 'frequency[]=one_off&amount[x]=1&email=x%40example.com'],
      [
        '/subscribe',
        'tier=print&billing=monthly&name=A&email=x%40example.com&address.line1=1%20St&address.city=C&address.state=constructor&address.postalCode=2000',
      ],
      [
        '/subscribe',
        'tier=print&billing=monthly&name=A&email=x%40example.com&address.line1=1%20St&address.city=C&address.state=__proto__&address.postalCode=2000',
      ],
      ['/subscribe', 'tier=__proto__&billing=monthly&name=A&email=x%40example.com'],
      ['/subscribe', 'tier=digital&billing=prepaid&name=%00&email=x%40example.com'],
      [
        '/subscribe',
        'tier=print&billing=monthly&name=A&email=x%40example.com&address.line1=%01&address.city=C&address.state=NSW&address.postalCode=2000',
      ],
    ];
    for (const [path, body] of bodies) {
      const res = await fetch(`${t.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: `_csrf=${csrf}&${body}`,
        redirect: 'manual',
      });
      expect({ path, body, status: res.status }).toEqual({ path, body, status: 400 });
      expect(await res.text()).toContain('There is a problem');
    }
    expect(await checkouts()).toBe(before);
  });

  it('past the rate limit a form answers a page (429, Retry-After), not JSON, and records nothing', async () => {
    const before = await checkouts();
    let last: Response | undefined;
    for (let i = 0; i < 30 && last?.status !== 429; i++) {
      last = await fetch(`${t.baseUrl}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'tier=digital&billing=monthly&name=Bot&email=bot%40example.com',
        redirect: 'manual',
      });
    }
    expect(last!.status).toBe(429);
    expect(last!.headers.get('content-type')).toMatch(/^text\/html/);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await last!.text()).toContain('Too many tries');
    const page = await newPage();
    await page.goto(`${t.baseUrl}/subscribe`);
    await page.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForSelector('h1:text("Too many tries")');
    await check(page, 'too-many-tries');
    expect(await checkouts()).toBe(before);
  });
});
