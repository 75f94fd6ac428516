import { type ParsedMail } from 'mailparser';
import { LedgerService } from '@app/ledger';
import { RenewalRemindersService } from '@app/phone';
import { ReceiptIssuer, ReceiptsService } from '@app/receipts';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { launchBrowser, SCREENSHOTS } from './support/browser';
import { linksIn, SmtpInbox } from './support/smtp-inbox';
import { signedIn } from './support/staff';
import { simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

const ORG = {
  ORG_NAME: 'The Harbour Herald',
  ORG_ABN: '51 824 753 556',
  ORG_POSTAL_ADDRESS: 'PO Box 42, Hobart TAS 7001',
  ORG_GIFTS_TAX_DEDUCTIBLE: 'true',
  ORG_ACCENT_COLOUR: '#0a5c36',
  ORG_SITE_URL: 'https://herald.example.org',
};
const TAX = 'The Harbour Herald is a deductible gift recipient';
const ADDRESS = { line1: '12 Smith St', city: 'Hobart', state: 'TAS', postalCode: '7000', country: 'AU' };

/** Every email has both parts and the organisation's branding and footer in each. */
function expectBranded(mail: ParsedMail, opts: { tax?: boolean } = {}) {
  expect(mail.text).toBeTruthy();
  expect(mail.html).toBeTruthy();
  const html = mail.html as string;
  for (const part of [mail.text!, html]) {
    expect(part).toContain('The Harbour Herald');
    expect(part).toContain('51 824 753 556');
    expect(part).toContain('PO Box 42, Hobart TAS 7001');
    if (opts.tax) expect(part).toContain(TAX);
  }
  expect(html).toContain('#0a5c36');
}

/**
 * Issue 16, emails: every email is rendered from a template into text and HTML, carries the
 * organisation's details, and arrives (here at a real SMTP server) once. Receipts are numbered in
 * a sequence of their own, without gaps, across online and phone payments.
 */
describe('emails a supporter gets: receipts, welcome, failed renewal, cancellation, refund, correction, reminders', () => {
  const inbox = new SmtpInbox();
  let t: TestContext;
  let phone: string;
  let finance: string;

  beforeAll(async () => {
    await inbox.start();
    t = await startTestApp({
      ...ORG,
      SMTP_URL: inbox.smtpUrl,
      EMAIL_FROM: 'The Harbour Herald <supporters@herald.example.org>',
      EMAIL_POLL_INTERVAL_MS: '500',
    });
    phone = await signedIn(t, 'phone');
    finance = await signedIn(t, 'finance');
  });
  afterAll(async () => {
    await t?.close();
    await inbox.stop();
  });

  let keys = 0;
  const cash = (email: string | undefined, amount: number) =>
    t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', `emails-e2e-${++keys}`)
      .send({ supporter: { name: 'Pat Phone', ...(email ? { email } : {}) }, amount, method: 'cash' })
      .expect(201);
  const lastReceipt = async () =>
    Number((await t.query<{ n: string }>(`SELECT COALESCE(max(number), 0) AS n FROM receipts`))[0].n);
  const receiptOf = async (entryId: string) =>
    waitFor(
      async () =>
        (await t.query<{ number: string }>(`SELECT number FROM receipts WHERE ledger_entry_id = $1`, [entryId]))[0],
      15000,
      `receipt of ${entryId}`,
    ).then((r) => Number(r.number));
  const sessionOf = async (checkoutId: string) =>
    (await t.query<{ s: string }>(`SELECT stripe_session_id AS s FROM checkouts WHERE id = $1`, [checkoutId]))[0].s;
  const pay = async (checkoutId: string) =>
    simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${await sessionOf(checkoutId)}/complete`);
  const give = async (email: string, amount: number) => {
    const { id } = (
      await t.http.post('/api/donations').send({ amount, frequency: 'one_off', email, name: 'Gina Giver' }).expect(201)
    ).body;
    await pay(id);
    const entry = await waitFor(
      async () =>
        (
          await t.query<{ id: string; stripe_charge_id: string }>(
            `SELECT id, stripe_charge_id FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`,
            [id],
          )
        )[0],
      15000,
      'payment recorded',
    );
    return { checkoutId: id as string, entryId: entry.id, chargeId: entry.stripe_charge_id };
  };
  const subscribe = async (email: string, body: Record<string, unknown>) => {
    const { id } = (
      await t.http
        .post('/api/subscriptions')
        .send({ email, name: 'Sam Subscriber', ...body })
        .expect(201)
    ).body;
    await pay(id);
    await t.settled();
    return id as string;
  };
  const emailsTo = (to: string, kind?: string) =>
    t.query<{ kind: string; subject: string; body: string; html: string | null }>(
      `SELECT kind, subject, body, html FROM emails WHERE to_address = $1 ${kind ? 'AND kind = $2' : ''} ORDER BY created_at`,
      kind ? [to, kind] : [to],
    );

  it('a reader gives $25.00 online: the receipt arrives with the next receipt number, what it was for, and the organisation’s name, ABN, address and tax statement', async () => {
    const before = await lastReceipt();
    const email = 'gina.giver@example.com';
    const { entryId } = await give(email, 2500);
    const [mail] = await inbox.awaitCount(email, 1, /^Receipt/);
    expect(mail.subject).toBe('Receipt for your donation of $25.00');
    const number = await receiptOf(entryId);
    expect(number).toBe(before + 1);
    expect(mail.text).toContain('Dear Gina Giver,\n\nThank you for your donation of $25.00 AUD by card.');
    expect(mail.text).toContain(`Receipt number: ${number}\n`);
    expect(mail.text).toMatch(/Date: \d{4}-\d{2}-\d{2}\nAmount: \$25\.00 AUD\nFor: One-off donation/);
    expect(mail.html).toMatch(new RegExp(`Receipt number</th><td>${number}</td>`));
    expectBranded(mail, { tax: true });
    const [row] = await t.query(`SELECT amount, currency, emailed_to, description FROM receipts WHERE number = $1`, [
      number,
    ]);
    expect(row).toMatchObject({ amount: '2500', currency: 'AUD', emailed_to: email });
    // The account part downloads it again.
    const again = await t.app.get(ReceiptsService).render(number);
    expect(again!.text).toContain(`Receipt number: ${number}\n`);
    expect(again!.html).toContain('The Harbour Herald');
  });

  it('a print subscription with an address: the receipt arrives, the subscriber is on the mailing list, and the welcome naming the address arrives with the first print run', async () => {
    const email = 'pia.print@example.com';
    const checkoutId = await subscribe(email, { tier: 'print', billing: 'monthly', deliveryAddress: ADDRESS });
    const [receipt] = await inbox.awaitCount(email, 1, /^Receipt/);
    expect(receipt.subject).toBe('Receipt for your Print edition subscription ($10.00)');
    expect(receipt.text).toContain('For: Print edition subscription, one month');
    expectBranded(receipt, { tax: true });
    expect(await emailsTo(email, 'welcome')).toEqual([]);
    const mailing = (await t.http.get('/api/reports/print-mailing-list').set('authorization', finance).expect(200))
      .body;
    expect(JSON.stringify(mailing)).toContain('12 Smith St');
    expect(JSON.stringify(mailing)).toContain('Sam Subscriber');

    // The first issue goes out: then the welcome, naming its date and the address.
    const run = (
      await t.http.post('/api/print-runs').set('authorization', finance).send({ issueDate: '2026-12-05' }).expect(200)
    ).body;
    expect(run.created).toBe(true);
    const [welcome] = await inbox.awaitCount(email, 1, /^Welcome/);
    expect(welcome.subject).toBe('Welcome to The Harbour Herald: your Print edition');
    expect(welcome.text).toContain(
      'Your first issue, dated 5 December 2026, is on its way to:\n12 Smith St, Hobart TAS 7000\n',
    );
    expect(welcome.html).toContain('12 Smith St, Hobart TAS 7000');
    expect(welcome.html).toContain('5 December 2026');
    expectBranded(welcome);

    // Every event delivered again: nothing is written twice.
    const before = await emailsTo(email);
    const events = await simControl<Array<{ id: string; type: string }>>(t.sim, 'GET', '/_simulator/events');
    const ours = events.filter((e) => JSON.stringify(e).includes(checkoutId));
    expect(ours.length).toBeGreaterThan(0);
    for (const e of ours) await simControl(t.sim, 'POST', `/_simulator/events/${e.id}/resend`);
    await t.settled();
    await t.app.get(ReceiptIssuer).drain();
    expect(await emailsTo(email)).toEqual(before);
    expect(before.map((m) => m.kind).sort()).toEqual(['receipt', 'welcome']);
  });

  it('a reader who turned non-essential email off gets the receipt but no welcome', async () => {
    const email = 'quiet.reader@example.com';
    await give(email, 500);
    await inbox.awaitCount(email, 1, /^Receipt/);
    await t.query(`UPDATE supporters SET email_updates = false WHERE lower(email) = $1`, [email]);
    await subscribe(email, { tier: 'digital', billing: 'monthly' });
    await inbox.awaitCount(email, 2, /^Receipt/);
    await t.settled();
    expect((await emailsTo(email)).map((m) => m.kind)).toEqual(['receipt', 'receipt']);
  });

  it('the simulator fails a renewal: the notice arrives once with a link to update the card, which leads to the portal, where updating the card pays the renewal (and its receipt arrives)', async () => {
    const email = 'fay.failed@example.com';
    const checkoutId = await subscribe(email, { tier: 'digital', billing: 'monthly' });
    await inbox.awaitCount(email, 1, /^Receipt/);
    const [sub] = await t.query<{ stripe_subscription_id: string; stripe_customer_id: string }>(
      `SELECT stripe_subscription_id, stripe_customer_id FROM subscriptions WHERE checkout_id = $1`,
      [checkoutId],
    );
    await simControl(t.sim, 'POST', `/_simulator/customers/${sub.stripe_customer_id}/card`, { fail: true });
    await simControl(t.sim, 'POST', `/_simulator/subscriptions/${sub.stripe_subscription_id}/renew`);
    const [notice] = await inbox.awaitCount(email, 1, /did not go through/);
    expect(notice.subject).toBe('Your payment for Digital edition subscription did not go through');
    expect(notice.text).toContain('We could not take your payment of $5.00 AUD for your Digital edition subscription.');
    expect(notice.text).toMatch(
      /Your access continues until \d{4}-\d{2}-\d{2}; if the payment still fails by then, it stops\./,
    );
    expectBranded(notice);
    const [link] = linksIn(notice).filter((l) => l.includes('/api/self-service/portal?token='));
    expect(link.startsWith(t.baseUrl)).toBe(true);
    expect(notice.html).toContain(link.replace(/&/g, '&amp;'));

    // Two days before the grace ends, still unpaid: a reminder (once, whatever runs the job).
    await t.settled();
    const [{ status }] = await t.query<{ status: string }>(`SELECT status FROM subscriptions WHERE checkout_id = $1`, [
      checkoutId,
    ]);
    expect(status).toBe('past_due');
    await t.query(
      `UPDATE subscriptions SET past_due_since = now() - make_interval(days => $2) + interval '1 day' WHERE checkout_id = $1`,
      [checkoutId, t.config.PAST_DUE_GRACE_DAYS],
    );
    const reminders = t.app.get(RenewalRemindersService);
    await Promise.all([reminders.run(), reminders.run()]);
    await reminders.run();
    const [ending] = await inbox.awaitCount(email, 1, /unless your card is updated$/);
    expect(ending.subject).toMatch(
      /^Your Digital edition subscription stops on \d{4}-\d{2}-\d{2} unless your card is updated$/,
    );
    expect(linksIn(ending).some((l) => l.startsWith(`${t.baseUrl}/api/self-service/portal?token=`))).toBe(true);
    expectBranded(ending);
    expect((await emailsTo(email, 'access_ending')).length).toBe(1);

    // The reader follows the notice's link in a browser: Stripe's portal (the simulator's), where
    // Update card pays the open invoice.
    const browser = await launchBrowser();
    try {
      const page = await (await browser.newContext({ viewport: { width: 375, height: 812 } })).newPage();
      await page.goto(link);
      await page.getByRole('button', { name: 'Continue to your billing portal' }).click();
      await page.getByText('Your last payment failed').waitFor();
      await page.getByRole('button', { name: 'Update card' }).click();
      await page.waitForLoadState();
      await page.screenshot({ path: join(SCREENSHOTS, 'reader-portal-card-updated.png'), fullPage: true });
    } finally {
      await browser.close();
    }
    await inbox.awaitCount(email, 2, /^Receipt/);
    await t.settled();
    expect((await emailsTo(email, 'payment_failed')).length).toBe(1);
  });

  it('a cancellation is confirmed once; a refund is noticed with the receipt number; a lost dispute corrects the receipt', async () => {
    const email = 'cal.cancel@example.com';
    const checkoutId = await subscribe(email, { tier: 'digital', billing: 'monthly' });
    await inbox.awaitCount(email, 1, /^Receipt/);
    const [sub] = await t.query<{ stripe_subscription_id: string }>(
      `SELECT stripe_subscription_id FROM subscriptions WHERE checkout_id = $1`,
      [checkoutId],
    );
    await t.stripe.subscriptions.cancel(sub.stripe_subscription_id);
    const [cancelled] = await inbox.awaitCount(email, 1, /is cancelled$/);
    expect(cancelled.subject).toBe('Your Digital edition subscription is cancelled');
    expectBranded(cancelled);
    await t.settled();
    expect((await emailsTo(email, 'cancellation')).length).toBe(1);

    // Cancelled from the portal at the period's end: access kept until then, said once.
    const later = 'lou.later@example.com';
    const laterCheckout = await subscribe(later, { tier: 'print', billing: 'monthly', deliveryAddress: ADDRESS });
    await inbox.awaitCount(later, 1, /^Receipt/);
    const [laterSub] = await t.query<{ stripe_subscription_id: string }>(
      `SELECT stripe_subscription_id FROM subscriptions WHERE checkout_id = $1`,
      [laterCheckout],
    );
    await t.stripe.subscriptions.update(laterSub.stripe_subscription_id, { cancel_at_period_end: true });
    const [atEnd] = await inbox.awaitCount(later, 1, /is cancelled$/);
    expect(atEnd.text).toMatch(
      /Your Print edition subscription is cancelled: you keep your access until \d{4}-\d{2}-\d{2}, and you will not be charged again\./,
    );
    await t.stripe.subscriptions.cancel(laterSub.stripe_subscription_id);
    await t.settled();
    expect((await emailsTo(later, 'cancellation')).length).toBe(1);

    const refunded = 'rita.refund@example.com';
    const gift = await give(refunded, 4000);
    const number = await receiptOf(gift.entryId);
    await simControl(t.sim, 'POST', `/_simulator/charges/${gift.chargeId}/refund`, { amount: 1500 });
    const [refund] = await inbox.awaitCount(refunded, 1, /^Your refund/);
    expect(refund.subject).toBe('Your refund of $15.00');
    expect(refund.text).toContain(`We have refunded $15.00 AUD of your donation of $40.00 AUD`);
    expect(refund.text).toContain(`(receipt number ${number})`);
    expect(refund.text).toContain('What you gave now stands at $25.00 AUD.');
    expectBranded(refund, { tax: true });

    const disputed = 'dora.dispute@example.com';
    const lost = await give(disputed, 3000);
    const lostNumber = await receiptOf(lost.entryId);
    const dispute = await simControl<{ id: string }>(t.sim, 'POST', `/_simulator/charges/${lost.chargeId}/dispute`);
    await t.settled();
    await simControl(t.sim, 'POST', `/_simulator/disputes/${dispute.id}/close`, { status: 'lost' });
    const [correction] = await inbox.awaitCount(disputed, 1, /^Correction/);
    expect(correction.subject).toBe(`Correction: receipt ${lostNumber} for $30.00 is cancelled`);
    expect(correction.text).toContain(`Cancelled receipt number: ${lostNumber}\n`);
    expectBranded(correction, { tax: true });
  });

  it('receipt numbers have no gaps: across online and phone payments at once, and when a payment’s transaction rolls back', async () => {
    const first = (await lastReceipt()) + 1;
    // A phone payment whose transaction fails after its receipt was numbered: the number is given back.
    const ds = t.app.get(DataSource);
    const ledger = t.app.get(LedgerService);
    const receipts = t.app.get(ReceiptsService);
    await expect(
      ds.transaction(async (m) => {
        const { entry } = await ledger.record(
          {
            idempotencyKey: 'emails-e2e-rollback',
            kind: 'payment',
            type: 'donation',
            channel: 'phone',
            method: 'cash',
            gross: 700,
            fee: 0,
            currency: 'AUD',
            occurredAt: new Date(),
          },
          m,
        );
        expect((await receipts.issueNow(m, entry!.id))!.number).toBe(first);
        throw new Error('the request failed after the receipt was numbered');
      }),
    ).rejects.toThrow('numbered');
    // An online payment's transaction that rolls back leaves nothing queued either.
    await expect(
      ds.transaction(async (m) => {
        await ledger.record(
          {
            idempotencyKey: 'emails-e2e-rollback-online',
            kind: 'payment',
            type: 'donation',
            channel: 'online',
            method: 'card',
            gross: 900,
            fee: 0,
            currency: 'AUD',
            occurredAt: new Date(),
          },
          m,
        );
        throw new Error('webhook transaction failed');
      }),
    ).rejects.toThrow('failed');

    // Six phone payments and three online ones, all at once.
    const online = Promise.all([1, 2, 3].map((i) => give(`many.online${i}@example.com`, 1000 + i)));
    const byPhone = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) => cash(i % 2 ? `many.phone${i}@example.com` : undefined, 2000 + i)),
    );
    const paid = await online;
    const entries = [...byPhone.map((r) => String(r.body.id)), ...paid.map((p) => p.entryId)];
    const numbers = await Promise.all(entries.map(receiptOf));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 9 }, (_, i) => first + i));
    expect(await lastReceipt()).toBe(first + 8);
    // The operator is told the phone payments' receipt numbers.
    expect(byPhone.map((r) => r.body.receiptNumber)).toEqual(numbers.slice(0, 6));
    // Emailed where there is an address (the three without one are numbered all the same).
    await inbox.awaitCount('many.phone1@example.com', 1, /^Receipt/);
    await inbox.awaitCount('many.online3@example.com', 1, /^Receipt/);
  });

  it('prepaid periods: reminded 30 and 7 days before they end, once per mark, with a renewal link; not with email updates off', async () => {
    const email = 'priya.prepaid@example.com';
    const checkoutId = await subscribe(email, { tier: 'digital', billing: 'prepaid' });
    const [welcome] = await inbox.awaitCount(email, 1, /^Welcome/);
    expect(welcome.text).toMatch(/Your access runs until \d{4}-\d{2}-\d{2}\./);
    const reminders = t.app.get(RenewalRemindersService);
    const endIn = (days: number) =>
      t.query(
        `UPDATE subscriptions SET current_period_end = now() + make_interval(days => $2) WHERE checkout_id = $1`,
        [checkoutId, days],
      );
    await endIn(20);
    await Promise.all([reminders.run(), reminders.run()]);
    await reminders.run();
    const [thirty] = await inbox.awaitCount(email, 1, /^Your Digital edition ends/);
    expect(thirty.text).toContain('(20 days from now)');
    const [renew] = linksIn(thirty).filter((l) => l.includes('/subscribe?'));
    expect(renew).toBe(`${t.baseUrl}/subscribe?tier=digital&billing=prepaid`);
    expectBranded(thirty);
    await endIn(5);
    await reminders.run();
    await reminders.run();
    const both = await inbox.awaitCount(email, 2, /^Your Digital edition ends/);
    expect(both[1].text).toContain('(5 days from now)');
    expect((await emailsTo(email, 'prepaid_ending')).length).toBe(2);

    const quiet = 'quiet.prepaid@example.com';
    const other = await subscribe(quiet, { tier: 'digital', billing: 'prepaid' });
    await t.query(`UPDATE supporters SET email_updates = false WHERE lower(email) = $1`, [quiet]);
    await t.query(`UPDATE subscriptions SET current_period_end = now() + interval '3 days' WHERE checkout_id = $1`, [
      other,
    ]);
    await reminders.run();
    expect(await emailsTo(quiet, 'prepaid_ending')).toEqual([]);
  });
});
