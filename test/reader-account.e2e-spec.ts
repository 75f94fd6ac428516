import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { lookupKeyFor } from '@app/stripe';
import { launchBrowser, seriousAxeViolations } from './support/browser';
import { linksIn, SmtpInbox } from './support/smtp-inbox';
import { signedIn } from './support/staff';
import { simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

const SHOTS = join(__dirname, '..', 'test-output', 'screenshots');
const ZONE = 'Australia/Sydney';
const longDate = (d: Date) =>
  new Intl.DateTimeFormat('en-AU', { day: 'numeric', month: 'long', year: 'numeric', timeZone: ZONE }).format(d);

/** A reader's browser without a browser: cookies kept between requests, forms posted urlencoded. */
class FormClient {
  readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string>) {
    const res = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, v] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (v) this.cookies.set(k, v);
      else this.cookies.delete(k);
    }
    return { status: res.status, body: await res.text(), headers: res.headers };
  }

  /**
   * Follows an emailed link as a browser does: GET its page (nothing used), then press its
   * "Continue" button (posts the page's form). Answers the post, or the GET if it was not a page.
   */
  async followLink(path: string) {
    const page = await this.request('GET', path);
    if (page.status !== 200) return page;
    return this.request(...this.continueForm(page.body));
  }

  /** The "Continue" form of an emailed link's page, as arguments to `request`. */
  continueForm(body: string): ['POST', string, Record<string, string>] {
    const form = body.match(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/)!;
    const fields: Record<string, string> = {};
    for (const [, k, v] of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[k] = v;
    return ['POST', form[1], fields];
  }

  /** The CSRF token of the account page's forms. */
  async csrf(): Promise<string> {
    const page = await this.request('GET', '/account');
    return page.body.match(/name="_csrf" value="([^"]+)"/)![1];
  }
}

/**
 * The reader account at /account in Debian's Chromium, against the real service, PostgreSQL, the
 * simulator and a real SMTP server: signing in by an emailed link, an early renewal of a prepaid
 * year paid on the Checkout page, a delivery address changed from the emailed link, Stripe's
 * portal; and over HTTP what must be refused. A 375-pixel screenshot of each page; axe finds
 * nothing serious on any.
 */
