import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type Download, type Page } from 'playwright-core';
import { todayIn } from '@app/reports';
import { cardProcessingFee } from '@app/stripe-simulator';
import { StaffService } from '@app/staff';
import { BrowserPages, buildConsole, launchBrowser, SCREENSHOTS } from './support/browser';
import { parseCsv } from './support/csv';
import { paidDonation } from './support/payments';
import { STAFF_PASSWORD } from './support/staff';
import { simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

/** The organisation's zone (REPORT_TIME_ZONE's default); the browser is put far from it on purpose. */
const ZONE = 'Australia/Sydney';
const BROWSER_ZONE = 'America/Los_Angeles';

/** "$1,234.56" as minor units, by string arithmetic. */
function minorOf(text: string | null): number {
  const m = /^(-)?\$([\d,]+)\.(\d\d)$/.exec((text ?? '').trim());
  if (!m) throw new Error(`not an amount: ${text}`);
  return (m[1] ? -1 : 1) * (Number(m[2].replace(/,/g, '')) * 100 + Number(m[3]));
}
const aud = (minor: number) =>
  new Intl.NumberFormat('en-AU', { style: 'currency', currency: 'AUD' }).format(minor / 100);

/**
 * The finance journey in Debian's Chromium against the real service (built console, real
 * database, simulator): a phone cheque in this month's chart and summary, the summary and ledger
 * CSVs whose totals match the page, the other reports, a deposit closed and its slip printed, a
 * payout reconciled with a difference highlighted, and part of a card payment refunded from it.
 */
describe('staff console: finance', () => {
  let t: TestContext;
  let browser: Browser;
  let page: Page;
  const pages = new BrowserPages(() => browser);
  let cheque: { id: string; supporterId: string };
  let cardA: Awaited<ReturnType<typeof paidDonation>>;
  let cardB: Awaited<ReturnType<typeof paidDonation>>;
  const month = todayIn(ZONE).slice(0, 7);
  const from = `${month}-01`;
  const to = todayIn(ZONE);

  beforeAll(async () => {
    buildConsole();
    t = await startTestApp({ REPORT_TIME_ZONE: ZONE });
    browser = await launchBrowser();

    // A phone operator records a 123.45 cheque; two card donations come in online.
    const phone = await member('phone', 'Pia Phone');
    const phoneToken = await login(phone.email);
    const res = await t.http
      .post('/api/phone-donations')
      .set('authorization', phoneToken)
      .set('idempotency-key', `finance-cheque-${Date.now()}`)
      .send({ supporter: { name: 'Chester Cheque' }, amount: 12345, method: 'cheque', reference: 'CHQ 000777' })
      .expect(201);
    cheque = { id: res.body.id, supporterId: res.body.supporterId };
    cardA = await paidDonation(t, 5000, { email: 'card.a@console.test' });
    cardB = await paidDonation(t, 3000, { email: 'card.b@console.test' });
  }, 180000);
  afterAll(async () => {
    await pages.close();
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    expect(pages.errors()).toEqual([]);
  });

  async function member(role: 'phone' | 'finance' | 'admin', name: string) {
    const email = `${role}.${Math.random().toString(36).slice(2)}@console.test`;
    const created = await t.app
      .get(StaffService)
      .create({ email, name, role }, STAFF_PASSWORD, { staffId: null, label: 'test' });
    return { email, id: created.id };
  }
  async function login(email: string): Promise<string> {
    const res = await t.http.post('/api/auth/login').send({ email, password: STAFF_PASSWORD }).expect(200);
    return `Bearer ${res.body.accessToken}`;
  }

  const check = (name: string) => pages.check(page, `console-finance-${name}`);
  const openFromMenu = (title: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: title }).click();
  const figure = async (name: string) => minorOf(await page.locator(`[data-figure="${name}"]`).textContent());

  async function downloaded(
    click: () => Promise<void>,
  ): Promise<{ name: string; rows: Array<Record<string, string>> }> {
    const [download] = await Promise.all([page.waitForEvent('download') as Promise<Download>, click()]);
    const [header, ...lines] = parseCsv(readFileSync((await download.path())!, 'utf8'));
    return {
      name: download.suggestedFilename(),
      rows: lines.filter((l) => l.length > 1).map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]]))),
    };
  }
  const sum = (rows: Array<Record<string, string>>, col: string) => rows.reduce((a, r) => a + Number(r[col]), 0);

  it('a finance user sees the cheque in this month’s chart and summary; the summary and ledger CSVs match the page', async () => {
    const finance = await member('finance', 'Fiona Finance');
    page = await pages.newPage({ timezoneId: BROWSER_ZONE, acceptDownloads: true });
    await page.goto(`${t.baseUrl}/console/`);
    await page.getByLabel('Email').fill(finance.email);
    await page.getByLabel('Password').fill(STAFF_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Fiona Finance' }).waitFor();
    const menu = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    expect(menu).toEqual(expect.arrayContaining(['Reports', 'Deposits', 'Reconciliation']));

    // The reports chunk (with ECharts) is not part of the first load.
    const scripts = await page.evaluate<string[]>(
      `performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.endsWith('.js'))`,
    );
    await openFromMenu('Reports');
    await page.getByRole('heading', { name: 'Money in' }).waitFor();
    const after = await page.evaluate<string[]>(
      `performance.getEntriesByType('resource').map((r) => r.name).filter((n) => n.endsWith('.js'))`,
    );
    expect(after.filter((s) => !scripts.includes(s)).some((s) => /\/assets\/Reports-[^/]+\.js$/.test(s))).toBe(true);

    // This month in the organisation's zone (the browser is in Los Angeles): the cheque and both cards.
    const summary = page.getByText(`${from} to ${to} (${ZONE})`);
    await summary.waitFor();
    const gross = 12345 + 5000 + 3000;
    await waitFor(async () => (await figure('gross')) === gross, 10000, 'gross on the page');
    const fees = cardProcessingFee(5000) + cardProcessingFee(3000);
    expect(await figure('fees')).toBe(fees);
    expect(await figure('net')).toBe(gross - fees);
    expect(await page.locator(`tr[data-period="${month}"] td`).first().textContent()).toBe(aud(gross));
    // The chart: drawn (SVG bars), an image with a text alternative naming this month's money.
    const chart = page.locator('[data-chart="money-in"]');
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await chart.getAttribute('aria-label')).toContain(`${month} ${aud(gross)}`);
    // Drawn: the first series' colour fills its legend mark and this month's bar.
    const bars = chart.locator('svg path[fill="#0a58a8"]');
    await waitFor(async () => (await bars.count()) >= 2, 10000, `bars in ${await chart.innerHTML()}`);
    expect(await chart.locator('svg').textContent()).toContain('Donations');
    await check('reports-summary');

    // The CSVs, fetched with the session and saved under names that carry the range.
    const summaryCsv = await downloaded(() => page.getByRole('button', { name: 'Download summary CSV' }).click());
    expect(summaryCsv.name).toBe(`summary-${from}-${to}-month.csv`);
    expect(sum(summaryCsv.rows, 'gross')).toBe(await figure('gross'));
    expect(sum(summaryCsv.rows, 'net')).toBe(await figure('net'));
    expect(sum(summaryCsv.rows, 'fees')).toBe(await figure('fees'));
    const ledgerCsv = await downloaded(() => page.getByRole('button', { name: 'Download ledger CSV' }).click());
    expect(ledgerCsv.name).toBe(`ledger-${from}-${to}.csv`);
    expect(ledgerCsv.rows.find((r) => r.id === cheque.id)).toMatchObject({ method: 'cheque', gross: '12345' });
    // Net on the page is the sum of every entry's net; gross the payments'.
    expect(sum(ledgerCsv.rows, 'net')).toBe(await figure('net'));
    expect(
      sum(
        ledgerCsv.rows.filter((r) => r.kind === 'payment'),
        'gross',
      ),
    ).toBe(await figure('gross'));

    // Channel as a filter: phone alone is the cheque.
    await page.getByLabel('Channel').selectOption('phone');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText(`${from} to ${to} (${ZONE}), phone only`).waitFor();
    await waitFor(async () => (await figure('gross')) === 12345, 10000, 'phone gross');
    expect(await chart.getAttribute('aria-label')).toContain(`${month} ${aud(12345)}`);
    await check('reports-summary-phone');

    // A range the API refuses: the error is next to the field it names.
    await page.getByLabel('From', { exact: true }).fill('2026-05-01');
    await page.getByLabel('To', { exact: true }).fill('2026-04-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('input[name="to"][aria-invalid="true"]').waitFor();
    expect(await page.locator('.field-error').textContent()).toContain('to must not be before from');
    await page.getByLabel('From', { exact: true }).fill(from);
    await page.getByLabel('To', { exact: true }).fill(to);
    await page.getByLabel('Channel').selectOption('');
    await page.getByRole('button', { name: 'Show' }).click();
    await waitFor(async () => (await figure('gross')) === gross, 10000, 'all channels again');

    // The other reports. A digital subscriber since an hour ago: MRR at this month's end (now) is theirs.
    const [reader] = await t.query<{ id: string }>(
      `INSERT INTO supporters (email, name) VALUES ('mrr.reader@example.com', 'Mona Monthly') RETURNING id`,
    );
    await t.query(
      `INSERT INTO subscriptions (supporter_id, kind, billing, tier_code, amount, currency, status, stripe_subscription_id, created_at, current_period_start, current_period_end)
       VALUES ($1, 'subscription', 'monthly', 'digital', 500, 'AUD', 'active', 'sub_mrr_reader', now() - interval '1 hour', now() - interval '1 hour', now() + interval '30 days')`,
      [reader.id],
    );
    await page.getByRole('tab', { name: 'Recurring' }).click();
    await page.getByRole('heading', { name: 'Recurring revenue' }).waitFor();
    await page.locator('[data-chart="churn"] svg').waitFor();
    await page.locator('[data-chart="mrr-over-time"] svg').waitFor();
    expect(await page.locator('[data-figure="subscribers"]').textContent()).toBe('1');
    expect(await page.locator(`[data-figure="mrr-${month}"]`).textContent()).toBe(aud(500));
    expect(await page.locator('[data-chart="mrr-over-time"]').getAttribute('aria-label')).toContain(
      `${month} ${aud(500)}`,
    );
    await check('reports-recurring');
    const recurringCsv = await downloaded(() => page.getByRole('button', { name: 'Download recurring CSV' }).click());
    expect(recurringCsv.name).toBe(`recurring-${from}-${to}.csv`);

    await page.getByRole('tab', { name: 'Supporters' }).click();
    await page.getByRole('heading', { name: 'Supporters' }).waitFor();
    await page.locator('[data-chart="supporters"] svg').waitFor();
    expect(await page.locator('[data-figure="new"]').textContent()).toBe('3');
    const top = page.getByRole('link', { name: 'Chester Cheque' });
    expect(await top.getAttribute('href')).toBe(`/console/supporters/${cheque.supporterId}`);
    await check('reports-supporters');
    const topCsv = await downloaded(() => page.getByRole('button', { name: 'Download top supporters CSV' }).click());
    expect(topCsv.name).toBe(`top-supporters-${from}-${to}.csv`);
    expect(topCsv.rows[0]).toMatchObject({ supporter_id: cheque.supporterId });

    await page.getByRole('tab', { name: 'Progress' }).click();
    await page.getByRole('heading', { name: 'Progress toward the current target' }).waitFor();
    await page.locator('[data-progress]').waitFor();
    expect(await page.locator('[data-progress]').textContent()).toMatch(/^\$[\d,.]+ raised of \$[\d,.]+/);
    await check('reports-progress');
  });

  it('closes a deposit with the cheque and prints its slip', async () => {
    await openFromMenu('Deposits');
    await page.getByRole('heading', { name: 'Deposits' }).waitFor();
    await check('deposits');
    // A double click opens one deposit.
    await page.getByRole('button', { name: 'Open a deposit' }).dblclick();
    await page.getByText('Deposit opened').waitFor();
    const checkbox = page.getByRole('checkbox', { name: /Cheque \$123\.45 \(CHQ 000777\) from Chester Cheque/ });
    await checkbox.check();
    await page.getByRole('button', { name: 'Add ticked to deposit' }).click();
    await page.getByText('Added 1 entry to the deposit.').waitFor();
    expect(await page.locator(`tr[data-entry="${cheque.id}"]`).count()).toBe(1);
    await check('deposit-open');

    // Closing needs the bank's reference: the API's error sits next to that field.
    await page.getByRole('button', { name: 'Close deposit' }).click();
    await page.locator('input[name="bankReference"][aria-invalid="true"]').waitFor();
    await page.getByLabel('Bank reference').fill('WBC-DEP-777');
    // The day banked defaults to the organisation's today (the browser is in Los Angeles).
    expect(await page.getByLabel('Banked on').inputValue()).toBe(to);
    await page.getByLabel('Banked on').fill(to);
    await page.getByRole('button', { name: 'Close deposit' }).click();
    await page.getByText(`Deposit closed: $123.45 banked on ${to} (WBC-DEP-777).`).waitFor();
    const rows = await t.query<{ status: string; bank_reference: string }>(
      `SELECT status, bank_reference FROM deposits`,
    );
    expect(rows).toEqual([{ status: 'closed', bank_reference: 'WBC-DEP-777' }]);
    await page.getByRole('button', { name: 'Print deposit slip' }).waitFor();
    await check('deposit-closed');

    // On paper: the slip alone.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print deposit slip' }).isVisible()).toBe(false);
    expect(await page.getByRole('heading', { name: 'Deposit slip: WBC-DEP-777' }).isVisible()).toBe(true);
    expect(await page.locator('[data-deposit-total]').textContent()).toBe('$123.45');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-finance-deposit-slip-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  });

  it('opens reconciliation after a payout: the match, a fee difference highlighted, and a partial refund from it', async () => {
    // A fee recorded wrong for card B: an extra fee entry beside its real one.
    const [b] = await t.query<{ occurred_at: Date }>(`SELECT occurred_at FROM ledger_entries WHERE id = $1`, [
      cardB.paymentId,
    ]);
    await t.query(
      `INSERT INTO ledger_entries (idempotency_key, kind, type, channel, method, gross, fee, net, currency, occurred_at, stripe_charge_id)
       VALUES ('test:console-doctored-fee', 'fee', 'donation', 'online', 'card', 0, 15, -15, 'AUD', $1, $2)`,
      [b.occurred_at, cardB.chargeId],
    );
    await t.sim.idle();
    const payout = await simControl<{ id: string; amount: number }>(t.sim, 'POST', '/_simulator/payouts', {
      all: true,
    });

    await openFromMenu('Reconciliation');
    await page.getByRole('heading', { name: 'Reconciliation' }).waitFor();
    await page.getByLabel('Or one payout').fill(payout.id);
    await page.keyboard.press('Enter');
    const card = page.locator(`[data-payout="${payout.id}"]`);
    await card.waitFor();
    expect(await card.getByRole('heading').textContent()).toContain(`Payout ${payout.id}: ${aud(payout.amount)}`);
    expect(await card.locator('.badge').textContent()).toBe('1 to check');
    // The fee difference: its row marked, the two fees highlighted, the entries named with a link to the supporter.
    const diff = card.locator('tr[data-problem="fee_mismatch"]');
    expect(await diff.locator('th').textContent()).toBe('Fees differ');
    expect(await diff.locator('td.differs').count()).toBe(2);
    expect(await diff.locator(`[data-ledger-entry="${cardB.paymentId}"]`).count()).toBe(1);
    const [{ supporter_id: bSupporter }] = await t.query<{ supporter_id: string }>(
      `SELECT supporter_id FROM ledger_entries WHERE id = $1`,
      [cardB.paymentId],
    );
    expect(await diff.getByRole('link', { name: 'supporter' }).getAttribute('href')).toBe(
      `/console/supporters/${bSupporter}`,
    );
    // Card A matched.
    const matched = card.locator(`tr[data-matched="${cardA.chargeId}"]`);
    expect(await matched.locator(`[data-ledger-entry="${cardA.paymentId}"]`).count()).toBe(1);
    await check('reconciliation');

    // Part of card A refunded: a double click asks Stripe once (one Idempotency-Key for the form).
    await matched.getByRole('button', { name: /^Refund/ }).click();
    await page.getByLabel('Amount to refund').fill('20.00');
    await check('reconciliation-refund');
    await page.getByRole('button', { name: 'Refund', exact: true }).dblclick();
    await page.getByText(/Refund of \$20\.00 asked of Stripe/).waitFor();
    const refunds = await waitFor(
      async () => {
        const r = await t.query<{ gross: string }>(
          `SELECT gross FROM ledger_entries WHERE kind = 'refund' AND stripe_charge_id = $1`,
          [cardA.chargeId],
        );
        return r.length ? r : undefined;
      },
      10000,
      'the refund in the ledger',
    );
    await t.settled();
    expect(
      await t.query(`SELECT gross FROM ledger_entries WHERE kind = 'refund' AND stripe_charge_id = $1`, [
        cardA.chargeId,
      ]),
    ).toEqual([{ gross: '-2000' }]);
    expect(refunds).toHaveLength(1);
    expect((await t.stripe.refunds.list({ charge: cardA.chargeId })).data.map((r) => r.amount)).toEqual([2000]);
  });
});
