import { type Browser, type Page } from 'playwright-core';
import { StaffService } from '@app/staff';
import { BrowserPages, buildConsole, launchBrowser } from './support/browser';
import { SmtpInbox } from './support/smtp-inbox';
import { signedIn, STAFF_PASSWORD } from './support/staff';
import { startTestApp, type TestContext, waitFor } from './support/test-app';

/**
 * The phone line and the supporter page in Debian's Chromium against the real service (built
 * console, real database, simulator, a real SMTP server): a whole call by a phone operator who
 * has just been invited, then a finance user's supporter page. A screenshot of each screen, and
 * axe finds nothing serious or critical on any.
 */
describe('console: the phone line and the supporter page', () => {
  const inbox = new SmtpInbox();
  let t: TestContext;
  let browser: Browser;
  const pages = new BrowserPages(() => browser);
  let admin: string;
  let adminEmail = '';
  let existingId = '';

  beforeAll(async () => {
    buildConsole();
    await inbox.start();
    t = await startTestApp({
      SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
      EMAIL_FROM: 'Supporters <supporters@news.example.org>',
      EMAIL_POLL_INTERVAL_MS: '500',
    });
    browser = await launchBrowser();
    adminEmail = `keyboard.admin.${Math.random().toString(36).slice(2)}@staff.test`;
    admin = await signedIn(t, 'admin', adminEmail);
    // A caller who gave before, stored with their phone in E.164.
    const seeded = await t.http
      .post('/api/phone-donations')
      .set('authorization', admin)
      .set('idempotency-key', 'seed-existing-caller')
      .send({
        supporter: { name: 'Gwen Existing', email: 'gwen.existing@example.com', phone: '+61255501111' },
        amount: 1000,
        method: 'cash',
      })
      .expect(201);
    existingId = seeded.body.supporterId;
    // Beside the current campaign: one running, one ended, one not started (only the running ones are offered).
    await t.query(
      `INSERT INTO campaigns (slug, title, currency, target_amount, starts_at, ends_at)
       VALUES ('winter-appeal', 'Winter appeal', 'AUD', 500000, now() - interval '2 days', now() + interval '30 days'),
              ('old-appeal', 'Old appeal', 'AUD', 500000, now() - interval '60 days', now() - interval '30 days'),
              ('next-appeal', 'Next appeal', 'AUD', 500000, now() + interval '30 days', NULL)`,
    );
  }, 180000);
  afterAll(async () => {
    await pages.close();
    await browser?.close();
    await t?.close();
    await inbox.stop();
  });
  afterEach(() => {
    expect(pages.errors()).toEqual([]);
  });

  const newPage = (width = 1280, height = 800) => pages.newPage({ viewport: { width, height } });

  const check = (page: Page, name: string) => pages.check(page, `console-${name}`);

  const status = (page: Page, form: string) =>
    page.getByRole('form', { name: form }).getByRole('status').textContent() as Promise<string>;

  it('a new phone operator takes a whole call: new caller, a cheque double-clicked, an existing caller, cash, print by cheque, a card link, a voided typo', async () => {
    const email = `olive.${Math.random().toString(36).slice(2)}@console.test`;
    const invited = await t.http
      .post('/api/staff')
      .set('authorization', admin)
      .send({ email, name: 'Olive Operator', role: 'phone' })
      .expect(201);
    const page = await newPage();
    await page.goto(`${t.baseUrl}/console/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(invited.body.temporaryPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Temporary password').fill(invited.body.temporaryPassword);
    await page.getByLabel('New password', { exact: true }).fill('olive answers the phone');
    await page.getByLabel('New password again').fill('olive answers the phone');
    await page.getByRole('button', { name: 'Save password' }).click();
    await page.getByRole('heading', { name: 'Welcome, Olive Operator' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Phone line' }).click();
    await page.getByRole('heading', { name: 'Phone line' }).waitFor();
    await check(page, 'phone-line');

    // A new caller: searched for as typed, no match, created inline.
    const search = page.getByLabel('Name, email, phone or postcode');
    await search.fill('Nadia Newcaller');
    await page.getByText('No supporter matches “Nadia Newcaller”.').waitFor();
    await page.getByRole('button', { name: 'New caller' }).click();
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Nadia Newcaller');
    await page.getByLabel('Email', { exact: true }).fill('nadia.newcaller@example.com');
    await page.getByLabel('Phone', { exact: true }).fill('0412 345 678');
    await check(page, 'phone-new-caller');
    await page.getByRole('button', { name: 'Use this caller' }).click();
    await page.getByRole('heading', { name: 'Caller: Nadia Newcaller' }).waitFor();

    // A 50.00 cheque, the submit button double-clicked: two requests, one Idempotency-Key, one entry.
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/phone-donations')) posts.push(r.headers()['idempotency-key']);
    });
    const donation = page.getByRole('form', { name: 'Donation' });
    await donation.getByLabel('Amount (AUD)').fill('50.00');
    await donation.getByLabel('Paid by').selectOption('cheque');
    await donation.getByLabel('Reference (cheque number, transfer reference)').fill('CHQ 000123');
    // The campaign is chosen from the running ones, the current one first and chosen already.
    const campaign = donation.getByLabel('Campaign');
    await waitFor(async () => (await campaign.isEnabled()) && campaign, 5000, 'the campaigns');
    expect(await campaign.locator('option').allTextContents()).toEqual(['Fighting fund (current)', 'Winter appeal']);
    expect(await campaign.inputValue()).toBe('fighting-fund');
    await campaign.selectOption('winter-appeal');
    await donation.getByRole('button', { name: 'Record donation' }).dblclick();
    await donation.getByRole('status').waitFor();
    expect(await status(page, 'Donation')).toMatch(
      /^Recorded a \$50\.00 cheque donation from Nadia Newcaller: entry \d+, receipt number \d+, reference CHQ 000123, campaign winter-appeal; receipt emailed\.$/,
    );
    await waitFor(async () => posts.length >= 2, 5000, 'the second click’s request');
    const nadia = await waitFor(
      async () => {
        const rows = await t.query<{ id: string; gross: string; method: string; n: number }>(
          `SELECT s.id, l.gross, l.method, count(*) OVER ()::int AS n
             FROM ledger_entries l JOIN supporters s ON s.id = l.supporter_id
            WHERE lower(s.email) = 'nadia.newcaller@example.com'`,
        );
        return rows.length > 0 && rows;
      },
      5000,
      'the cheque in the ledger',
    );
    await new Promise((r) => setTimeout(r, 1000)); // the second request has its answer by now
    expect(
      await t.query(
        `SELECT l.gross::int AS gross, l.method FROM ledger_entries l JOIN supporters s ON s.id = l.supporter_id WHERE lower(s.email) = 'nadia.newcaller@example.com'`,
      ),
    ).toEqual([{ gross: 5000, method: 'cheque' }]);
    expect(
      await t.query(
        `SELECT c.slug FROM ledger_entries l JOIN supporters s ON s.id = l.supporter_id JOIN campaigns c ON c.id = l.campaign_id WHERE lower(s.email) = 'nadia.newcaller@example.com'`,
      ),
    ).toEqual([{ slug: 'winter-appeal' }]);
    // The form is ready for the next gift: the current campaign chosen again.
    expect(await campaign.inputValue()).toBe('fighting-fund');
    expect(nadia).toHaveLength(1);
    // Both clicks sent the form's one key (a retry while the first was in progress sends it again).
    expect(new Set(posts).size).toBe(1);
    expect(await page.locator('.this-call > li').count()).toBe(1);
    await page.getByRole('heading', { name: 'Caller: Nadia Newcaller' }).waitFor();
    await page.getByRole('link', { name: 'Open the supporter page' }).waitFor();
    await check(page, 'phone-recorded');

    // A digital subscription by card: the monthly link emailed to the caller now on file.
    const subscription = page.getByRole('form', { name: 'Subscription' });
    await subscription.getByLabel('Tier').selectOption('digital');
    await subscription.getByLabel('Paid by').selectOption('card_monthly');
    expect(await subscription.getByLabel('Email for the card link').inputValue()).toBe('nadia.newcaller@example.com');
    await subscription.getByRole('button', { name: 'Email the subscription link' }).click();
    await subscription.getByRole('status').waitFor();
    expect(await status(page, 'Subscription')).toMatch(
      /^Emailed a card payment link for a monthly Digital edition subscription to nadia\.newcaller@example\.com/,
    );
    expect(
      await t.query(
        `SELECT purpose, channel, tier_code FROM checkouts WHERE lower(email) = 'nadia.newcaller@example.com'`,
      ),
    ).toEqual([{ purpose: 'subscription', channel: 'phone', tier_code: 'digital' }]);
    await inbox.awaitCount('nadia.newcaller@example.com', 1, /card payment link/);
    // Its status is read like a donation link's: open, emailed once, checked again on request.
    const [{ id: subCheckout }] = await t.query<{ id: string }>(
      `SELECT id FROM checkouts WHERE lower(email) = 'nadia.newcaller@example.com' AND purpose = 'subscription'`,
    );
    const subCard = page.locator(`[data-recorded="${subCheckout}"]`);
    await subCard.getByText('emailed 1 time').waitFor();
    await subCard.getByRole('button', { name: 'Check the link’s status' }).click();
    expect(await subCard.locator('[data-card-status]').getAttribute('data-card-status')).toBe('open');

    // An existing caller stored as +61255501111, found by typing the number as they say it.
    await page.getByRole('button', { name: 'Change caller' }).click();
    await page.getByLabel('Name, email, phone or postcode').fill('Nadia');
    await page.getByRole('button', { name: 'Choose Nadia Newcaller' }).waitFor();
    await page.getByLabel('Name, email, phone or postcode').press('Escape'); // Esc clears the search
    expect(await page.getByLabel('Name, email, phone or postcode').inputValue()).toBe('');
    expect(await page.getByRole('button', { name: 'Choose Nadia Newcaller' }).count()).toBe(0);
    await page.getByLabel('Name, email, phone or postcode').fill('02 5550 1111');
    await page.getByRole('button', { name: 'Choose Gwen Existing' }).click();
    await page.getByRole('heading', { name: 'Caller: Gwen Existing' }).waitFor();

    // A cash gift, by keyboard: Enter submits.
    await donation.getByLabel('Paid by').selectOption('cash');
    await donation.getByLabel('Amount (AUD)').fill('20');
    await donation.getByLabel('Amount (AUD)').press('Enter');
    await waitFor(
      async () => (await status(page, 'Donation').catch(() => ''))?.includes('$20.00 cash donation from Gwen Existing'),
      5000,
      'the cash gift recorded',
    );

    // A print subscription paid by cheque: the address is checked in the form before anything is sent.
    await subscription.getByLabel('Tier').selectOption('print');
    await subscription.getByLabel('Paid by').selectOption('cheque');
    expect(await subscription.getByLabel('Amount received (AUD)').inputValue()).toBe('120.00');
    await subscription.getByLabel('Street address').fill('12 Collins St');
    await subscription.getByLabel('Suburb or town').fill('Melbourne');
    await subscription.getByLabel('State or territory').selectOption('VIC');
    await subscription.getByLabel('Postcode').fill('2000');
    await subscription.getByLabel('Reference (cheque number, transfer reference)').fill('CHQ 777');
    const offlinePosts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/offline-subscriptions')) offlinePosts.push(r.url());
    });
    await subscription.getByRole('button', { name: 'Record subscription' }).click();
    await subscription.getByText('postcode 2000 is not in VIC').waitFor();
    expect(await subscription.getByLabel('Postcode').getAttribute('aria-invalid')).toBe('true');
    expect(offlinePosts).toEqual([]);
    await check(page, 'phone-address-check');
    await subscription.getByLabel('Postcode').fill('3000');
    await subscription.getByRole('button', { name: 'Record subscription' }).click();
    await subscription.getByRole('status').waitFor();
    expect(await status(page, 'Subscription')).toMatch(
      /^Recorded a 12-month Print edition subscription paid by cheque \(\$120\.00\): entry \d+, receipt number \d+, running until .*; delivered to 12 Collins St, Melbourne VIC 3000/,
    );
    expect(
      await t.query(
        `SELECT tier_code, origin, status, delivery_address->>'postalCode' AS postcode FROM subscriptions WHERE supporter_id = $1`,
        [existingId],
      ),
    ).toEqual([{ tier_code: 'print', origin: 'offline', status: 'active', postcode: '3000' }]);

    // A card link, emailed to the caller (a real SMTP server), then sent again.
    await donation.getByLabel('Paid by').selectOption('card');
    expect(await donation.getByLabel('Email for the card link').inputValue()).toBe('gwen.existing@example.com');
    await donation.getByLabel('Amount (AUD)').fill('25');
    await donation.getByRole('button', { name: 'Email the card link' }).click();
    await waitFor(
      async () => (await status(page, 'Donation').catch(() => ''))?.startsWith('Emailed a card payment link'),
      5000,
      'the card link sent',
    );
    expect(await status(page, 'Donation')).toMatch(
      /^Emailed a card payment link for a one-off donation of \$25\.00 to gwen\.existing@example\.com/,
    );
    const [mail] = await inbox.awaitCount('gwen.existing@example.com', 1, /card payment link/);
    expect(mail.subject).toBe('Your card payment link: donation of $25.00 AUD');
    const [checkout] = await t.query<{ id: string; url: string }>(
      `SELECT id, checkout_url AS url FROM checkouts WHERE channel = 'phone' AND email = 'gwen.existing@example.com'`,
    );
    expect(mail.text).toContain(checkout.url);
    const card = page.locator(`[data-recorded="${checkout.id}"]`);
    await card.getByText('Card link: open: not paid yet; emailed 1 time').waitFor();
    await card.getByRole('button', { name: 'Send the link again' }).click();
    await card.getByText('emailed 2 times').waitFor();
    await inbox.awaitCount('gwen.existing@example.com', 2, /card payment link/);
    // The caller follows the emailed link in a browser, presses Pay on the Checkout page (the
    // simulator's) and is sent back to our thank-you page; the operator sees the link paid.
    const emailedLink = mail.text!.match(/https?:\/\/\S+/)![0];
    expect(emailedLink).toBe(checkout.url);
    const caller = await newPage();
    await caller.goto(emailedLink);
    await caller.getByLabel('Name on card').fill('Gwen Existing');
    await caller.getByRole('button', { name: 'Pay' }).click();
    await caller.waitForURL(/\/checkout\/complete/);
    await caller.getByRole('heading', { name: 'Thank you' }).waitFor();
    await waitFor(
      async () => {
        await card.getByRole('button', { name: 'Check the link’s status' }).click();
        return (await card.locator('[data-card-status]').getAttribute('data-card-status')) === 'complete';
      },
      15000,
      'the link shown as paid',
    );
    await card.getByText('Card link: paid').waitFor();
    expect(await card.getByRole('button', { name: 'Send the link again' }).count()).toBe(0);

    // A typo (500 for 50) voided by the operator who took it.
    await donation.getByLabel('Paid by').selectOption('cash');
    await donation.getByLabel('Amount (AUD)').fill('500');
    await donation.getByRole('button', { name: 'Record donation' }).click();
    await waitFor(
      async () => (await status(page, 'Donation').catch(() => ''))?.includes('$500.00 cash donation'),
      5000,
      'the typo recorded',
    );
    const typo = (await status(page, 'Donation')).match(/entry (\d+), receipt number/)![1];
    const entry = page.locator(`[data-recorded="${typo}"]`);
    await entry.getByRole('button', { name: `Void entry ${typo}` }).click();
    await entry.getByLabel(`Why void entry ${typo}`).fill('typed 500 for 50');
    await check(page, 'phone-void');
    await entry.getByRole('button', { name: 'Void', exact: true }).click();
    await entry.getByText(new RegExp(`^Voided: entry ${typo} reversed by entry \\d+ \\(-\\$500\\.00\\)`)).waitFor();
    expect(
      await t.query(`SELECT kind, gross::int AS gross FROM ledger_entries WHERE reverses_entry_id = $1`, [typo]),
    ).toEqual([{ kind: 'reversal', gross: -50000 }]);
    await check(page, 'phone-call-done');
  });

  it('a finance user works on a supporter page: details, payments, subscriptions, entitlements, emails, audit trail, a duplicate merged, a reversal, a partial refund', async () => {
    // A second record of the same caller (same phone, no email), taken by someone else.
    const dup = await t.http
      .post('/api/phone-donations')
      .set('authorization', admin)
      .set('idempotency-key', 'seed-duplicate-caller')
      .send({ supporter: { name: 'G. Existing', phone: '02 5550 1111' }, amount: 700, method: 'cash' })
      .expect(201);
    expect(dup.body.supporterId).not.toBe(existingId);
    const email = `fin.${Math.random().toString(36).slice(2)}@console.test`;
    await t.app
      .get(StaffService)
      .create({ email, name: 'Fiona Finance', role: 'finance' }, STAFF_PASSWORD, { staffId: null, label: 'test' });
    const page = await newPage();
    await page.goto(`${t.baseUrl}/console/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Fiona Finance' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Find a supporter' }).click();
    await page.getByLabel('Name, email, phone or postcode').fill('gwen.existing@example.com');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Gwen Existing' }).click();
    await page.getByRole('heading', { name: 'Gwen Existing', level: 1 }).waitFor();
    expect(page.url()).toBe(`${t.baseUrl}/console/supporters/${existingId}`);

    // Payments: the seed, the cash gift, the typo and its reversal; the subscription and what it gives.
    const payments = page.getByRole('region', { name: 'Payments' });
    await payments.getByRole('cell', { name: '$20.00', exact: true }).waitFor();
    await payments.getByRole('cell', { name: '-$500.00', exact: true }).waitFor();
    await payments.getByText(/^reversed by \d+$/).waitFor();
    expect(await page.locator('[data-entitlements]').textContent()).toBe('Entitled to: print, digital.');
    await page.getByRole('region', { name: 'Subscriptions and entitlements' }).getByText('12 Collins St').waitFor();

    // Details edited (audited by the API).
    await page.getByLabel('Staff notes').fill('Prefers a call after 5pm');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByText('Details saved.').waitFor();
    expect(await t.query(`SELECT notes FROM supporters WHERE id = $1`, [existingId])).toEqual([
      { notes: 'Prefers a call after 5pm' },
    ]);

    // Emails sent and the audit trail: shown without an export (nothing audited), newest first.
    const history = page.getByRole('region', { name: 'Emails sent and audit trail' });
    await history.getByRole('cell', { name: 'card_link' }).first().waitFor();
    await history.getByRole('cell', { name: 'ledger.void' }).first().waitFor();
    await history.getByRole('cell', { name: 'supporter.update' }).first().waitFor();
    expect(await t.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'supporter.export'`)).toEqual([
      { n: 0 },
    ]);
    // The full export (finance, admin) stays a separate, audited download.
    await history.getByRole('button', { name: 'Prepare the full export' }).click();
    await history.getByRole('link', { name: 'Download everything held about them (JSON)' }).waitFor();
    expect(await t.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'supporter.export'`)).toEqual([
      { n: 1 },
    ]);
    await check(page, 'supporter-page');

    // The duplicate found by phone, merged into this record.
    const duplicates = page.getByRole('region', { name: 'Possible duplicates' });
    await duplicates.getByRole('button', { name: 'Merge G. Existing into this record' }).click();
    await duplicates.getByText('Merged G. Existing into this record.').waitFor();
    expect(await t.query(`SELECT merged_into FROM supporters WHERE id = $1`, [dup.body.supporterId])).toEqual([
      { merged_into: existingId },
    ]);
    await payments.getByRole('cell', { name: '$7.00', exact: true }).waitFor();

    // Finance reverses the cash gift.
    const gift = await t.query<{ id: string }>(
      `SELECT id FROM ledger_entries WHERE supporter_id = $1 AND gross = 2000 AND kind = 'payment'`,
      [existingId],
    );
    const row = page.locator(`[data-entry="${gift[0].id}"]`);
    await row.getByRole('button', { name: `Reverse entry ${gift[0].id}` }).click();
    await row.getByLabel(`Why reverse entry ${gift[0].id}`).fill('the caller asked for it back');
    await row.getByRole('button', { name: 'Reverse', exact: true }).click();
    await row.getByText(/^reversed by \d+$/).waitFor();
    expect(
      await t.query(`SELECT kind, gross::int AS gross FROM ledger_entries WHERE reverses_entry_id = $1`, [gift[0].id]),
    ).toEqual([{ kind: 'reversal', gross: -2000 }]);

    // Finance refunds part of the card payment taken by phone (through Stripe; the ledger follows by webhook).
    const [card] = await waitFor(
      async () => {
        const rows = await t.query<{ id: string }>(
          `SELECT id FROM ledger_entries WHERE supporter_id = $1 AND gross = 2500 AND kind = 'payment'`,
          [existingId],
        );
        return rows.length > 0 && rows;
      },
      15000,
      'the card payment in the ledger',
    );
    await page.reload();
    const cardRow = page.locator(`[data-entry="${card.id}"]`);
    await cardRow.getByRole('button', { name: `Refund entry ${card.id}` }).click();
    await cardRow.getByLabel('Amount (blank: all that is left)').fill('10.00');
    await cardRow.getByLabel('Reason').selectOption('requested_by_customer');
    await cardRow.getByRole('button', { name: 'Refund', exact: true }).click();
    await cardRow.getByText(/^Refund of \$10\.00 sent to Stripe/).waitFor();
    await waitFor(
      async () =>
        (
          await t.query<{ gross: string }>(
            `SELECT gross FROM ledger_entries WHERE kind = 'refund' AND supporter_id = $1`,
            [existingId],
          )
        ).map((r) => Number(r.gross))[0] === -1000,
      15000,
      'the partial refund in the ledger',
    );
    // Once the refund is in the ledger the row says so, and the rest can still be refunded.
    await page.reload();
    await cardRow.locator('[data-refunded]').getByText('$10.00 refunded').waitFor();
    expect(await cardRow.getByRole('button', { name: `Refund entry ${card.id}` }).count()).toBe(1);
    expect(await cardRow.getByText(/^reversed by/).count()).toBe(0);
    await check(page, 'supporter-corrected');
  });

  it('an administrator erases a supporter on request from their page: confirmed first, the ledger unchanged', async () => {
    const email = `ada.${Math.random().toString(36).slice(2)}@console.test`;
    await t.app
      .get(StaffService)
      .create({ email, name: 'Ada Admin', role: 'admin' }, STAFF_PASSWORD, { staffId: null, label: 'test' });
    const [nadia] = await t.query<{ id: string }>(
      `SELECT id FROM supporters WHERE lower(email) = 'nadia.newcaller@example.com'`,
    );
    const page = await newPage(768, 1024);
    await page.goto(`${t.baseUrl}/console/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Ada Admin' }).waitFor();
    await page.goto(`${t.baseUrl}/console/supporters/${nadia.id}`);
    await page.getByRole('heading', { name: 'Nadia Newcaller', level: 1 }).waitFor();
    const erase = page.getByRole('form', { name: 'Erase personal data' });
    await erase.getByLabel('Reason (no personal data)').fill('request by email, identity checked by phone');
    await erase.getByRole('button', { name: 'Erase' }).click();
    await erase.getByText('tick the box to confirm the erasure').waitFor();
    expect(await t.query(`SELECT erased_at FROM supporters WHERE id = $1`, [nadia.id])).toEqual([{ erased_at: null }]);
    await check(page, 'supporter-erase');
    await erase.getByLabel(/I have checked the request/).check();
    await erase.getByRole('button', { name: 'Erase' }).click();
    await erase.getByText(/^Erased: \d+ emails and \d+ audit entries scrubbed; the ledger is unchanged\.$/).waitFor();
    const [row] = await t.query<{ erased: boolean; email: string | null }>(
      `SELECT erased_at IS NOT NULL AS erased, email FROM supporters WHERE id = $1`,
      [nadia.id],
    );
    expect(row.erased).toBe(true);
    expect(row.email).not.toBe('nadia.newcaller@example.com');
    expect(await t.query(`SELECT gross::int AS gross FROM ledger_entries WHERE supporter_id = $1`, [nadia.id])).toEqual(
      [{ gross: 5000 }],
    );
  });

  it('the phone line works from the keyboard alone, in a sensible Tab order', async () => {
    const page = await newPage();
    await page.goto(`${t.baseUrl}/console/`);
    await page.getByLabel('Email').fill(adminEmail);
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
    await page.goto(`${t.baseUrl}/console/phone`);
    // The search has the focus on arrival; the caller is found by typing, chosen with Tab and Enter.
    const focused = () =>
      page.evaluate<string>(`(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return '';
        const label = e.labels && e.labels[0] ? e.labels[0].textContent : e.getAttribute('aria-label');
        return (label || e.textContent || '').replace(/\\s+/g, ' ').trim();
      })()`);
    await waitFor(async () => (await focused()).startsWith('Name, email, phone or postcode'), 5000, 'search focused');
    await page.keyboard.type('02 5550 1111');
    await page.getByRole('button', { name: 'Choose Gwen Existing' }).waitFor();
    const order: string[] = [];
    const tab = async () => {
      await page.keyboard.press('Tab');
      order.push(await focused());
    };
    await tab();
    expect(order[0]).toBe('Choose Gwen Existing');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Caller: Gwen Existing' }).waitFor();
    // From the amount on, Tab walks the donation form top to bottom and ends on its button.
    const donation = page.getByRole('form', { name: 'Donation' });
    await donation.getByLabel('Amount (AUD)').focus();
    await page.keyboard.type('12.50');
    order.length = 0;
    await tab();
    await page.keyboard.type('Cash'); // type-ahead in the closed select
    for (let i = 0; i < 5; i++) await tab();
    // One stop per radio group (the chosen one; the arrows move within it), as browsers do.
    expect(order).toEqual([
      'Paid by',
      'One-off',
      'Campaign',
      'Reference (cheque number, transfer reference)',
      'Note',
      'Record donation',
    ]);
    await page.keyboard.press('Enter');
    await donation.getByRole('status').waitFor();
    expect(await status(page, 'Donation')).toMatch(/^Recorded a \$12\.50 cash donation from Gwen Existing/);
    expect(
      await t.query(`SELECT gross::int AS gross FROM ledger_entries WHERE supporter_id = $1 AND gross = 1250`, [
        existingId,
      ]),
    ).toEqual([{ gross: 1250 }]);
  });
});
