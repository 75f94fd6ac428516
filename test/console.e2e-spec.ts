import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Page, type Route } from 'playwright-core';
import { StaffService } from '@app/staff';
import { signAccessToken } from '../libs/staff/src/access-token';
import { BrowserPages, buildConsole, launchBrowser, SCREENSHOTS } from './support/browser';
import { signedIn, STAFF_PASSWORD } from './support/staff';
import { ledgerRaised, startTestApp, type TestContext, waitFor } from './support/test-app';

const SECRET = 'console-e2e-token-secret-0123456789abcdef';

/**
 * The staff console in Debian's Chromium against the real service (built console, real database,
 * simulator): serving and caching, sign-in with a temporary password and its change, menus by
 * role, the not-allowed page, a 403 said plainly, a refresh after a reload and after the access
 * token expires, the password dialog when the session ends (the form kept), axe on every screen.
 */
describe('staff console in the browser', () => {
  let t: TestContext;
  let browser: Browser;
  /** Its pages; the problems they report (CSP refusals, script errors): none are expected. */
  const pages = new BrowserPages(() => browser);

  beforeAll(async () => {
    // The console as `npm run build` makes it (a no-op when dist/console is up to date).
    buildConsole();
    t = await startTestApp({ AUTH_TOKEN_SECRET: SECRET });
    browser = await launchBrowser();
  }, 120000);
  afterAll(async () => {
    await pages.close();
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    expect(pages.errors()).toEqual([]);
  });

  const newPage = (width = 1280, height = 800) => pages.newPage({ viewport: { width, height } });

  const check = (page: Page, name: string) => pages.check(page, `console-${name}`);

  const openFromMenu = (page: Page, title: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: title }).click();
  const menu = (page: Page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();

  async function signInAs(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${t.baseUrl}/console/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function member(role: 'phone' | 'finance' | 'admin', name: string) {
    const email = `${role}.${Math.random().toString(36).slice(2)}@console.test`;
    const created = await t.app
      .get(StaffService)
      .create({ email, name, role }, STAFF_PASSWORD, { staffId: null, label: 'test' });
    return { email, id: created.id };
  }

  /** An access token of this account that expired a minute ago, signed like the service signs. */
  async function expiredToken(id: string): Promise<string> {
    const [row] = await t.query<{ role: 'phone' | 'finance' | 'admin'; token_version: number }>(
      `SELECT role, token_version FROM staff WHERE id = $1`,
      [id],
    );
    const now = Math.floor(Date.now() / 1000);
    return signAccessToken(
      { sub: id, role: row.role, iat: now - 960, exp: now - 60, ver: row.token_version },
      Buffer.from(SECRET),
    );
  }

  /** The next request to `pattern` goes out with an expired access token (as after 15 idle minutes). */
  async function expireNext(page: Page, pattern: string, id: string): Promise<void> {
    const expired = await expiredToken(id);
    await page.route(
      pattern,
      async (route: Route) => {
        await route.continue({ headers: { ...route.request().headers(), authorization: `Bearer ${expired}` } });
      },
      { times: 1 },
    );
  }

  it('serves the console: hashed assets cached for a year, index.html never, client routes, the CSP', async () => {
    const redirect = await t.http.get('/console').expect(301);
    expect(redirect.headers.location).toBe('/console/');
    const index = await t.http.get('/console/').expect(200);
    expect(index.headers['content-type']).toMatch(/^text\/html/);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const assets = [...index.text.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const asset of assets) {
      const res = await t.http.get(asset).expect(200);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    const route = await t.http.get('/console/reports').expect(200);
    expect(route.headers['cache-control']).toBe('no-cache');
    expect(route.text).toBe(index.text);
    await t.http.get('/console/assets/missing-abc123.js').expect(404);
    // Nothing from another origin: the console works offline.
    expect(index.text).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it('an administrator signs in, sees every screen in the menu, the campaigns and the reports', async () => {
    const admin = await member('admin', 'Ada Admin');
    const page = await newPage();
    await page.goto(`${t.baseUrl}/console/`);
    await page.getByRole('heading', { name: 'Staff console: sign in' }).waitFor();
    // First load to a usable sign-in form (no cache, no session): recorded for the note, not asserted.
    const timing = await page.evaluate<{ domInteractiveMs: number; readyMs: number }>(
      `({ domInteractiveMs: Math.round(performance.getEntriesByType('navigation')[0].domInteractive),
          readyMs: Math.round(performance.getEntriesByName('console-ready')[0].startTime) })`,
    );
    writeFileSync(join(SCREENSHOTS, '..', 'console-first-load.json'), `${JSON.stringify(timing)}\n`);
    await check(page, 'sign-in');
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('wrong email or password').waitFor();
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Ada Admin' }).waitFor();
    expect(await menu(page)).toEqual([
      'Home',
      'Find a supporter',
      'Phone line',
      'Reports',
      'Deposits',
      'Reconciliation',
      'Campaigns',
      'Staff',
      'Audit log',
      'Webhooks',
    ]);
    await check(page, 'home-admin');

    // A 50.00 cash gift on the phone line (the API), then the bar follows the ledger.
    const token = (await t.http.post('/api/auth/login').send({ email: admin.email, password: STAFF_PASSWORD })).body
      .accessToken as string;
    await t.http
      .post('/api/phone-donations')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', `console-${Math.random().toString(36).slice(2)}`)
      .send({ supporter: { name: 'Cash Caller' }, amount: 5000, method: 'cash' })
      .expect(201);
    await openFromMenu(page, 'Campaigns');
    await page.getByRole('heading', { name: 'Campaigns' }).waitFor();
    const [current] = await t.query<{ slug: string; target: string; currency: string }>(
      `SELECT slug, target_amount AS target, currency FROM campaigns WHERE is_current`,
    );
    const aud = (minor: number) =>
      new Intl.NumberFormat('en-AU', { style: 'currency', currency: current.currency }).format(minor / 100);
    const expected = `${aud(await ledgerRaised(t))} raised of ${aud(Number(current.target))}`;
    expect(expected).toMatch(/^\$50\.00 raised of /);
    const raised = page.locator(`[data-campaign-raised="${current.slug}"]`);
    await waitFor(async () => (await raised.textContent())?.includes(expected), 10000, `"${expected}" on the page`);
    await expect(page.getByRole('progressbar').first().getAttribute('aria-valuemax')).resolves.toBe(
      String(current.target),
    );
    await check(page, 'campaigns');

    await openFromMenu(page, 'Reports');
    await page.getByRole('heading', { name: 'Money in' }).waitFor();
    await page.locator('[data-figure="gross"]').waitFor();
    expect(await page.locator('[data-figure="gross"]').textContent()).toMatch(/^\$\d[\d,]*\.\d\d$/);
    await check(page, 'reports');
  });

  it('an invited phone operator signs in with the temporary password, changes it, and sees only their screens', async () => {
    const admin = await member('admin', 'Ivy Inviter');
    const adminPage = await newPage();
    await signInAs(adminPage, admin.email, STAFF_PASSWORD);
    await openFromMenu(adminPage, 'Staff');
    await adminPage.getByRole('heading', { name: 'Invite someone' }).waitFor();
    const email = `pat.${Math.random().toString(36).slice(2)}@console.test`;
    await adminPage.getByLabel('Name').fill('Pat Phone');
    await adminPage.getByLabel('Email').fill('not an email');
    await adminPage.getByRole('button', { name: 'Invite', exact: true }).click();
    // The API's validation error is shown next to the field it names.
    await adminPage.locator('input[name="email"][aria-invalid="true"]').waitFor();
    expect(await adminPage.locator('.field-error').textContent()).toMatch(/email/);
    await adminPage.getByLabel('Email').fill(email);
    await adminPage.getByLabel('Role', { exact: true }).selectOption('phone');
    await adminPage.getByRole('button', { name: 'Invite', exact: true }).click();
    const temporary = (await adminPage.locator('[data-temporary-password]').textContent())!;
    expect(temporary).toMatch(/^[A-Za-z0-9_-]{16}$/);
    await adminPage.getByRole('cell', { name: email }).waitFor();
    await check(adminPage, 'staff');

    const page = await newPage(768, 1024);
    await signInAs(page, email, temporary);
    await page.getByRole('heading', { name: 'Choose your password' }).waitFor();
    await check(page, 'change-password');
    await page.getByLabel('Temporary password').fill(temporary);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('New password again').fill('short');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByText('newPassword must be at least 12 characters').waitFor();
    await page.getByLabel('New password', { exact: true }).fill('pat chose this passphrase');
    await page.getByLabel('New password again').fill('pat chose this passphrase');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByRole('heading', { name: 'Welcome, Pat Phone' }).waitFor();
    expect(await menu(page)).toEqual(['Home', 'Find a supporter', 'Phone line']);
    await check(page, 'home-phone');

    // The reports URL typed in: a clear "not allowed", with the menu still there.
    await page.goto(`${t.baseUrl}/console/reports`);
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('for the finance or admin role');
    await check(page, 'not-allowed');

    // That was a reload: the access token (memory only) was gone; the refresh cookie signed them in.
    const [row] = await t.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM staff_refresh_tokens r JOIN staff s ON s.id = r.staff_id WHERE s.email = $1 AND r.rotated_at IS NOT NULL`,
      [email],
    );
    expect(row.n).toBeGreaterThan(0);
    expect(await page.evaluate(`JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })`)).toBe(
      '{}{}',
    );
    expect(await page.evaluate(`document.cookie`)).toBe(''); // the refresh cookie: HttpOnly, and for /api/auth only
  });

  it('an expired access token is refreshed and the request goes through; a 403 from the API is said plainly', async () => {
    const phone = await member('phone', 'Sam Search');
    const page = await newPage();
    await signInAs(page, phone.email, STAFF_PASSWORD);
    await openFromMenu(page, 'Find a supporter');
    await page.getByLabel('Name, email, phone or postcode').fill('nobody-like-this');
    const refreshes: string[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('/api/auth/refresh')) refreshes.push(String(r.status()));
    });
    await expireNext(page, '**/api/supporters?*', phone.id);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No supporter matches.').waitFor();
    expect(refreshes).toEqual(['200']);
    await check(page, 'supporters');

    // Signed in as finance with the reports open; an administrator makes them phone: the API refuses.
    const finance = await member('finance', 'Fin Finance');
    const fin = await newPage();
    await signInAs(fin, finance.email, STAFF_PASSWORD);
    await openFromMenu(fin, 'Reports');
    await fin.locator('[data-figure="gross"]').waitFor();
    const admin = await signedIn(t, 'admin');
    await t.http.patch(`/api/staff/${finance.id}`).set('authorization', admin).send({ role: 'phone' }).expect(200);
    await fin.getByRole('button', { name: 'Show' }).click();
    await fin.getByRole('alert').getByRole('heading', { name: 'Not allowed' }).waitFor();
    expect(await fin.getByRole('alert').textContent()).toContain('this needs the finance or admin role');
    await check(fin, 'api-403');
  });

  it('when the session has ended, the password is asked for over the screen and the filled form is sent', async () => {
    const admin = await member('admin', 'Rita Reauth');
    const page = await newPage();
    await signInAs(page, admin.email, STAFF_PASSWORD);
    await openFromMenu(page, 'Staff');
    const email = `kept.${Math.random().toString(36).slice(2)}@console.test`;
    await page.getByLabel('Name').fill('Kept Form');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Role', { exact: true }).selectOption('finance');
    // The session ends (as after the idle limit) and the access token has expired.
    await t.query(`UPDATE staff_refresh_tokens SET revoked_at = now() WHERE staff_id = $1`, [admin.id]);
    await expireNext(page, '**/api/staff', admin.id);
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Your session has ended' });
    await dialog.waitFor();
    expect(await page.getByLabel('Name').inputValue()).toBe('Kept Form');
    await check(page, 'session-ended');
    await dialog.getByLabel('Password').fill('wrong password here');
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByText('wrong email or password').waitFor();
    await dialog.getByLabel('Password').fill(STAFF_PASSWORD);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await page.locator('[data-temporary-password]').waitFor();
    expect(await page.getByRole('status').textContent()).toContain(`Kept Form (${email}) can now sign in as finance`);
    const rows = await t.query(`SELECT role FROM staff WHERE email = $1`, [email]);
    expect(rows).toEqual([{ role: 'finance' }]);
    expect(await dialog.count()).toBe(0);

    // Signing out ends the session: a reload shows the sign-in screen.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Staff console: sign in' }).waitFor();
  });
});
