import { type Browser, type Page } from 'playwright-core';
import { StaffService } from '@app/staff';
import { BrowserPages, buildConsole, launchBrowser } from './support/browser';
import { ParkingLot, PARKING_ENV } from './support/parked-events';
import { STAFF_PASSWORD } from './support/staff';
import { ledgerRaised, startTestApp, type TestContext, waitFor } from './support/test-app';

/**
 * The console's administration screens in Debian's Chromium against the real service: an
 * administrator creates a campaign, makes it current and sees the bar follow the ledger; invites
 * a phone operator, changes their role, resets their password and disables them; filters the
 * audit log; and replays a parked webhook event (once, however often it is clicked). axe on
 * every screen; screenshots under test-output/screenshots.
 */
describe('staff console: administration', () => {
  let t: TestContext;
  let browser: Browser;
  let lot: ParkingLot;
  let page: Page;
  let admin: { email: string; id: string };
  const pages = new BrowserPages(() => browser);

  beforeAll(async () => {
    buildConsole();
    t = await startTestApp({ AUTH_TOKEN_SECRET: 'console-admin-e2e-secret-0123456789abcdef', ...PARKING_ENV });
    lot = new ParkingLot(t);
    browser = await launchBrowser();
    const email = `ada.${Math.random().toString(36).slice(2)}@console.test`;
    const created = await t.app
      .get(StaffService)
      .create({ email, name: 'Ada Admin', role: 'admin' }, STAFF_PASSWORD, { staffId: null, label: 'test' });
    admin = { email, id: created.id };
    page = await pages.newPage();
    // The password reset asks "are you sure?": yes.
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${t.baseUrl}/console/`);
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Ada Admin' }).waitFor();
  }, 120000);
  afterAll(async () => {
    await pages.close();
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    expect(pages.errors()).toEqual([]);
  });

  const check = (name: string) => pages.check(page, `console-${name}`);
  const openFromMenu = async (title: string) => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: title }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();
  };
  const status = () => page.getByRole('status').textContent();

  it('creates a campaign, makes it current, and sees the bar follow the ledger; edits its target', async () => {
    await openFromMenu('Campaigns');
    const form = page.getByRole('form', { name: 'New campaign' });
    await form.getByLabel('Title').fill('Spring appeal');
    await form.getByLabel('Slug').fill('Spring Appeal');
    await form.getByLabel('Target (AUD)').fill('lots');
    await form.getByRole('button', { name: 'Create campaign' }).click();
    // Not an amount: said next to the target, nothing sent.
    await form.locator('input[name="target"][aria-invalid="true"]').waitFor();
    await form.getByLabel('Target (AUD)').fill('1,000.00');
    await form.getByRole('button', { name: 'Create campaign' }).click();
    // The API's validation error, next to the field it names.
    await form.locator('input[name="slug"][aria-invalid="true"]').waitFor();
    expect(await form.locator('.field-error').textContent()).toMatch(/slug/);
    await form.getByLabel('Slug').fill('spring-appeal');
    await form.getByLabel('Slug').press('Enter');
    await waitFor(async () => (await status())?.includes('Spring appeal created with a target of $1,000.00'));
    expect(
      await t.query(
        `SELECT target_amount::int AS target, is_current AS current FROM campaigns WHERE slug = 'spring-appeal'`,
      ),
    ).toEqual([{ target: 100000, current: false }]);

    const card = page.locator('li.campaign', { has: page.getByRole('heading', { name: 'Spring appeal' }) });
    await card.getByRole('button', { name: /^Make .Spring appeal. current$/ }).click();
    await waitFor(async () => (await status())?.includes('Spring appeal is now the current campaign.'));
    await card.locator('.badge', { hasText: 'current' }).waitFor();
    expect(await t.query(`SELECT slug FROM campaigns WHERE is_current`)).toEqual([{ slug: 'spring-appeal' }]);

    // A 250.00 cash gift on the phone line: the bar follows the ledger.
    const token = (await t.http.post('/api/auth/login').send({ email: admin.email, password: STAFF_PASSWORD })).body
      .accessToken as string;
    await t.http
      .post('/api/phone-donations')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', `console-admin-${Math.random().toString(36).slice(2)}`)
      .send({ supporter: { name: 'Spring Caller' }, amount: 25000, method: 'cash' })
      .expect(201);
    expect(await ledgerRaised(t, 'spring-appeal')).toBe(25000);
    const raised = page.locator('[data-campaign-raised="spring-appeal"]');
    await waitFor(
      async () => (await raised.textContent())?.includes('$250.00 raised of $1,000.00 (25%)'),
      15000,
      'the bar at $250.00',
    );
    const bar = card.getByRole('progressbar');
    expect(await bar.getAttribute('aria-valuenow')).toBe('25000');
    await check('campaigns-admin');

    // Edit: a new target; Esc first closes the form without saving.
    await card.getByRole('button', { name: /^Edit .Spring appeal.$/ }).click();
    await card.getByLabel('Target (AUD)').fill('9');
    await card.getByLabel('Target (AUD)').press('Escape');
    expect(await card.getByLabel('Target (AUD)').count()).toBe(0);
    await card.getByRole('button', { name: /^Edit .Spring appeal.$/ }).click();
    await card.getByLabel('Target (AUD)').fill('2,000');
    await card.getByRole('button', { name: 'Save' }).click();
    await waitFor(async () => (await status())?.includes('Spring appeal saved: target $2,000.00.'));
    await waitFor(
      async () => (await raised.textContent())?.includes('$250.00 raised of $2,000.00'),
      15000,
      'new target',
    );
    expect(await bar.getAttribute('aria-valuemax')).toBe('200000');
  });

  it('invites a phone operator, changes their role, resets their password and disables them', async () => {
    await openFromMenu('Staff');
    const email = `olive.${Math.random().toString(36).slice(2)}@console.test`;
    await page.getByLabel('Name').fill('Olive Operator');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Role', { exact: true }).selectOption('phone');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const first = (await page.locator('[data-temporary-password]').textContent())!;
    expect(first).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const row = page.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) });
    await row.waitFor();

    await row.getByLabel('Role of Olive Operator').selectOption('finance');
    await row.getByRole('button', { name: 'Change role' }).click();
    await waitFor(async () => (await status())?.includes('Olive Operator is now finance.'));
    expect(await t.query(`SELECT role FROM staff WHERE email = $1`, [email])).toEqual([{ role: 'finance' }]);

    await row.getByRole('button', { name: 'Reset password of Olive Operator' }).click();
    await waitFor(async () => (await status())?.includes("Olive Operator's password was reset"));
    const second = (await page.locator('[data-temporary-password]').textContent())!;
    expect(second).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(second).not.toBe(first);
    // The first temporary password no longer signs in; the new one does (and must be changed).
    await t.http.post('/api/auth/login').send({ email, password: first }).expect(401);
    const signIn = await t.http.post('/api/auth/login').send({ email, password: second }).expect(200);
    expect(signIn.body.passwordChangeRequired).toBe(true);
    await check('staff-admin');

    await row.getByRole('button', { name: 'Disable Olive Operator' }).click();
    await waitFor(async () => (await status())?.includes('Olive Operator is disabled'));
    await row.getByRole('cell', { name: 'disabled' }).waitFor();
    expect(await t.query(`SELECT disabled_at IS NOT NULL AS disabled FROM staff WHERE email = $1`, [email])).toEqual([
      { disabled: true },
    ]);
    await t.http.post('/api/auth/login').send({ email, password: second }).expect(401);
    // Their row offers to enable them again; the administrator's own row offers nothing that locks them out.
    await row.getByRole('button', { name: 'Enable Olive Operator' }).waitFor();
    const own = page.getByRole('row', { name: new RegExp(admin.email.replace(/\./g, '\\.')) });
    expect(await own.getByRole('button').count()).toBe(0);
  });

  it('filters the audit log by staff member, action and date', async () => {
    await openFromMenu('Audit log');
    await page.locator('tr[data-audit-action]').first().waitFor();
    await page.getByLabel('Staff member').selectOption({ label: `Ada Admin (${admin.email})` });
    await page.getByLabel('Action').fill('staff.');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: t.config.REPORT_TIME_ZONE }).format(new Date());
    await page.getByLabel('From', { exact: true }).fill(today);
    await page.getByLabel('To', { exact: true }).fill(today);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('table').getByText('matching the filter').waitFor();
    const rows = page.locator('tr[data-audit-action]');
    const actions: Array<string | null> = [];
    for (let i = 0; i < (await rows.count()); i++) actions.push(await rows.nth(i).getAttribute('data-audit-action'));
    // Newest first: the disabling, the reset, the role change, the invitation.
    expect(actions).toEqual(['staff.update', 'staff.password_reset', 'staff.update', 'staff.create']);
    const actors = await page.locator('tr[data-audit-action] td:nth-child(2)').allTextContents();
    expect(new Set(actors)).toEqual(new Set([admin.email]));
    await check('audit-log');

    // A bad action is refused by the API, next to the field.
    await page.getByLabel('Action').fill('Staff Update');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('input[name="action"][aria-invalid="true"]').waitFor();
    // Esc clears the filter: every entry again.
    await page.getByLabel('Action').press('Escape');
    await waitFor(
      async () => (await page.getByRole('table').getByText('matching the filter').count()) === 0,
      10000,
      'the unfiltered log',
    );
    expect(await page.getByLabel('Action').inputValue()).toBe('');
  });

  it('shows pending, parked and lag, and replays a parked event once however often it is clicked', async () => {
    await lot.park('evt_console_parked');
    await openFromMenu('Webhooks');
    const row = page.locator('tr[data-parked-event="evt_console_parked"]');
    await row.waitFor();
    expect(await page.locator('[data-webhooks="parked"]').textContent()).toBe('1');
    expect(await page.locator('[data-webhooks="pending"]').textContent()).toBe('0');
    expect(await row.textContent()).toContain('Error: downstream unavailable');
    await check('webhooks');

    lot.down = false;
    await row.getByRole('button', { name: 'Replay evt_console_parked' }).dblclick();
    await waitFor(async () =>
      (await status())?.includes('evt_console_parked (test.parkable) will be processed again now.'),
    );
    await page.getByText('No parked events').waitFor();
    await waitFor(
      async () =>
        (
          await t.query<{ done: boolean }>(
            `SELECT processed_at IS NOT NULL AS done FROM stripe_events WHERE id = 'evt_console_parked'`,
          )
        )[0].done,
      10000,
      'the replayed event processed',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(lot.applied.get('evt_console_parked')).toBe(1);
    expect(
      await t.query(`SELECT actor FROM audit_log WHERE action = 'webhook.replay' AND entity_id = 'evt_console_parked'`),
    ).toEqual([{ actor: admin.email }]);
    expect(await page.locator('[data-webhooks="parked"]').textContent()).toBe('0');
    await check('webhooks-replayed');
  });

  it('a finance user sees the campaigns without the administration, and the admin screens not at all', async () => {
    const email = `fin.${Math.random().toString(36).slice(2)}@console.test`;
    await t.app
      .get(StaffService)
      .create({ email, name: 'Fin Finance', role: 'finance' }, STAFF_PASSWORD, { staffId: null, label: 'test' });
    const fin = await pages.newPage({ viewport: { width: 768, height: 1024 } });
    await fin.goto(`${t.baseUrl}/console/campaigns`);
    await fin.getByLabel('Email').fill(email);
    await fin.getByLabel('Password').fill(STAFF_PASSWORD);
    await fin.getByRole('button', { name: 'Sign in' }).click();
    await fin.locator('[data-campaign-raised="spring-appeal"]').waitFor();
    expect(await fin.getByRole('button', { name: /Make|Edit/ }).count()).toBe(0);
    expect(await fin.getByRole('form', { name: 'New campaign' }).count()).toBe(0);
    for (const path of ['webhooks', 'audit-log']) {
      await fin.goto(`${t.baseUrl}/console/${path}`);
      await fin.getByRole('heading', { name: 'Not allowed' }).waitFor();
    }
  });
});
