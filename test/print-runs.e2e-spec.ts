import { Clock } from '@app/common';
import { parseCsv } from './support/csv';
import { SmtpInbox } from './support/smtp-inbox';
import { signedIn } from './support/staff';
import { simControl, startTestApp, type TestContext } from './support/test-app';

const PIA = { line1: '12 Smith St', city: 'Hobart', state: 'TAS', postalCode: '7000', country: 'AU' };
const OLLIE = {
  line1: '3 Wharf Rd',
  line2: 'Unit 4',
  city: 'Launceston',
  state: 'TAS',
  postalCode: '7250',
  country: 'AU',
};
const QUINN = { line1: '9 Quiet Lane', city: 'Hobart', state: 'TAS', postalCode: '7004', country: 'AU' };
const LATE = { line1: '77 Late St', city: 'Devonport', state: 'TAS', postalCode: '7310', country: 'AU' };

/**
 * Issue 16: a print subscriber's welcome goes out "when the first issue goes out". Finance records
 * each print run (an issue date and the mailing list as it is then); a subscription in a run for
 * the first time is welcomed, once, naming the issue's date and the address it is posted to.
 */
describe('print runs: the print welcome goes with the first issue', () => {
  const inbox = new SmtpInbox();
  let t: TestContext;
  let finance: string;
  let phone: string;

  beforeAll(async () => {
    await inbox.start();
    t = await startTestApp({ SMTP_URL: inbox.smtpUrl, EMAIL_POLL_INTERVAL_MS: '500' });
    finance = await signedIn(t, 'finance');
    phone = await signedIn(t, 'phone');
  });
  afterAll(async () => {
    await t?.close();
    await inbox.stop();
  });

  const subscribe = async (email: string, body: Record<string, unknown>) => {
    const { id } = (
      await t.http
        .post('/api/subscriptions')
        .send({ email, name: 'Sam Subscriber', ...body })
        .expect(201)
    ).body;
    const [{ s }] = await t.query<{ s: string }>(`SELECT stripe_session_id AS s FROM checkouts WHERE id = $1`, [id]);
    await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${s}/complete`);
    await t.settled();
    return id as string;
  };
  const emailsTo = (to: string, kind?: string) =>
    t.query<{ kind: string; subject: string; body: string; dedupe_key: string }>(
      `SELECT kind, subject, body, dedupe_key FROM emails WHERE to_address = $1 ${kind ? 'AND kind = $2' : ''} ORDER BY created_at`,
      kind ? [to, kind] : [to],
    );
  const emailCount = async () => Number((await t.query<{ n: string }>(`SELECT count(*) AS n FROM emails`))[0].n);
  const run = (issueDate: unknown, auth = finance) =>
    t.http.post('/api/print-runs').set('authorization', auth).send({ issueDate, reference: 'Issue' });

  it('records runs, welcomes each print subscription at its first run only, and gives the mailing house the run’s list', async () => {
    // A paid print subscription: its receipt, but no welcome yet. A digital one is welcomed at once.
    await subscribe('pia.print@example.com', { tier: 'print', billing: 'monthly', deliveryAddress: PIA });
    await inbox.awaitCount('pia.print@example.com', 1, /^Receipt/);
    await subscribe('dan.digital@example.com', { tier: 'digital', billing: 'monthly' });
    const [digitalWelcome] = await inbox.awaitCount('dan.digital@example.com', 1, /^Welcome/);
    expect(digitalWelcome.text).not.toContain('first issue');
    // Email updates off: no welcome, whenever.
    await subscribe('quinn.quiet@example.com', { tier: 'print', billing: 'monthly', deliveryAddress: QUINN });
    await t.query(`UPDATE supporters SET email_updates = false WHERE lower(email) = 'quinn.quiet@example.com'`);
    // Paid by cheque, with an email.
    await t.http
      .post('/api/offline-subscriptions')
      .set('authorization', phone)
      .set('idempotency-key', 'print-runs-ollie')
      .send({
        supporter: { name: 'Ollie Offline', email: 'ollie.offline@example.com' },
        tier: 'print',
        method: 'cheque',
        deliveryAddress: OLLIE,
        amount: 12000,
      })
      .expect(201);
    await t.settled();
    expect(await emailsTo('pia.print@example.com', 'welcome')).toEqual([]);
    expect(await emailsTo('ollie.offline@example.com', 'welcome')).toEqual([]);

    // Bad dates: 400 naming issueDate, nothing recorded.
    for (const bad of ['2026-02-30', '5/12/2026', '', 20261205, null]) {
      const res = await run(bad).expect(400);
      expect(res.body).toMatchObject({ field: 'issueDate' });
    }
    expect(await t.query(`SELECT * FROM print_runs`)).toEqual([]);

    // The first run: three recipients, all first issues, two welcomes (not the quiet one).
    const first = (await run('2026-12-05').expect(200)).body;
    expect(first).toMatchObject({
      issueDate: '2026-12-05',
      recipients: 3,
      firstIssues: 3,
      welcomesQueued: 2,
      created: true,
    });
    const [pia] = await inbox.awaitCount('pia.print@example.com', 1, /^Welcome/);
    expect(pia.text).toContain(
      'Your first issue, dated 5 December 2026, is on its way to:\n12 Smith St, Hobart TAS 7000\n',
    );
    expect(pia.html).toContain('5 December 2026');
    const [ollie] = await inbox.awaitCount('ollie.offline@example.com', 1, /^Welcome/);
    expect(ollie.text).toContain(
      'Your first issue, dated 5 December 2026, is on its way to:\n3 Wharf Rd, Unit 4, Launceston TAS 7250\n',
    );
    expect((await emailsTo('pia.print@example.com', 'welcome')).map((e) => e.dedupe_key)).toEqual([
      expect.stringMatching(/^welcome:first-issue:[0-9a-f-]{36}$/),
    ]);
    expect(await emailsTo('quinn.quiet@example.com', 'welcome')).toEqual([]);
    const [audit] = await t.query<{ action: string; entity_id: string }>(
      `SELECT action, entity_id FROM audit_log WHERE action = 'print_run.create'`,
    );
    expect(audit.entity_id).toBe(first.id);

    // The mailing house's list for the run: the mailing list's columns, with the addresses.
    const csv = await t.http
      .get(`/api/print-runs/${first.id}/recipients.csv`)
      .set('authorization', finance)
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, ...rows] = parseCsv(csv.text);
    const mailingHeader = parseCsv(
      (await t.http.get('/api/reports/print-mailing-list.csv').set('authorization', finance).expect(200)).text,
    )[0];
    expect(header).toEqual(mailingHeader);
    const lines = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(lines.map((l) => l.line1).sort()).toEqual(['12 Smith St', '3 Wharf Rd', '9 Quiet Lane']);
    expect(lines.find((l) => l.line1 === '3 Wharf Rd')).toMatchObject({
      line2: 'Unit 4',
      postal_code: '7250',
      origin: 'offline',
    });
    await t.http
      .get('/api/print-runs/00000000-0000-0000-0000-000000000000/recipients.csv')
      .set('authorization', finance)
      .expect(404);

    // The same date again: the run as it was, nothing added or sent.
    const emailsBefore = await emailCount();
    const again = (await run('2026-12-05').expect(200)).body;
    expect(again).toMatchObject({ id: first.id, recipients: 3, firstIssues: 3, welcomesQueued: 0, created: false });
    expect(await emailCount()).toBe(emailsBefore);
    expect(await t.query(`SELECT count(*)::int AS n FROM print_run_recipients`)).toEqual([{ n: 3 }]);

    // The next issue: the same three, none of them new, no welcome.
    const second = (await run('2026-12-12').expect(200)).body;
    expect(second).toMatchObject({ recipients: 3, firstIssues: 0, welcomesQueued: 0, created: true });
    expect(await emailCount()).toBe(emailsBefore);

    // A subscriber who joins after: welcomed with the next run, which names that issue's date.
    await subscribe('lee.late@example.com', { tier: 'print', billing: 'monthly', deliveryAddress: LATE });
    await inbox.awaitCount('lee.late@example.com', 1, /^Receipt/);
    const third = (await run('2026-12-19').expect(200)).body;
    expect(third).toMatchObject({ recipients: 4, firstIssues: 1, welcomesQueued: 1, created: true });
    const [lee] = await inbox.awaitCount('lee.late@example.com', 1, /^Welcome/);
    expect(lee.text).toContain(
      'Your first issue, dated 19 December 2026, is on its way to:\n77 Late St, Devonport TAS 7310\n',
    );
    expect((await emailsTo('pia.print@example.com', 'welcome')).length).toBe(1);

    // Listed newest issue first.
    const list = (await t.http.get('/api/print-runs').set('authorization', finance).expect(200)).body;
    expect(list.map((r: { issueDate: string; firstIssues: number }) => [r.issueDate, r.firstIssues])).toEqual([
      ['2026-12-19', 1],
      ['2026-12-12', 0],
      ['2026-12-05', 3],
    ]);
    await run('2026-12-26', phone).expect(403);

    // Pia asks to be erased: the runs keep her row (their counts stand) but not her name, email or address.
    const [{ id: piaId }] = await t.query<{ id: string }>(
      `SELECT id FROM supporters WHERE lower(email) = 'pia.print@example.com'`,
    );
    const exported = (await t.http.get(`/api/supporters/${piaId}/export`).set('authorization', finance).expect(200))
      .body;
    expect(
      exported.printIssues.map((i: { issueDate: string; address: { line1: string } }) => [
        i.issueDate,
        i.address.line1,
      ]),
    ).toEqual([
      ['2026-12-05', '12 Smith St'],
      ['2026-12-12', '12 Smith St'],
      ['2026-12-19', '12 Smith St'],
    ]);
    await t.http
      .post(`/api/supporters/${piaId}/erasure`)
      .set('authorization', await signedIn(t, 'admin'))
      .send({ reason: 'asked by email' })
      .expect(200);
    const piaRows = await t.query<{ name: string | null; email: string | null; address: object | null }>(
      `SELECT name, email, address FROM print_run_recipients WHERE supporter_id = $1`,
      [piaId],
    );
    expect(piaRows).toEqual([
      { name: null, email: null, address: null },
      { name: null, email: null, address: null },
      { name: null, email: null, address: null },
    ]);
    const firstCsv = (
      await t.http.get(`/api/print-runs/${first.id}/recipients.csv`).set('authorization', finance).expect(200)
    ).text;
    expect(firstCsv).not.toContain('12 Smith St');
    expect(firstCsv).toContain('3 Wharf Rd');
    expect((await t.http.get('/api/print-runs').set('authorization', finance).expect(200)).body[2]).toMatchObject({
      issueDate: '2026-12-05',
      recipients: 3,
      firstIssues: 3,
    });
  });
  it('a prepaid print reader who renews (a new subscription row) is not welcomed again when the renewal’s first issue goes out', async () => {
    const email = 'rae.renews@example.com';
    const ADDRESS = { line1: '5 Renewal Rd', city: 'Hobart', state: 'TAS', postalCode: '7005', country: 'AU' };
    await subscribe(email, { tier: 'print', billing: 'prepaid', deliveryAddress: ADDRESS });
    await subscribe(email, { tier: 'print', billing: 'prepaid', deliveryAddress: ADDRESS });
    const subs = await t.query<{ id: string; current_period_start: Date; current_period_end: Date }>(
      `SELECT s.id, s.current_period_start, s.current_period_end FROM subscriptions s JOIN supporters p ON p.id = s.supporter_id
        WHERE lower(p.email) = $1 ORDER BY s.current_period_start`,
      [email],
    );
    expect(subs).toHaveLength(2);
    const run1 = (await run('2027-01-02').expect(200)).body;
    expect(run1.welcomesQueued).toBeGreaterThanOrEqual(1);
    await inbox.awaitCount(email, 1, /^Welcome/);
    // A day into the renewal's year: only the renewal is on the list, for the first time, but the reader is not new.
    const later = new Date(new Date(subs[1].current_period_start).getTime() + 86_400_000);
    jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(later));
    try {
      const list = (await t.http.get('/api/print-runs').set('authorization', finance).expect(200)).body;
      expect(list.length).toBeGreaterThan(0);
      const run2 = (await run('2028-01-08').expect(200)).body;
      const [row] = await t.query<{ subscription_id: string }>(
        `SELECT subscription_id FROM print_run_recipients WHERE run_id = $1 AND subscription_id = ANY($2::uuid[])`,
        [run2.id, subs.map((x) => x.id)],
      );
      expect(row.subscription_id).toBe(subs[1].id);
      expect(run2).toMatchObject({ firstIssues: 0, welcomesQueued: 0 });
    } finally {
      jest.restoreAllMocks();
    }
    await t.settled();
    expect((await emailsTo(email, 'welcome')).length).toBe(1);
  });
});