describe('reader account by emailed link', () => {
  const inbox = new SmtpInbox();
  let t: TestContext;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await inbox.start();
    t = await startTestApp({ SMTP_URL: inbox.smtpUrl, EMAIL_POLL_INTERVAL_MS: '500', REPORT_TIME_ZONE: ZONE });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await t?.close();
    await inbox.stop();
  });
  afterEach(() => {
    expect(pageErrors).toEqual([]);
  });

  async function mobilePage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 375, height: 812 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    return page;
  }

  async function check(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `reader-account-${name}.png`), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    // Usable at 375 px: nothing wider than the screen.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
  }

  const sessionOf = async (checkoutId: string) =>
    (
      await t.query<{ stripe_session_id: string }>(`SELECT stripe_session_id FROM checkouts WHERE id = $1`, [
        checkoutId,
      ])
    )[0].stripe_session_id;

  async function paidSubscription(body: Record<string, unknown>) {
    const { id } = (await t.http.post('/api/subscriptions').send(body).expect(201)).body as { id: string };
    await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${await sessionOf(id)}/complete`);
    await t.settled();
    return waitFor(
      async () =>
        (
          await t.query<{
            id: string;
            current_period_end: Date;
            stripe_subscription_id: string | null;
            status: string;
          }>(`SELECT * FROM subscriptions WHERE checkout_id = $1 AND status = 'active'`, [id])
        )[0],
      10000,
      'subscription active',
    );
  }

  /** Signs in over HTTP as a reader would: asks for the link, follows the emailed one. */
  async function signedInClient(email: string, mailedTo = email): Promise<FormClient> {
    const c = new FormClient(t.baseUrl);
    const before = inbox.to(mailedTo, /Sign in/).length;
    expect((await c.request('POST', '/account/sign-in', { _csrf: await c.csrf(), email })).status).toBe(200);
    const [mail] = (await inbox.awaitCount(mailedTo, before + 1, /Sign in/)).slice(-1);
    const link = new URL(linksIn(mail)[0]);
    const res = await c.followLink(`${link.pathname}${link.search}`);
    expect(res.status).toBe(303);
    return c;
  }

  it('a prepaid digital reader opens the emailed sign-in link, extends the year early, and sees the new end date', async () => {
    const email = 'pia.prepaid@example.com';
    const first = await paidSubscription({ tier: 'digital', billing: 'prepaid', email, name: 'Pia Prepaid' });
    const oldEnd = new Date(first.current_period_end);

    const page = await mobilePage();
    await page.goto(`${t.baseUrl}/account`);
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await check(page, 'sign-in');
    await page.getByLabel('Your email address').fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { name: 'Check your email' }).waitFor();
    await check(page, 'check-email');

    const [mail] = await inbox.awaitCount(email, 1, /Sign in/);
    const link = linksIn(mail)[0];
    expect(link).toMatch(new RegExp(`^${t.baseUrl}/account/sign-in\\?token=`));
    await page.goto(link);
    // The link's page: nothing used until its button is pressed (mail scanners fetch links too).
    await page.getByRole('heading', { name: 'Sign in to your account' }).waitFor();
    await check(page, 'continue');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText(`Signed in as Pia Prepaid`).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    // The online prepaid year shows (the old portal said "No subscriptions").
    await page.getByText(`Digital edition: until ${longDate(oldEnd)}`).waitFor();
    await page.getByRole('cell', { name: '$60.00' }).waitFor();
    await check(page, 'signed-in');

    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'reader_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    // The same link again: used, and a page offering a new one.
    const again = await (await mobilePage()).goto(link);
    expect(again!.status()).toBe(410);
    const spent = again!.frame()!.page();
    await spent.getByRole('heading', { name: 'This link has already been used' }).waitFor();
    await check(spent, 'link-used');
    await spent.getByRole('button', { name: 'Email me a new link' }).click();
    await spent.getByRole('heading', { name: 'Check your email' }).waitFor();
    await inbox.awaitCount(email, 2, /Sign in/);

    // Extend by a year, paid on the Checkout page; the new period starts at the current end.
    await page.getByRole('button', { name: 'Extend by a year' }).click();
    await page.getByLabel('Name on card').fill('Pia Prepaid');
    await page.getByRole('button', { name: 'Pay' }).click();
    await page.waitForURL(/\/checkout\/complete/);
    const [next] = await waitFor(
      async () => {
        const rows = await t.query<{ current_period_start: Date; current_period_end: Date }>(
          `SELECT s.current_period_start, s.current_period_end FROM subscriptions s JOIN supporters p ON p.id = s.supporter_id
            WHERE lower(p.email) = $1 AND s.id <> $2 AND s.status = 'active'`,
          [email, first.id],
        );
        return rows.length === 1 && rows;
      },
      15000,
      'the renewal granted',
    );
    expect(new Date(next.current_period_start)).toEqual(oldEnd);
    const [{ expected }] = await t.query<{ expected: Date }>(
      `SELECT $1::timestamptz + interval '12 months' AS expected`,
      [oldEnd],
    );
    expect(new Date(next.current_period_end)).toEqual(new Date(expected));
    await page.goto(`${t.baseUrl}/account`);
    await page.getByText(`Digital edition: until ${longDate(new Date(expected))}`).waitFor();
    await page.getByText(`From ${longDate(oldEnd)} until ${longDate(new Date(expected))}`).waitFor();
    // Only the period that ends last offers the next extension.
    expect(await page.getByRole('button', { name: 'Extend by a year' }).count()).toBe(1);
    await check(page, 'extended');
    // The paywall sees the same.
    const ent = await t.app.get((await import('@app/subscriptions')).SubscriptionsService).entitlements(email);
    expect(ent.entitlements[0].until).toBe(new Date(expected).toISOString());

    // A form on another site posting to the account (signed in in this browser): refused, nothing changed.
    const elsewhere = await page.context().newPage();
    await elsewhere.setContent(
      `<form method="post" action="${t.baseUrl}/account/preferences"><button type="submit">Go</button></form>`,
    );
    await elsewhere.getByRole('button', { name: 'Go' }).click();
    await elsewhere.getByRole('heading', { name: 'Nothing was changed' }).waitFor();
    await check(elsewhere, 'refused');
    expect((await t.query(`SELECT email_updates FROM supporters WHERE lower(email) = $1`, [email]))[0]).toEqual({
      email_updates: true,
    });
    // A link mangled on the way: says so, and leads to a new one.
    const mangled = await (await mobilePage()).goto(`${t.baseUrl}/account/sign-in?token=${'x'.repeat(20)}`);
    expect(mangled!.status()).toBe(410);
    await check(mangled!.frame()!.page(), 'link-invalid');

    // Each payment's receipt (numbered in the receipts' own sequence), to print or save; only the reader's own.
    const receiptLinks = page.getByRole('link', { name: /^Receipt \d+$/ });
    await waitFor(
      async () => {
        await page.goto(`${t.baseUrl}/account`);
        return (await receiptLinks.count()) === 2;
      },
      15000,
      'both receipts issued',
    );
    const [{ number: firstNumber }] = await t.query<{ number: string }>(
      `SELECT r.number FROM receipts r JOIN ledger_entries l ON l.id = r.ledger_entry_id
        JOIN supporters p ON p.id = l.supporter_id WHERE lower(p.email) = $1 ORDER BY r.number LIMIT 1`,
      [email],
    );
    await page.getByRole('link', { name: `Receipt ${firstNumber}` }).click();
    const receiptText = await page.locator('body').innerText();
    expect(receiptText).toContain(String(firstNumber));
    expect(receiptText).toContain('$60.00');
    expect(receiptText).toContain(t.config.organisation.taxStatement);
    await check(page, 'receipt');
    const other = await paidSubscription({
      tier: 'print',
      billing: 'prepaid',
      email: 'someone.else@example.com',
      name: 'Sam Else',
      deliveryAddress: { line1: '1 Other St', city: 'Sydney', state: 'NSW', postalCode: '2000', country: 'AU' },
    });
    expect(other).toBeTruthy();
    const [{ number: theirs }] = await waitFor(
      async () => {
        const rows = await t.query<{ number: string }>(
          `SELECT r.number FROM receipts r JOIN ledger_entries l ON l.id = r.ledger_entry_id
            JOIN supporters p ON p.id = l.supporter_id WHERE lower(p.email) = 'someone.else@example.com'`,
        );
        return rows.length > 0 && rows;
      },
      15000,
      'the other reader’s receipt',
    );
    expect((await page.goto(`${t.baseUrl}/account/receipts/${theirs}`))!.status()).toBe(404);
    await page.goto(`${t.baseUrl}/account`);

    // The giving statement of this financial year (two payments so far), emailed as a PDF.
    await page.goto(`${t.baseUrl}/account`);
    const years = page.getByLabel('Financial year');
    expect(await years.locator('option').allTextContents()).toEqual([
      expect.stringMatching(/^1 July \d{4} to 30 June \d{4}$/),
    ]);
    await page.getByRole('button', { name: 'Email me my giving statement' }).click();
    await page.getByText('Your giving statement is on its way to your email address, as a PDF.').waitFor();
    const [statement] = await inbox.awaitCount(email, 1, /statement/i);
    expect(statement.attachments.map((a) => a.contentType)).toEqual(['application/pdf']);
    expect(statement.attachments[0].content.subarray(0, 5).toString()).toBe('%PDF-');
    // A year without payments is refused, and nothing is sent.
    const client = await signedInClient(email);
    const refused = await client.request('POST', '/account/statement', { _csrf: await client.csrf(), year: '2001' });
    expect(refused.status).toBe(400);
    expect(inbox.to(email, /statement/i)).toHaveLength(1);

    // Sign out ends the session: the cookie no longer opens the account.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Email me a sign-in link' }).waitFor();
    const stale = new FormClient(t.baseUrl);
    stale.cookies.set('reader_session', session.value);
    expect((await stale.request('GET', '/account')).body).toContain('Email me a sign-in link');
  });

  it('a print reader changes the delivery address from the emailed link; the mailing list shows it; the portal button leads to the card update', async () => {
    const email = 'pat.print@example.com';
    const sub = await paidSubscription({ tier: 'digital', billing: 'monthly', email, name: 'Pat Print' });
    // Digital → print changed on Stripe: subscription-sync emails for the address. (A print
    // checkout opened by someone else creates the print price on Stripe.)
    await t.http
      .post('/api/subscriptions')
      .send({
        tier: 'print',
        billing: 'monthly',
        email: 'price.maker@example.com',
        name: 'Price Maker',
        deliveryAddress: { line1: '1 A St', city: 'Sydney', state: 'NSW', postalCode: '2000', country: 'AU' },
      })
      .expect(201);
    const [printPrice] = (
      await t.stripe.prices.list({
        lookup_keys: [lookupKeyFor({ purpose: 'tier_print_monthly', amount: 1000, currency: 'AUD', recurring: true })],
      })
    ).data;
    const stripeSub = await t.stripe.subscriptions.retrieve(sub.stripe_subscription_id!);
    await t.stripe.subscriptions.update(stripeSub.id, {
      items: [{ id: stripeSub.items.data[0].id, price: printPrice.id }],
      proration_behavior: 'none',
    });
    await t.settled();
    const [mail] = await inbox.awaitCount(email, 1, /Where should we post/);
    const link = linksIn(mail)[0];

    // Opened twice first (a mail scanner): its page each time, no session, the link still works below.
    const u = new URL(link);
    for (let i = 0; i < 2; i++) {
      const scanned = await new FormClient(t.baseUrl).request('GET', `${u.pathname}${u.search}`);
      expect(scanned.status).toBe(200);
      expect(scanned.body).toContain('action="/account/delivery-address/continue"');
      expect(scanned.headers.getSetCookie().some((k) => k.startsWith('reader_session='))).toBe(false);
    }

    const page = await mobilePage();
    await page.goto(link);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('No delivery address yet').waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    expect(new URL(page.url()).hash).toBe('#delivery');
    await check(page, 'delivery-address');

    // A Melbourne postcode in New South Wales: refused, naming the field, nothing saved.
    await page.getByLabel('Street address').fill('12 Smith St');
    await page.getByLabel('Suburb or town').fill('Newtown');
    await page.getByLabel('State or territory').selectOption('NSW');
    await page.getByLabel('Postcode').fill('3000');
    await page.getByRole('button', { name: 'Save the delivery address' }).click();
    await page.getByText('Postcode 3000 is not in NSW: check the postcode and the state.').waitFor();
    await check(page, 'delivery-address-error');
    expect((await t.query(`SELECT delivery_address FROM subscriptions WHERE id = $1`, [sub.id]))[0]).toEqual({
      delivery_address: null,
    });

    await page.getByLabel('Postcode').fill('2042');
    await page.getByRole('button', { name: 'Save the delivery address' }).click();
    await page.getByText('The delivery address is saved').waitFor();
    await page.getByText('12 Smith St, Newtown NSW 2042').waitFor();
    await check(page, 'delivery-address-saved');

    const finance = await signedIn(t, 'finance');
    const list = (await t.http.get('/api/reports/print-mailing-list').set('authorization', finance).expect(200))
      .body as Array<{ subscriptionId: string; address: object }>;
    expect(list.find((r) => r.subscriptionId === sub.id)?.address).toEqual({
      line1: '12 Smith St',
      city: 'Newtown',
      state: 'NSW',
      postalCode: '2042',
      country: 'AU',
    });

    // The emailed link worked once.
    const again = await (await mobilePage()).goto(link);
    expect(again!.status()).toBe(410);

    // Card and cancellation: Stripe's portal, where the card is updated.
    await page.getByRole('button', { name: 'Manage card and cancellation' }).click();
    await page.getByRole('heading', { name: 'Manage your subscription' }).waitFor();
    await page.getByRole('button', { name: 'Update card' }).click();
    await page.getByText('Your card was updated.').waitFor();
    await page.getByRole('link', { name: '← Return' }).click();
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
  });

  it('asking for a link answers the same bytes for a known and an unknown email, and does the same work', async () => {
    await paidSubscription({ tier: 'digital', billing: 'prepaid', email: 'known.reader@example.com', name: 'Known' });
    const c = new FormClient(t.baseUrl);
    const csrf = await c.csrf();
    const links = async () =>
      (await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM reader_sign_in_links`))[0].n;
    const emails = async () =>
      (await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM emails WHERE kind = 'account_sign_in'`))[0].n;

    const [links0, emails0] = [await links(), await emails()];
    const known = await c.request('POST', '/account/sign-in', { _csrf: csrf, email: 'KNOWN.reader@example.com' });
    const [links1, emails1] = [await links(), await emails()];
    const unknown = await c.request('POST', '/account/sign-in', { _csrf: csrf, email: 'nobody.here@example.com' });
    const [links2, emails2] = [await links(), await emails()];

    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect(unknown.body).toBe(known.body);
    expect(unknown.headers.get('set-cookie')).toBe(known.headers.get('set-cookie'));
    // Both wrote a link row in a transaction; only the known address got an email (and a usable link).
    expect([links1 - links0, links2 - links1]).toEqual([1, 1]);
    expect([emails1 - emails0, emails2 - emails1]).toEqual([1, 0]);
    const [decoy] = await t.query<{ supporter_id: string | null }>(
      `SELECT supporter_id FROM reader_sign_in_links ORDER BY created_at DESC LIMIT 1`,
    );
    expect(decoy.supporter_id).toBeNull();
    await inbox.awaitCount('known.reader@example.com', 1, /Sign in/);
    expect(inbox.to('nobody.here@example.com')).toEqual([]);
  });

  it('opening an emailed link (a mail scanner, twice) uses nothing; only its Continue post signs in, once', async () => {
    const email = 'scanned.reader@example.com';
    await paidSubscription({ tier: 'digital', billing: 'prepaid', email, name: 'Scanned' });
    const c = new FormClient(t.baseUrl);
    await c.request('POST', '/account/sign-in', { _csrf: await c.csrf(), email });
    const [mail] = await inbox.awaitCount(email, 1, /Sign in/);
    const link = new URL(linksIn(mail)[0]);
    const linkRow = `SELECT used_at FROM reader_sign_in_links WHERE supporter_id = (SELECT id FROM supporters WHERE email = '${email}')`;
    const scanner = new FormClient(t.baseUrl);
    for (let i = 0; i < 2; i++) {
      const page = await scanner.request('GET', `${link.pathname}${link.search}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(page.body).not.toMatch(/<script>/);
      expect(page.headers.getSetCookie().some((k) => k.startsWith('reader_session='))).toBe(false);
      expect(page.body).toContain('action="/account/sign-in/continue"');
    }
    expect(await t.query(linkRow)).toEqual([{ used_at: null }]);
    expect(
      await t.query(`SELECT 1 FROM reader_sessions WHERE supporter_id = (SELECT id FROM supporters WHERE email = $1)`, [
        email,
      ]),
    ).toEqual([]);
    // Posted without the page's CSRF token: the page again (403), still unused.
    const page = await c.request('GET', `${link.pathname}${link.search}`);
    const [, action, fields] = c.continueForm(page.body);
    const forged = await new FormClient(t.baseUrl).request('POST', action, { token: fields.token });
    expect(forged.status).toBe(403);
    expect(await t.query(linkRow)).toEqual([{ used_at: null }]);
    // The button: uses the link, starts the session, to the account.
    const post = await c.request('POST', action, fields);
    expect(post.status).toBe(303);
    expect(post.headers.get('location')).toBe('/account');
    expect(c.cookies.has('reader_session')).toBe(true);
    expect((await t.query<{ used_at: Date | null }>(linkRow))[0].used_at).not.toBeNull();
    // Posted again: the used-link page.
    const again = await c.request('POST', action, fields);
    expect(again.status).toBe(410);
    expect(again.body).toContain('This link has already been used');
    expect(again.headers.get('set-cookie')).toBeNull();
  });

  it('a link works once, also when used twice at the same moment', async () => {
    const email = 'twice.reader@example.com';
    await paidSubscription({ tier: 'digital', billing: 'prepaid', email, name: 'Twice' });
    const c = new FormClient(t.baseUrl);
    await c.request('POST', '/account/sign-in', { _csrf: await c.csrf(), email });
    const [mail] = await inbox.awaitCount(email, 1, /Sign in/);
    const link = new URL(linksIn(mail)[0]);
    const [x, y] = [new FormClient(t.baseUrl), new FormClient(t.baseUrl)];
    const [pageX, pageY] = [
      await x.request('GET', `${link.pathname}${link.search}`),
      await y.request('GET', `${link.pathname}${link.search}`),
    ];
    const [a, b] = await Promise.all([
      x.request(...x.continueForm(pageX.body)),
      y.request(...y.continueForm(pageY.body)),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 410]);
    const winner = a.status === 303 ? a : b;
    const setCookie = winner.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^reader_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    expect(winner.headers.get('location')).toBe('/account');
    // A forged token opens nothing.
    const forged = await new FormClient(t.baseUrl).request('GET', '/account/sign-in?token=' + 'A'.repeat(43));
    expect(forged.status).toBe(410);
    expect(forged.headers.get('set-cookie')).toBeNull();
  });

  it('posts without the CSRF token, or signed out, are refused and change nothing', async () => {
    const email = 'careful.reader@example.com';
    const sub = await paidSubscription({
      tier: 'print',
      billing: 'prepaid',
      email,
      name: 'Careful',
      deliveryAddress: { line1: '1 Old Rd', city: 'Hobart', state: 'TAS', postalCode: '7000', country: 'AU' },
    });
    const c = await signedInClient(email);
    const csrf = await c.csrf();
    const state = async () =>
      (
        await t.query(
          `SELECT p.email_updates, s.delivery_address, (SELECT count(*)::int FROM checkouts k WHERE lower(k.email) = $1) AS checkouts
             FROM supporters p JOIN subscriptions s ON s.supporter_id = p.id WHERE s.id = $2`,
          [email, sub.id],
        )
      )[0];
    const before = await state();
    const address = { subscription: sub.id, line1: '9 New St', city: 'Hobart', state: 'TAS', postalCode: '7000' };
    const posts: Array<[string, Record<string, string>]> = [
      ['/account/preferences', {}],
      ['/account/delivery-address', address],
      ['/account/extend', { subscription: sub.id }],
      ['/account/portal', {}],
      ['/account/sign-out', {}],
    ];
    for (const [path, form] of posts) {
      expect((await c.request('POST', path, form)).status).toBe(403);
      expect((await c.request('POST', path, { ...form, _csrf: 'x'.repeat(43) })).status).toBe(403);
    }
    // Signed out (a valid token, no session): refused too.
    const stranger = new FormClient(t.baseUrl);
    const strangerCsrf = await stranger.csrf();
    for (const [path, form] of posts.slice(0, 4)) {
      expect((await stranger.request('POST', path, { ...form, _csrf: strangerCsrf })).status).toBe(401);
    }
    // Another browser's token with this session's cookie: refused (the token is bound to the browser).
    expect((await c.request('POST', '/account/preferences', { _csrf: strangerCsrf })).status).toBe(403);
    expect(await state()).toEqual(before);
    const account = await c.request('GET', '/account');
    expect(account.body).toContain('Signed in as Careful');
    // Its forms lead on to Stripe (Checkout, the portal) through a redirect, which form-action allows.
    // (the reader pages' CSP: with the simulator, on whatever port it has, any http(s) origin).
    expect(account.headers.get('content-security-policy')).toContain(`form-action 'self' http: https:`);

    // With the token and the session: each change is made.
    expect((await c.request('POST', '/account/preferences', { _csrf: csrf })).status).toBe(303);
    expect((await c.request('POST', '/account/delivery-address', { ...address, _csrf: csrf })).status).toBe(303);
    const after = await state();
    expect(after.email_updates).toBe(false);
    expect(after.delivery_address).toMatchObject({ line1: '9 New St' });
    const extend = await c.request('POST', '/account/extend', { subscription: sub.id, _csrf: csrf });
    expect(extend.status).toBe(303);
    expect(extend.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    // Someone else's subscription is not theirs to change.
    const other = await paidSubscription({
      tier: 'print',
      billing: 'prepaid',
      email: 'other.reader@example.com',
      name: 'Other',
      deliveryAddress: { line1: '2 Else St', city: 'Perth', state: 'WA', postalCode: '6000', country: 'AU' },
    });
    const foreign = await c.request('POST', '/account/delivery-address', {
      ...address,
      subscription: other.id,
      _csrf: csrf,
    });
    expect(foreign.status).toBe(404);
    expect((await t.query(`SELECT delivery_address FROM subscriptions WHERE id = $1`, [other.id]))[0]).toEqual({
      delivery_address: { line1: '2 Else St', city: 'Perth', state: 'WA', postalCode: '6000', country: 'AU' },
    });
  });

  it('merged records: a session is for the survivor, with the payments and subscriptions of the record merged into it', async () => {
    const older = await paidSubscription({
      tier: 'digital',
      billing: 'prepaid',
      email: 'old.self@example.com',
      name: 'Old Self',
    });
    const newer = await paidSubscription({
      tier: 'digital',
      billing: 'prepaid',
      email: 'new.self@example.com',
      name: 'New Self',
    });
    const idOf = async (subscriptionId: string) =>
      (
        await t.query<{ supporter_id: string }>(`SELECT supporter_id FROM subscriptions WHERE id = $1`, [
          subscriptionId,
        ])
      )[0].supporter_id;
    const [olderId, newerId] = [await idOf(older.id), await idOf(newer.id)];
    // Signed in as the older record before the merge…
    const before = await signedInClient('old.self@example.com');
    const finance = await signedIn(t, 'finance');
    await t.http
      .post(`/api/supporters/${newerId}/merge`)
      .set('authorization', finance)
      .send({ from: olderId })
      .expect(200);
    // …the same session now shows the survivor, with both records' subscriptions and payments.
    const page = (await before.request('GET', '/account')).body;
    expect(page).toContain('Signed in as New Self');
    expect(page.match(/Digital edition, prepaid/g)).toHaveLength(2);
    expect(page.match(/<td class="amount">\$60\.00<\/td>/g)).toHaveLength(2);
    // Asking with the merged-away address emails the survivor's address, and signs the survivor in.
    const after = await signedInClient('old.self@example.com', 'new.self@example.com');
    expect((await after.request('GET', '/account')).body).toContain('Signed in as New Self');
    const [session] = await t.query<{ supporter_id: string }>(
      `SELECT supporter_id FROM reader_sessions ORDER BY created_at DESC LIMIT 1`,
    );
    expect(session.supporter_id).toBe(newerId);
  });

  it('a link expires (15 minutes), and a session ends after 30 idle days or 90 in all', async () => {
    const email = 'late.reader@example.com';
    await paidSubscription({ tier: 'digital', billing: 'prepaid', email, name: 'Late' });
    const c = new FormClient(t.baseUrl);
    await c.request('POST', '/account/sign-in', { _csrf: await c.csrf(), email });
    const [mail] = await inbox.awaitCount(email, 1, /Sign in/);
    const link = new URL(linksIn(mail)[0]);
    const [row] = await t.query<{ ttl: number }>(
      `SELECT extract(epoch FROM expires_at - created_at)::int AS ttl FROM reader_sign_in_links ORDER BY created_at DESC LIMIT 1`,
    );
    expect(row.ttl).toBe(15 * 60);
    await t.query(`UPDATE reader_sign_in_links SET expires_at = now() - interval '1 second' WHERE used_at IS NULL`);
    const late = await c.request('GET', `${link.pathname}${link.search}`);
    expect(late.status).toBe(410);
    expect(late.body).toContain('This link has expired');
    expect(c.cookies.has('reader_session')).toBe(false);
    // Its page's form emails a fresh link, which works.
    const token = late.body.match(/name="token" value="([^"]+)"/)![1];
    expect((await c.request('POST', '/account/new-link', { token })).status).toBe(200);
    const [fresh] = (await inbox.awaitCount(email, 2, /Sign in/)).slice(-1);
    const freshLink = new URL(linksIn(fresh)[0]);
    expect((await c.followLink(`${freshLink.pathname}${freshLink.search}`)).status).toBe(303);
    const signedInNow = async () => (await c.request('GET', '/account')).body.includes('Signed in as Late');
    expect(await signedInNow()).toBe(true);

    const [{ days }] = await t.query<{ days: number }>(
      `SELECT extract(day FROM expires_at - created_at)::int AS days FROM reader_sessions ORDER BY created_at DESC LIMIT 1`,
    );
    expect(days).toBe(90);
    const session = `SELECT token_hash FROM reader_sessions WHERE supporter_id = (SELECT id FROM supporters WHERE email = '${email}')`;
    await t.query(
      `UPDATE reader_sessions SET last_seen_at = now() - interval '29 days' WHERE token_hash IN (${session})`,
    );
    expect(await signedInNow()).toBe(true); // used again: idle from now
    await t.query(
      `UPDATE reader_sessions SET last_seen_at = now() - interval '31 days' WHERE token_hash IN (${session})`,
    );
    expect(await signedInNow()).toBe(false);
    await t.query(`UPDATE reader_sessions SET last_seen_at = now() WHERE token_hash IN (${session})`);
    expect(await signedInNow()).toBe(true);
    await t.query(
      `UPDATE reader_sessions SET expires_at = now() - interval '1 second' WHERE token_hash IN (${session})`,
    );
    expect(await signedInNow()).toBe(false);
  });
});
