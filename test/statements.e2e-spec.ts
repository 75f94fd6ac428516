import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localDate } from '@app/common';
import { financialYear, financialYearOf, StatementsService } from '@app/statements';
import { uniq } from './support/factory';
import { paidDonation } from './support/payments';
import { SmtpInbox } from './support/smtp-inbox';
import { signedIn } from './support/staff';
import { startTestApp, type TestContext, waitFor } from './support/test-app';

/** The text of a PDF, as poppler's pdftotext reads it (columns kept). */
function pdfText(pdf: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'statement-')), 'statement.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** supertest's parser for a binary answer: the bytes as they came. */
const asBuffer = (res: unknown, cb: (err: Error | null, body: Buffer) => void): void => {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

const ORG = {
  ORG_NAME: 'Bay Chronicle',
  ORG_ABN: '51 824 753 556',
  ORG_POSTAL_ADDRESS: 'PO Box 12, Bayside NSW 2000',
  ORG_GIFTS_TAX_DEDUCTIBLE: 'true',
};
const ZONE = 'Australia/Sydney';

describe('annual giving statements (Australian financial year, PDF)', () => {
  let t: TestContext;
  let inbox: SmtpInbox;
  let finance: string;
  /** The financial year now (so far), and the last one that has ended. */
  const current = financialYearOf(localDate(new Date(), ZONE));
  const ended = current - 1;

  beforeAll(async () => {
    inbox = new SmtpInbox();
    await inbox.start();
    t = await startTestApp({ ...ORG, REPORT_TIME_ZONE: ZONE, SMTP_URL: inbox.smtpUrl, EMAIL_POLL_INTERVAL_MS: '200' });
    finance = await signedIn(t, 'finance');
  });
  afterAll(async () => {
    await t?.close();
    await inbox?.stop();
  });

  /** A ledger row written straight to the table at a chosen instant (a fixture: the ledger's writers are tested elsewhere). */
  async function entry(
    supporterId: string,
    gross: number,
    occurredAt: string,
    o: { kind?: string; type?: string; channel?: string; method?: string; reverses?: string } = {},
  ): Promise<string> {
    const [row] = await t.query<{ id: string }>(
      `INSERT INTO ledger_entries (idempotency_key, kind, type, channel, method, gross, fee, net, currency, supporter_id, reverses_entry_id, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, 0, $6, 'AUD', $7, $8, $9) RETURNING id`,
      [
        `fixture:${uniq()}`,
        o.kind ?? 'payment',
        o.type ?? 'donation',
        o.channel ?? 'online',
        o.method ?? 'card',
        gross,
        supporterId,
        o.reverses ?? null,
        occurredAt,
      ],
    );
    return String(row.id);
  }

  async function download(supporterId: string, year: number, auth = finance): Promise<string> {
    const res = await t.http
      .get(`/api/statements/${supporterId}/${year}.pdf`)
      .set('authorization', auth)
      .buffer(true)
      .parse(asBuffer)
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toContain(
      `giving-statement-${financialYear(year).label.replace('–', '-')}.pdf`,
    );
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    return pdfText(pdf);
  }

  it("lists a reader's online and phone payments of the year and a refund as a negative, with the total, and nothing of others or of other years", async () => {
    const email = `statement.${uniq()}@example.com`;
    // Online: paid on the simulator's checkout, recorded through the webhook.
    const online = await paidDonation(t, 2513, { email });
    const [{ supporter_id: readerId }] = await t.query<{ supporter_id: string }>(
      `SELECT supporter_id FROM ledger_entries WHERE id = $1`,
      [online.paymentId],
    );
    // By phone, the same reader (found by email).
    const phone = await t.http
      .post('/api/phone-donations')
      .set('authorization', await signedIn(t, 'phone'))
      .set('idempotency-key', `statement-${uniq()}`)
      .send({ supporter: { name: 'Sam Statement', email }, amount: 4071, method: 'cheque' })
      .expect(201);
    expect(phone.body.supporterId).toBe(readerId);
    // A refund of part of the online payment, through Stripe and back by webhook.
    await t.http
      .post(`/api/ledger-entries/${online.paymentId}/refund`)
      .set('authorization', finance)
      .set('idempotency-key', `statement-refund-${uniq()}`)
      .send({ amount: 500, reason: 'requested_by_customer' })
      .expect(202);
    await waitFor(
      async () =>
        (
          await t.query(`SELECT 1 FROM ledger_entries WHERE kind = 'refund' AND reverses_entry_id = $1`, [
            online.paymentId,
          ])
        ).length,
      15000,
      'the refund in the ledger',
    );
    // Another reader's payment this year, and this reader's payment two years ago: not on it.
    const other = await newSupporterRow('Other Reader');
    await entry(other.id, 9917, new Date().toISOString());
    await entry(readerId, 8833, `${current - 2}-01-15T00:00:00Z`);

    const text = await download(readerId, current);
    expect(text).toContain('Bay Chronicle');
    expect(text).toContain('ABN 51 824 753 556');
    expect(text).toContain('PO Box 12, Bayside NSW 2000');
    expect(text).toContain('is a deductible gift recipient');
    expect(text).toContain('Sam Statement');
    expect(text).toContain(`Giving statement ${financialYear(current).label}`);
    expect(text).toMatch(/Donation\s+\$25\.13/);
    expect(text).toMatch(/Donation \(by phone, cheque\)\s+\$40\.71/);
    expect(text).toMatch(/Refund of a donation\s+-\$5\.00/);
    // 25.13 + 40.71 − 5.00
    expect(text).toMatch(/Total\s+\$60\.84/);
    expect(text).not.toContain('99.17');
    expect(text).not.toContain('88.33');
    // The years that have a statement, newest first.
    expect(await t.app.get(StatementsService).years(readerId)).toEqual([current, current - 2]);
    // That year two years ago has its own statement with that payment alone.
    const earlier = await download(readerId, current - 2);
    expect(earlier).toMatch(/Total\s+\$88\.33/);
    expect(earlier).not.toContain('25.13');
  });

  it('follows merged records (the statement of a merged record is the survivor’s) and the year’s edges in REPORT_TIME_ZONE', async () => {
    const survivor = await newSupporterRow('Mia Merged');
    const duplicate = await newSupporterRow('M. Merged');
    await t.query(`UPDATE supporters SET merged_into = $1 WHERE id = $2`, [survivor.id, duplicate.id]);
    const fy = financialYear(ended);
    // 1 July 00:30 in Sydney (AEST, UTC+10) is 30 June 14:30 UTC: in the year.
    await entry(survivor.id, 1111, `${ended - 1}-06-30T14:30:00Z`);
    // Paid under the merged record.
    await entry(duplicate.id, 2222, `${ended}-01-10T02:00:00Z`, { channel: 'phone', method: 'cash' });
    // 30 June 23:59 in Sydney is in the year; 1 July 00:30 in Sydney is the next one.
    await entry(survivor.id, 3333, `${ended}-06-30T13:59:00Z`);
    await entry(survivor.id, 4444, `${ended}-06-30T14:30:00Z`);
    // 1 July 00:30 in Sydney of the year after: in the next one.
    expect(await t.app.get(StatementsService).years(duplicate.id)).toEqual([ended + 1, ended]);
    const text = await download(duplicate.id, ended);
    expect(text).toContain('Mia Merged');
    expect(text).toContain(`1 July ${ended - 1} to 30 June ${ended}`);
    expect(text).toMatch(/01\/07\/\d{4}\s+Donation\s+\$11\.11/);
    expect(text).toMatch(/Donation \(by phone, cash\)\s+\$22\.22/);
    expect(text).toMatch(/30\/06\/\d{4}\s+Donation\s+\$33\.33/);
    expect(text).not.toContain('44.44');
    expect(text).toMatch(/Total\s+\$66\.66/);
    expect(fy.from).toBe(`${ended - 1}-07-01`);
  });

  it('a year not begun, or not a year, is refused naming year; an unknown supporter is 404', async () => {
    const someone = await newSupporterRow('Someone');
    const future = await t.http
      .get(`/api/statements/${someone.id}/${current + 1}.pdf`)
      .set('authorization', finance)
      .expect(400);
    expect(future.body).toMatchObject({ code: 'STATEMENT_YEAR_INVALID', field: 'year' });
    await t.http.get(`/api/statements/${someone.id}/26.pdf`).set('authorization', finance).expect(400);
    const missing = await t.http
      .get(`/api/statements/00000000-0000-4000-8000-000000000000/${current}.pdf`)
      .set('authorization', finance)
      .expect(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('bulk after 30 June: every giver of the year gets it once, PDF attached; opted-out and address-less readers are skipped; audited', async () => {
    const when = `${ended}-03-01T01:00:00Z`;
    const a = await newSupporterRow('Ada Bulk', `ada.${uniq()}@example.com`);
    const b = await newSupporterRow('Ben OptedOut', `ben.${uniq()}@example.com`);
    await t.query(`UPDATE supporters SET email_updates = false WHERE id = $1`, [b.id]);
    const c = await newSupporterRow('Cy NoEmail', null);
    const paid = await entry(a.id, 5000, when);
    await entry(a.id, 1234, when, { channel: 'phone', method: 'cash' });
    await entry(a.id, -5000, `${ended}-03-02T01:00:00Z`, { kind: 'reversal', reverses: paid });
    await entry(b.id, 700, when);
    await entry(c.id, 800, when);

    const early = await t.http
      .post('/api/statements/bulk')
      .set('authorization', finance)
      .send({ year: current })
      .expect(422);
    expect(early.body).toMatchObject({ code: 'STATEMENT_YEAR_NOT_ENDED', field: 'year' });
    const bad = await t.http
      .post('/api/statements/bulk')
      .set('authorization', finance)
      .send({ year: '2026' })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('year');

    const first = await t.http
      .post('/api/statements/bulk')
      .set('authorization', finance)
      .send({ year: ended })
      .expect(200);
    // The earlier tests' givers of that year are in it too (the merged pair counts once).
    const givers = await t.query<{ n: number }>(
      `SELECT count(DISTINCT COALESCE(s.merged_into, s.id))::int AS n FROM ledger_entries l JOIN supporters s ON s.id = l.supporter_id
        WHERE l.kind = 'payment' AND l.occurred_at >= ($1::date)::timestamp AT TIME ZONE $3 AND l.occurred_at < ($2::date + 1)::timestamp AT TIME ZONE $3`,
      [financialYear(ended).from, financialYear(ended).to, ZONE],
    );
    expect(first.body).toEqual({
      year: ended,
      givers: givers[0].n,
      queued: givers[0].n - 2,
      alreadySent: 0,
      skippedNoEmail: 1,
      skippedOptedOut: 1,
    });

    const [mail] = await inbox.awaitCount(a.email!, 1, /giving statement/);
    expect(mail.subject).toBe(`Your giving statement for ${financialYear(ended).label} from Bay Chronicle`);
    expect(mail.text).toContain('Total: $12.34');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0].contentType).toBe('application/pdf');
    expect(mail.attachments[0].filename).toBe(`giving-statement-${financialYear(ended).label.replace('–', '-')}.pdf`);
    const text = pdfText(mail.attachments[0].content);
    expect(text).toContain('Ada Bulk');
    expect(text).toContain('ABN 51 824 753 556');
    expect(text).toMatch(/Correction: a donation reversed\s+-\$50\.00/);
    expect(text).toMatch(/Total\s+\$12\.34/);

    // Again: nobody is sent it twice.
    const again = await t.http
      .post('/api/statements/bulk')
      .set('authorization', finance)
      .send({ year: ended })
      .expect(200);
    expect(again.body).toMatchObject({
      queued: 0,
      alreadySent: givers[0].n - 2,
      skippedNoEmail: 1,
      skippedOptedOut: 1,
    });
    const written = await t.query<{ to_address: string }>(
      `SELECT to_address FROM emails WHERE kind = 'giving_statement' AND to_address = $1`,
      [a.email],
    );
    expect(written).toHaveLength(1);
    const audit = await t.query<{ after: { queued: number } }>(
      `SELECT after FROM audit_log WHERE action = 'statements.bulk_send' AND entity_id = $1 ORDER BY id`,
      [String(ended)],
    );
    expect(audit.map((r) => r.after.queued)).toEqual([givers[0].n - 2, 0]);
  });

  it("on the reader's request it is sent whatever their email preferences, and a bulk send after does not repeat it", async () => {
    const d = await newSupporterRow('Dee Asks', `dee.${uniq()}@example.com`);
    await t.query(`UPDATE supporters SET email_updates = false WHERE id = $1`, [d.id]);
    await entry(d.id, 4321, `${ended}-05-05T01:00:00Z`);
    await t.app.get(StatementsService).sendOne(d.id, ended);
    const [mail] = await inbox.awaitCount(d.email!, 1, /giving statement/);
    expect(pdfText(mail.attachments[0].content)).toMatch(/Total\s+\$43\.21/);
    const [{ n }] = await t.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM giving_statements_sent WHERE supporter_id = $1 AND year = $2`,
      [d.id, ended],
    );
    expect(n).toBe(1);
    const bulk = await t.http
      .post('/api/statements/bulk')
      .set('authorization', finance)
      .send({ year: ended })
      .expect(200);
    expect(bulk.body.queued).toBe(0);
  });

  it('erasing a reader deletes the statements (the PDFs) sent to them', async () => {
    const e = await newSupporterRow('Eve Erased', `eve.${uniq()}@example.com`);
    await entry(e.id, 999, `${ended}-05-05T01:00:00Z`);
    await t.app.get(StatementsService).sendOne(e.id, ended);
    const [{ id: emailId }] = await t.query<{ id: string }>(`SELECT id FROM emails WHERE to_address = $1`, [e.email]);
    expect(await t.query(`SELECT id FROM email_attachments WHERE email_id = $1`, [emailId])).toHaveLength(1);
    await t.http
      .post(`/api/supporters/${e.id}/erasure`)
      .set('authorization', await signedIn(t, 'admin'))
      .send({ reason: 'asked to be forgotten' })
      .expect(200);
    expect(await t.query(`SELECT id FROM email_attachments WHERE email_id = $1`, [emailId])).toEqual([]);
  });

  async function newSupporterRow(name: string, email: string | null = `r.${uniq()}@example.com`) {
    const [row] = await t.query<{ id: string; email: string | null }>(
      `INSERT INTO supporters (name, email) VALUES ($1, $2) RETURNING id, email`,
      [name, email],
    );
    return row;
  }
});
