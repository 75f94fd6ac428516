import { Clock, localDate } from '@app/common';
import { parseCsv } from './support/csv';
import { signedIn } from './support/staff';
import { eventuallyEqual, ledgerRaised, startTestApp, type TestContext } from './support/test-app';

const DAY_MS = 86_400_000;

describe('corrections by the operator, and bank deposits of phone cash and cheques', () => {
  let t: TestContext;
  let phone: string;
  let otherPhone: string;
  let finance: string;
  let keys = 0;

  beforeAll(async () => {
    t = await startTestApp();
    [phone, otherPhone, finance] = [
      await signedIn(t, 'phone'),
      await signedIn(t, 'phone'),
      await signedIn(t, 'finance'),
    ];
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await t?.close();
  });

  // The ledger's sum, not the cached progress (which may still be catching up with the last test's void).
  const ledger = () => ledgerRaised(t);
  const today = () => localDate(new Date(), t.config.REPORT_TIME_ZONE);
  const raised = async () => (await t.http.get('/api/campaigns/current/progress').expect(200)).body.raised as number;
  /** A phone gift recorded by `operator` (cash unless said); answers the ledger entry id. */
  const gift = async (
    amount: number,
    opts: { method?: string; email?: string; reference?: string; operator?: string } = {},
  ): Promise<string> => {
    const res = await t.http
      .post('/api/phone-donations')
      .set('authorization', opts.operator ?? phone)
      .set('idempotency-key', `deposits-e2e-${++keys}`)
      .send({
        supporter: { name: 'Gwen Caller', ...(opts.email ? { email: opts.email } : {}) },
        amount,
        method: opts.method ?? 'cash',
        ...(opts.reference ? { reference: opts.reference } : {}),
      })
      .expect(201);
    return res.body.id as string;
  };
  const voidEntry = (id: string, auth = phone, reason = 'typed 500 for 50') =>
    t.http.post(`/api/ledger-entries/${id}/void`).set('authorization', auth).send({ reason });

  it('the operator voids their own cash entry the same day: a reversal row, audited, progress back, a correction email after the receipt', async () => {
    const before = await ledger();
    const id = await gift(50000, { email: 'gwen.void@example.com', reference: 'R-VOID-1' });
    await eventuallyEqual(raised, before + 50000);
    const [original] = await t.query(`SELECT * FROM ledger_entries WHERE id = $1`, [id]);

    // Not another operator's, and not finance's by this route (finance reverses).
    expect((await voidEntry(id, otherPhone).expect(403)).body).toMatchObject({
      code: 'VOID_NOT_OWN_ENTRY',
      field: 'id',
    });
    await voidEntry(id, finance).expect(403);
    expect((await voidEntry(id, phone, '').expect(400)).body.field).toBe('reason');

    const res = await voidEntry(id).expect(201);
    expect(res.body).toMatchObject({ reverses: id, gross: -50000, currency: 'AUD', correctionEmailed: true });
    await eventuallyEqual(raised, before);
    expect((await t.query(`SELECT * FROM ledger_entries WHERE id = $1`, [id]))[0]).toEqual(original);
    const [reversal] = await t.query(`SELECT * FROM ledger_entries WHERE id = $1`, [res.body.id]);
    expect(reversal).toMatchObject({
      kind: 'reversal',
      reverses_entry_id: id,
      gross: '-50000',
      channel: 'phone',
      method: 'cash',
      staff_id: original.staff_id,
      description: 'Void: typed 500 for 50',
    });
    const audit = await t.query<{ action: string; after: { reason: string } }>(
      `SELECT action, after FROM audit_log WHERE entity_type = 'ledger_entry' AND entity_id = $1 AND action = 'ledger.void'`,
      [id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].after.reason).toBe('typed 500 for 50');
    const mails = await t.query<{ kind: string; subject: string; body: string }>(
      `SELECT kind, subject, body FROM emails WHERE to_address = 'gwen.void@example.com' ORDER BY created_at, kind DESC`,
    );
    expect(mails.map((m) => m.kind)).toEqual(['receipt', 'receipt_correction']);
    // The receipt's own number, not the ledger id.
    const [{ number }] = await t.query<{ number: string }>(`SELECT number FROM receipts WHERE ledger_entry_id = $1`, [
      id,
    ]);
    expect(mails[0].body).toContain(`Receipt number: ${number}\n`);
    expect(mails[1].subject).toBe(`Correction: receipt ${number} for $500.00 is cancelled`);
    expect(mails[1].body).toContain(`Cancelled receipt number: ${number}`);
    expect(mails[1].body).toContain('R-VOID-1');

    // Once: a second void, or finance's reversal after it, is refused.
    expect((await voidEntry(id).expect(409)).body.code).toBe('ALREADY_REVERSED');
    await t.http
      .post(`/api/ledger-entries/${id}/reversal`)
      .set('authorization', finance)
      .send({ reason: 'again' })
      .expect(409);
  });

  it('a gift with no email is voided without a correction email; an unknown entry is 404', async () => {
    const id = await gift(1200, { method: 'cheque' });
    expect((await voidEntry(id).expect(201)).body.correctionEmailed).toBe(false);
    // A receipt was issued (numbered) but not emailed: no correction either.
    const [{ number }] = await t.query<{ number: string }>(
      `SELECT number FROM receipts WHERE ledger_entry_id = $1 AND emailed_to IS NULL`,
      [id],
    );
    expect(
      await t.query(`SELECT 1 FROM emails WHERE kind = 'receipt_correction' AND strpos(body, $1) > 0`, [
        `Cancelled receipt number: ${number}\n`,
      ]),
    ).toEqual([]);
    expect((await voidEntry('999999999').expect(404)).body).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
  });

  it('the next local day the operator may no longer void (409 VOID_WINDOW_CLOSED); finance still reverses', async () => {
    const before = await ledger();
    const id = await gift(3300, { method: 'bank_transfer', email: 'gwen.late@example.com' });
    await eventuallyEqual(raised, before + 3300);
    const clock = t.app.get(Clock);
    const now = Date.now();
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(now + DAY_MS));
    const refused = await voidEntry(id).expect(409);
    expect(refused.body).toMatchObject({ code: 'VOID_WINDOW_CLOSED', field: 'id' });
    expect(refused.body.message).toContain('ask finance');
    expect(await t.query(`SELECT 1 FROM ledger_entries WHERE reverses_entry_id = $1`, [id])).toEqual([]);
    expect(await raised()).toBe(before + 3300);
    jest.restoreAllMocks();

    const rev = await t.http
      .post(`/api/ledger-entries/${id}/reversal`)
      .set('authorization', finance)
      .send({ reason: 'the transfer never arrived' })
      .expect(201);
    expect(rev.body).toMatchObject({ reverses: id, gross: -3300, correctionEmailed: true });
    await eventuallyEqual(raised, before);
  });

  it('a deposit: opened with the undeposited cash and cheques and their total, entries picked, closed with the bank reference, immutable, reported', async () => {
    // Start from nothing undeposited: an earlier deposit takes what the tests above left.
    const sweep = (await t.http.post('/api/deposits').set('authorization', finance).send({}).expect(201)).body;
    if (sweep.available.entries.length) {
      await t.http
        .post(`/api/deposits/${sweep.id}/entries`)
        .set('authorization', finance)
        .send({ entryIds: sweep.available.entries.map((e: { id: string }) => e.id) })
        .expect(200);
      await t.http
        .post(`/api/deposits/${sweep.id}/close`)
        .set('authorization', finance)
        .send({ bankReference: 'SWEEP', depositedOn: '2020-01-01' })
        .expect(200);
    }

    const cash = await gift(5000, { reference: 'R-D-1' });
    const cheque = await gift(12000, { method: 'cheque', reference: 'CHQ 004512' });
    const late = await gift(700, { reference: 'R-D-3' });
    const voided = await gift(999);
    await voidEntry(voided).expect(201);
    await gift(4000, { method: 'bank_transfer' }); // already in the bank: no deposit
    await t.http.post('/api/deposits').set('authorization', phone).send({}).expect(403);

    const opened = await t.http
      .post('/api/deposits')
      .set('authorization', finance)
      .send({ note: 'Monday banking' })
      .expect(201);
    const deposit = opened.body;
    expect(deposit).toMatchObject({ status: 'open', currency: 'AUD', note: 'Monday banking', entries: [] });
    expect(deposit.available.entries.map((e: { id: string }) => e.id)).toEqual([cash, cheque, late]);
    expect(deposit.available.totals).toEqual({ count: 3, total: 17700, cash: 5700, cheque: 12000 });
    expect(deposit.available.entries[1]).toMatchObject({
      id: cheque,
      method: 'cheque',
      amount: 12000,
      reference: 'CHQ 004512',
      supporterName: 'Gwen Caller',
      localDate: today(),
    });

    const ineligible = await t.http
      .post(`/api/deposits/${deposit.id}/entries`)
      .set('authorization', finance)
      .send({ entryIds: [voided] })
      .expect(422);
    expect(ineligible.body).toMatchObject({ code: 'DEPOSIT_ENTRY_INELIGIBLE', field: 'entryIds' });
    expect(
      (
        await t.http
          .post(`/api/deposits/${deposit.id}/entries`)
          .set('authorization', finance)
          .send({ entryIds: ['x1'] })
          .expect(400)
      ).body.field,
    ).toBe('entryIds');

    const picked = await t.http
      .post(`/api/deposits/${deposit.id}/entries`)
      .set('authorization', finance)
      .send({ entryIds: [cash, cheque, late] })
      .expect(200);
    expect(picked.body.totals).toEqual({ count: 3, total: 17700, cash: 5700, cheque: 12000 });
    expect(picked.body.available.entries).toEqual([]);
    // The late one is taken back out: it goes to the bank another day.
    const removed = await t.http
      .delete(`/api/deposits/${deposit.id}/entries/${late}`)
      .set('authorization', finance)
      .expect(200);
    expect(removed.body.totals).toEqual({ count: 2, total: 17000, cash: 5000, cheque: 12000 });

    // An entry is in one deposit at most.
    const other = (await t.http.post('/api/deposits').set('authorization', finance).send({}).expect(201)).body;
    expect(other.available.entries.map((e: { id: string }) => e.id)).toEqual([late]);
    const taken = await t.http
      .post(`/api/deposits/${other.id}/entries`)
      .set('authorization', finance)
      .send({ entryIds: [cash] })
      .expect(409);
    expect(taken.body).toMatchObject({ code: 'DEPOSIT_ENTRY_TAKEN', field: 'entryIds' });

    const close = (body: object) =>
      t.http.post(`/api/deposits/${deposit.id}/close`).set('authorization', finance).send(body);
    expect((await close({ depositedOn: '2026-11-03' }).expect(400)).body.field).toBe('bankReference');
    expect((await close({ bankReference: 'WBC-1', depositedOn: '2026-02-30' }).expect(400)).body.field).toBe(
      'depositedOn',
    );
    expect((await close({ bankReference: 'WBC-1' }).expect(400)).body.field).toBe('depositedOn');
    const emptyClose = await t.http
      .post(`/api/deposits/${other.id}/close`)
      .set('authorization', finance)
      .send({ bankReference: 'NONE', depositedOn: '2026-11-03' })
      .expect(422);
    expect(emptyClose.body.code).toBe('DEPOSIT_EMPTY');

    const banked = today();
    const closed = await close({ bankReference: 'WBC-DEP-0001', depositedOn: banked }).expect(200);
    expect(closed.body).toMatchObject({
      status: 'closed',
      bankReference: 'WBC-DEP-0001',
      depositedOn: banked,
      totals: { count: 2, total: 17000, cash: 5000, cheque: 12000 },
    });
    expect(closed.body.closedAt).toBeTruthy();
    expect(
      (
        await t.query(`SELECT action FROM audit_log WHERE entity_type = 'deposit' AND entity_id = $1 ORDER BY id`, [
          deposit.id,
        ])
      ).map((r) => r.action),
    ).toEqual(['deposit.open', 'deposit.add_entries', 'deposit.remove_entry', 'deposit.close']);

    // Closed: nothing changes, through the API or in the database.
    const snapshot = await t.query(`SELECT * FROM deposit_entries WHERE deposit_id = $1 ORDER BY ledger_entry_id`, [
      deposit.id,
    ]);
    expect((await close({ bankReference: 'WBC-2', depositedOn: banked }).expect(409)).body.code).toBe('DEPOSIT_CLOSED');
    expect(
      (
        await t.http
          .post(`/api/deposits/${deposit.id}/entries`)
          .set('authorization', finance)
          .send({ entryIds: [late] })
          .expect(409)
      ).body.code,
    ).toBe('DEPOSIT_CLOSED');
    expect(
      (await t.http.delete(`/api/deposits/${deposit.id}/entries/${cash}`).set('authorization', finance).expect(409))
        .body.code,
    ).toBe('DEPOSIT_CLOSED');
    await expect(t.query(`UPDATE deposits SET bank_reference = 'X' WHERE id = $1`, [deposit.id])).rejects.toThrow(
      /is closed/,
    );
    await expect(t.query(`DELETE FROM deposit_entries WHERE deposit_id = $1`, [deposit.id])).rejects.toThrow(
      /is closed/,
    );
    await expect(
      t.query(`INSERT INTO deposit_entries (deposit_id, ledger_entry_id) VALUES ($1, $2)`, [deposit.id, late]),
    ).rejects.toThrow(/is closed/);
    await expect(t.query(`DELETE FROM deposits WHERE id = $1`, [deposit.id])).rejects.toThrow(/is closed/);
    expect(
      await t.query(`SELECT * FROM deposit_entries WHERE deposit_id = $1 ORDER BY ledger_entry_id`, [deposit.id]),
    ).toEqual(snapshot);

    // Its entries can no longer be voided by the operator, even the same day: finance reverses.
    expect((await voidEntry(cash).expect(409)).body).toMatchObject({ code: 'ENTRY_DEPOSITED', field: 'id' });

    // The deposit report, JSON and CSV.
    const report = await t.http
      .get('/api/reports/deposits')
      .query({ from: banked, to: banked })
      .set('authorization', finance)
      .expect(200);
    expect(report.body.deposits).toHaveLength(1);
    expect(report.body.deposits[0]).toMatchObject({
      id: deposit.id,
      bankReference: 'WBC-DEP-0001',
      depositedOn: banked,
    });
    expect(report.body.deposits[0].entries.map((e: { id: string }) => e.id)).toEqual([cash, cheque]);
    expect(report.body.totals).toEqual({ count: 2, total: 17000, cash: 5000, cheque: 12000 });
    await t.http
      .get('/api/reports/deposits')
      .query({ from: banked, to: banked })
      .set('authorization', phone)
      .expect(403);
    expect(
      (await t.http.get('/api/reports/deposits').query({ from: banked }).set('authorization', finance).expect(400)).body
        .field,
    ).toBe('to');

    const csv = await t.http
      .get('/api/reports/deposits.csv')
      .query({ from: banked, to: banked })
      .set('authorization', finance)
      .expect(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, ...lines] = parseCsv(csv.text);
    expect(header.slice(0, 6)).toEqual([
      'deposit_id',
      'bank_reference',
      'deposited_on',
      'closed_at',
      'deposit_total',
      'entry_id',
    ]);
    expect(lines.map((l) => [l[0], l[1], l[2], l[4], l[5], l[7], l[9], l[10]])).toEqual([
      [deposit.id, 'WBC-DEP-0001', banked, '17000', cash, 'cash', '5000', 'R-D-1'],
      [deposit.id, 'WBC-DEP-0001', banked, '17000', cheque, 'cheque', '12000', 'CHQ 004512'],
    ]);
  });

  it('phone reconciliation: cash and cheques recorded per day against what was deposited', async () => {
    const day = today();
    const rec = await t.http
      .get('/api/reports/phone-reconciliation')
      .query({ from: day, to: day })
      .set('authorization', finance)
      .expect(200);
    // The ledger, summed directly, is what the report says.
    const rows = await t.query<{ method: string; recorded: string; reversed: string; deposited: string; open: string }>(
      `SELECT e.method, sum(e.gross) AS recorded,
              COALESCE(sum(-r.gross), 0) AS reversed,
              COALESCE(sum(e.gross) FILTER (WHERE d.status = 'closed'), 0) AS deposited,
              COALESCE(sum(e.gross) FILTER (WHERE d.status = 'open'), 0) AS open
         FROM ledger_entries e LEFT JOIN ledger_entries r ON r.reverses_entry_id = e.id
         LEFT JOIN deposit_entries de ON de.ledger_entry_id = e.id LEFT JOIN deposits d ON d.id = de.deposit_id
        WHERE e.kind = 'payment' AND e.channel = 'phone' AND e.method IN ('cash', 'cheque') GROUP BY e.method ORDER BY e.method`,
    );
    expect(
      rec.body.days.map((d: Record<string, unknown>) => [
        d.date,
        d.method,
        d.recorded,
        d.reversed,
        d.deposited,
        d.inOpenDeposit,
      ]),
    ).toEqual(
      rows.map((r) => [day, r.method, Number(r.recorded), Number(r.reversed), Number(r.deposited), Number(r.open)]),
    );
    // Today: cash 50000 voided, 999 voided, 5000 banked, 700 still to bank (in no closed deposit);
    // the cheques: 1200 voided, 12000 banked.
    const cash = rec.body.days.find((d: { method: string }) => d.method === 'cash');
    const cheque = rec.body.days.find((d: { method: string }) => d.method === 'cheque');
    expect(cash).toMatchObject({
      recorded: 56699,
      reversed: 50999,
      deposited: 5000,
      inOpenDeposit: 0,
      outstanding: 700,
    });
    expect(cheque).toMatchObject({ recorded: 13200, reversed: 1200, deposited: 12000, outstanding: 0 });
    expect(rec.body.totals).toMatchObject({ recorded: 69899, reversed: 52199, deposited: 17000, outstanding: 700 });
    expect(rec.body.bankedInRange).toBe(17000);
    const csv = await t.http
      .get('/api/reports/phone-reconciliation.csv')
      .query({ from: day, to: day })
      .set('authorization', finance)
      .expect(200);
    expect(parseCsv(csv.text).slice(1)).toEqual([
      [day, 'cash', 'AUD', '4', '56699', '50999', '5000', '0', '700'],
      [day, 'cheque', 'AUD', '2', '13200', '1200', '12000', '0', '0'],
    ]);
  });

  it('a void takes the entry out of the open deposit it was in', async () => {
    const id = await gift(4400);
    const open = (await t.http.post('/api/deposits').set('authorization', finance).send({}).expect(201)).body;
    await t.http
      .post(`/api/deposits/${open.id}/entries`)
      .set('authorization', finance)
      .send({ entryIds: [id] })
      .expect(200);
    await voidEntry(id).expect(201);
    const after = (await t.http.get(`/api/deposits/${open.id}`).set('authorization', finance).expect(200)).body;
    expect(after.entries.map((e: { id: string }) => e.id)).not.toContain(id);
    expect(after.available.entries.map((e: { id: string }) => e.id)).not.toContain(id);
  });
});
