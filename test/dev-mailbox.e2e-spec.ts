import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { localDate } from '@app/common';
import { financialYearOf, StatementsService } from '@app/statements';
import { launchBrowser, seriousAxeViolations } from './support/browser';
import { uniq } from './support/factory';
import { signedIn } from './support/staff';
import { startTestApp, type TestContext } from './support/test-app';

const SHOTS = join(__dirname, '..', 'test-output', 'screenshots');

/**
 * The development mailbox (/dev/mailbox): the emails the service wrote, read in a browser.
 * The test app runs with a test key (as a deployment on Stripe's test mode would), where the
 * mailbox is off unless DEV_MAILBOX=true; with no key at all (`npm start`) it is on by default
 * (libs/config's spec), and with a live key it is never served.
 */
describe('development mailbox', () => {
  describe('on (DEV_MAILBOX=true, no SMTP_URL: emails are only recorded)', () => {
    let t: TestContext;
    let browser: Browser;
    beforeAll(async () => {
      t = await startTestApp({ DEV_MAILBOX: 'true', ORG_NAME: 'Bay Chronicle' });
      browser = await launchBrowser();
      mkdirSync(SHOTS, { recursive: true });
    });
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('lists the emails the service wrote, newest first, and shows one with its text, HTML and attachment', async () => {
      // A phone donation by a caller with an email: the service writes a receipt.
      const email = `caller.${uniq()}@example.com`;
      const donation = await t.http
        .post('/api/phone-donations')
        .set('authorization', await signedIn(t, 'phone'))
        .set('idempotency-key', `mailbox-${uniq()}`)
        .send({ supporter: { name: 'Cal Caller', email }, amount: 3456, method: 'cash' })
        .expect(201);
      // Then a giving statement, with its PDF attached.
      const year = financialYearOf(localDate(new Date(), t.config.REPORT_TIME_ZONE));
      await t.app.get(StatementsService).sendOne(donation.body.supporterId, year);
      const written = await t.query<{ id: string; subject: string; kind: string }>(
        `SELECT id, subject, kind FROM emails WHERE to_address = $1 ORDER BY created_at, id`,
        [email],
      );
      expect(written.map((e) => e.kind)).toEqual(['receipt', 'giving_statement']);
      const [receipt, statement] = written;
      // The outbox's HTML part (emails.html, which the email templates add): here put in by hand.
      await t.query(`UPDATE emails SET html = $2 WHERE id = $1`, [
        receipt.id,
        '<html><body><h1 id="hello">Thank you, Cal</h1><script>parent.document.title = "escaped"</script></body></html>',
      ]);

      const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: 'en-AU' });
      const page = await context.newPage();
      await page.goto(`${t.baseUrl}/dev/mailbox`);
      const rows = page.locator('ol.mailbox > li');
      // Newest first: the statement, then the receipt.
      await expect(rows.nth(0).textContent()).resolves.toContain(statement.subject);
      await expect(rows.nth(1).textContent()).resolves.toContain(receipt.subject);
      expect(await rows.nth(0).textContent()).toContain(email);
      expect(await rows.nth(0).textContent()).toContain('giving_statement');
      expect(await rows.nth(0).textContent()).toContain('1 attachment');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SHOTS, 'dev-mailbox-list-375.png'), fullPage: true });

      // The receipt: its text, and its HTML in a sandboxed frame (its script does not run).
      await page.getByRole('link', { name: receipt.subject }).click();
      await page.waitForURL(`${t.baseUrl}/dev/mailbox/${receipt.id}`);
      expect(await page.locator('pre.text').textContent()).toContain('$34.56');
      const frame = page.frameLocator('iframe.html');
      await expect(frame.locator('#hello').textContent()).resolves.toBe('Thank you, Cal');
      expect(await page.locator('iframe.html').getAttribute('sandbox')).toBe('');
      expect(await page.title()).not.toBe('escaped');
      expect(await seriousAxeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SHOTS, 'dev-mailbox-message-375.png'), fullPage: true });

      // The statement: its HTML from the template (the total), and its PDF downloads and is the statement.
      await page.goto(`${t.baseUrl}/dev/mailbox/${statement.id}`);
      await expect(page.frameLocator('iframe.html').locator('body').textContent()).resolves.toContain('$34.56');
      const href = await page.locator('a[download]').getAttribute('href');
      const pdf = await t.http
        .get(href!)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="giving-statement-/);
      const file = join(mkdtempSync(join(tmpdir(), 'mailbox-')), 'statement.pdf');
      writeFileSync(file, pdf.body as Buffer);
      expect(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })).toMatch(
        /Cal Caller[\s\S]*\$34\.56/,
      );
      await context.close();

      // The HTML route serves only to be framed by this site, sandboxed.
      const html = await t.http.get(`/dev/mailbox/${receipt.id}/html`).expect(200);
      expect(html.headers['content-security-policy']).toMatch(/^sandbox;.*frame-ancestors 'self'/);
      await t.http.get(`/dev/mailbox/${statement.id}/html`).expect(200);
      // An email without an HTML part (written before templates) says so, and has no HTML route.
      await t.query(`UPDATE emails SET html = NULL WHERE id = $1`, [statement.id]);
      expect((await t.http.get(`/dev/mailbox/${statement.id}`).expect(200)).text).toContain(
        'This email has no HTML version.',
      );
      await t.http.get(`/dev/mailbox/${statement.id}/html`).expect(404);
      await t.http.get('/dev/mailbox/not-an-id').expect(404);
      await t.http.get(`/dev/mailbox/${statement.id}/attachments/999999`).expect(404);
    });
  });

  describe('off with a test key and no DEV_MAILBOX', () => {
    let t: TestContext;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t?.close());

    it('answers 404', async () => {
      expect(t.config.devMailbox).toBe(false);
      await t.http.get('/dev/mailbox').expect(404);
    });
  });

  describe('never with a live key, even with DEV_MAILBOX=true', () => {
    let t: TestContext;
    beforeAll(async () => {
      t = await startTestApp({
        STRIPE_SECRET_KEY: 'sk_live_e2e',
        AUTH_TOKEN_SECRET: 's'.repeat(40),
        LINK_SIGNING_SECRET: 'l'.repeat(40),
        METRICS_TOKEN: 'scrape-token-for-the-e2e-suite',
        DEV_MAILBOX: 'true',
      });
    });
    afterAll(() => t?.close());

    it('answers 404 for the list, a message, its HTML and its attachments', async () => {
      expect(t.config.stripeLive).toBe(true);
      const [row] = await t.query<{ id: string }>(
        `INSERT INTO emails (to_address, subject, body, kind, transport, status) VALUES ('a@example.com', 'S', 'B', 'test', 'outbox', 'recorded') RETURNING id`,
      );
      for (const path of [
        '/dev/mailbox',
        `/dev/mailbox/${row.id}`,
        `/dev/mailbox/${row.id}/html`,
        `/dev/mailbox/${row.id}/attachments/1`,
      ]) {
        const res = await t.http.get(path);
        expect({ path, status: res.status }).toEqual({ path, status: 404 });
        expect(res.text).not.toContain('Development mailbox');
      }
    });
  });
});
