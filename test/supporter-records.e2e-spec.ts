import { DataSource } from 'typeorm';
import { migrations } from '../migrations';
import { SupporterRecords1764530000000 } from '../migrations/1764530000000-supporter-records';
import { parseCsv } from './support/csv';
import { signedIn } from './support/staff';
import { createTestDatabase } from './support/test-database';
import { eventuallyEqual, ledgerRaised, startTestApp, type TestContext, waitFor } from './support/test-app';

const API_KEY = 'website-key-supporter-records';

/**
 * Supporters as people (issue 14, items 1–4): the three-times caller found by any phone format,
 * given gifts under one record, edited (audited, old email kept), and merged with an older
 * duplicate; the search of postcodes and delivery addresses; entitlements and progress follow
 * the merge.
 */
describe('supporter records: search, edits, attach by id, duplicates and merging', () => {
  let t: TestContext;
  let phone: string;
  let finance: string;

  beforeAll(async () => {
    t = await startTestApp({ ENTITLEMENTS_API_KEYS: API_KEY });
    phone = await signedIn(t, 'phone');
    finance = await signedIn(t, 'finance');
  });
  afterAll(async () => {
    await t?.close();
  });

  let keys = 0;
  const give = (body: object) =>
    t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', `records-${++keys}-${Date.now()}`)
      .send(body);
  const search = async (q: string, who = phone) =>
    (await t.http.get('/api/supporters').query({ q }).set('authorization', who).expect(200)).body as Array<{
      id: string;
      match: string;
      totalGiven: number;
    }>;
  const record = async (id: string) =>
    (await t.http.get(`/api/supporters/${id}`).set('authorization', phone).expect(200)).body;
  const progress = async () => (await t.http.get('/api/campaigns/current/progress').expect(200)).body;
  const payByCard = async (checkoutUrl: string, checkoutId: string) => {
    await fetch(`${checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
    await waitFor(
      async () => (await t.query(`SELECT 1 FROM checkouts WHERE id = $1 AND status = 'complete'`, [checkoutId])).length,
      15000,
      'the checkout to complete',
    );
    await t.settled();
  };

  const GWEN_ADDRESS = {
    line1: '11 Caller Lane',
    city: 'Wagga Wagga',
    state: 'NSW',
    postalCode: '2650',
    country: 'AU',
  };
  let gwen = '';
  let older = '';

  it('phones are stored normalised to E.164 and found in any format, exact matches first', async () => {
    const first = await give({
      supporter: { name: 'Gwen Caller', phone: '+61 2 5550 1111', address: GWEN_ADDRESS },
      amount: 2000,
      method: 'cash',
    }).expect(201);
    gwen = first.body.supporterId;
    expect(await t.query(`SELECT number, e164 FROM supporter_phones WHERE supporter_id = $1`, [gwen])).toEqual([
      { number: '+61 2 5550 1111', e164: '+61255501111' },
    ]);
    // Someone whose name merely contains the digits' words is ranked after the exact phone.
    await give({ supporter: { name: 'Wagga Neighbour', address: GWEN_ADDRESS }, amount: 1000, method: 'cash' }).expect(
      201,
    );
    for (const q of ['0255501111', '02 5550 1111', '+61 2 5550 1111', '(02) 5550-1111']) {
      const found = await search(q);
      expect(found[0]).toMatchObject({ id: gwen, match: 'phone', totalGiven: 2000 });
    }
    expect((await search('2650')).map((f) => f.id)).toContain(gwen);
    expect((await search('caller lane')).map((f) => f.id)).toContain(gwen);
    expect((await search('gwen cal')).map((f) => f.id)).toEqual([gwen]);
    const bad = await give({ supporter: { name: 'Bad Number', phone: '5550 1111' }, amount: 1000, method: 'cash' });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('supporter.phone');
  });

  it('gifts attach to an existing supporter by supporterId; details beside it update the record (audited)', async () => {
    await give({ supporterId: gwen, amount: 3000, method: 'cheque', reference: 'CHQ 1' }).expect(201);
    const third = await give({
      supporterId: gwen,
      supporter: { email: 'gwen.caller@example.com', phone: '0412 345 678' },
      amount: 500,
      method: 'cash',
    }).expect(201);
    expect(third.body.supporterId).toBe(gwen);
    expect(await t.query(`SELECT 1 FROM supporters WHERE name = 'Gwen Caller'`)).toHaveLength(1);
    const r = await record(gwen);
    expect(r).toMatchObject({ name: 'Gwen Caller', email: 'gwen.caller@example.com' });
    expect(r.phones.map((p: { e164: string }) => p.e164)).toEqual(['+61255501111', '+61412345678']);
    expect(r.payments.map((p: { gross: number }) => p.gross).sort()).toEqual([2000, 3000, 500].sort());
    const [audit] = await t.query<{ before: object; after: object }>(
      `SELECT before, after FROM audit_log WHERE action = 'supporter.update' AND entity_id = $1 ORDER BY id`,
      [gwen],
    );
    expect(audit.before).toMatchObject({ email: null });
    expect(audit.after).toMatchObject({ email: 'gwen.caller@example.com' });
    // The receipt went to the email now on file.
    await waitFor(
      async () => (await t.query(`SELECT 1 FROM emails WHERE to_address = 'gwen.caller@example.com'`)).length,
      5000,
      'the receipt',
    );
    const unknown = await give({ supporterId: '00000000-0000-4000-8000-000000000000', amount: 500, method: 'cash' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.field).toBe('id');
    const nobody = await give({ amount: 500, method: 'cash' });
    expect(nobody.status).toBe(400);
    expect(nobody.body.field).toBe('supporter');
  });

  it('a phone subscription for an existing supporter by supporterId: the link goes to the email on file', async () => {
    const sub = await t.http
      .post('/api/phone-subscriptions')
      .set('authorization', phone)
      .send({
        supporterId: gwen,
        tier: 'print',
        billing: 'monthly',
        deliveryAddress: { ...GWEN_ADDRESS, postalCode: '2651' },
      })
      .expect(201);
    const [checkout] = await t.query<{ email: string; name: string }>(
      `SELECT email, name FROM checkouts WHERE id = $1`,
      [sub.body.id],
    );
    expect(checkout).toEqual({ email: 'gwen.caller@example.com', name: 'Gwen Caller' });
    await payByCard(sub.body.checkoutUrl, sub.body.id);
    // The delivery postcode finds her.
    expect((await search('2651')).find((f) => f.id === gwen)).toMatchObject({ match: 'delivery_address' });
    const noEmail = await give({ supporter: { name: 'No Email Caller' }, amount: 700, method: 'cash' }).expect(201);
    const refused = await t.http
      .post('/api/phone-subscriptions')
      .set('authorization', phone)
      .send({ supporterId: noEmail.body.supporterId, tier: 'digital', billing: 'monthly' });
    expect(refused.status).toBe(400);
    expect(refused.body.field).toBe('email');
  });

  it('PATCH changes name, email, phones, address, notes, receipts: audited, the old email kept; bad input names the field', async () => {
    const res = await t.http
      .patch(`/api/supporters/${gwen}`)
      .set('authorization', phone)
      .send({ email: 'gwen@example.net', phones: ['02 5550 1111'], notes: 'prefers mornings', emailReceipts: false })
      .expect(200);
    expect(res.body).toMatchObject({
      email: 'gwen@example.net',
      notes: 'prefers mornings',
      emailReceipts: false,
      phones: [{ number: '02 5550 1111', e164: '+61255501111' }],
      previousEmails: [expect.objectContaining({ email: 'gwen.caller@example.com' })],
    });
    const [audit] = await t.query<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
      `SELECT before, after FROM audit_log WHERE action = 'supporter.update' AND entity_id = $1 ORDER BY id DESC LIMIT 1`,
      [gwen],
    );
    expect(audit.before).toMatchObject({ email: 'gwen.caller@example.com', notes: null, emailReceipts: true });
    expect(audit.after).toMatchObject({ email: 'gwen@example.net', notes: 'prefers mornings', emailReceipts: false });
    // The old email still finds her.
    expect((await search('gwen.caller@example.com'))[0]).toMatchObject({ id: gwen, match: 'email' });
    // Receipts off: a cash gift sends none.
    const before = (await t.query(`SELECT 1 FROM emails WHERE to_address = 'gwen@example.net'`)).length;
    await give({ supporterId: gwen, amount: 100, method: 'cash' }).expect(201);
    expect(await t.query(`SELECT 1 FROM emails WHERE to_address = 'gwen@example.net'`)).toHaveLength(before);

    const bad = await t.http
      .patch(`/api/supporters/${gwen}`)
      .set('authorization', phone)
      .send({ phones: ['02 5550 1111', '123'] });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('phones');
    const other = await give({ supporter: { name: 'Taken', email: 'taken@example.com' }, amount: 100, method: 'cash' });
    const taken = await t.http
      .patch(`/api/supporters/${gwen}`)
      .set('authorization', finance)
      .send({ email: 'TAKEN@example.com' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'SUPPORTER_EMAIL_TAKEN', field: 'email' });
    expect(taken.body.message).toContain(other.body.supporterId);
  });

  it('an older duplicate is listed, merged (finance), and everything follows the pointer', async () => {
    // The older record: an online donor with a prepaid digital year, and her old phone number typed another way.
    const gift = await t.http
      .post('/api/donations')
      .send({ amount: 4000, frequency: 'one_off', email: 'gwen.old@example.com', name: 'Gwen Caller' })
      .expect(201);
    await payByCard(gift.body.checkoutUrl, gift.body.id);
    const sub = await t.http
      .post('/api/subscriptions')
      .send({ tier: 'digital', billing: 'prepaid', email: 'gwen.old@example.com', name: 'Gwen Caller' })
      .expect(201);
    await payByCard(sub.body.checkoutUrl, sub.body.id);
    [{ id: older }] = await t.query<{ id: string }>(`SELECT id FROM supporters WHERE email = 'gwen.old@example.com'`);
    await t.http
      .patch(`/api/supporters/${older}`)
      .set('authorization', phone)
      .send({ phones: ['0255501111'], address: { ...GWEN_ADDRESS, line1: '9 Old Road' } })
      .expect(200);

    const dups = (await t.http.get(`/api/supporters/${gwen}/duplicates`).set('authorization', phone).expect(200)).body;
    expect(dups).toEqual([expect.objectContaining({ id: older, reasons: ['name_postcode', 'phone'] })]);
    const entitled = async (email: string) =>
      (await t.http.post('/api/entitlements').set('x-api-key', API_KEY).send({ email }).expect(200)).body;
    expect(await entitled('gwen@example.net')).toMatchObject({ digital: true, print: true });
    expect(await entitled('gwen.old@example.com')).toMatchObject({ digital: true, print: false });

    // Settled first: the public figure is cached and may still be catching up with the payments above.
    await eventuallyEqual(async () => (await progress()).raised, await ledgerRaised(t));
    const before = await progress();
    await t.http.post(`/api/supporters/${gwen}/merge`).set('authorization', phone).send({ from: older }).expect(403);
    const merged = await t.http
      .post(`/api/supporters/${gwen}/merge`)
      .set('authorization', finance)
      .send({ from: older })
      .expect(200);
    expect(merged.body).toMatchObject({ id: gwen, from: older, merged: true });
    expect(merged.body.supporter.merged).toEqual([expect.objectContaining({ id: older })]);
    expect(merged.body.supporter.stripeCustomerIds).toHaveLength(2);
    // The ledger is untouched: the old entries keep their supporter id.
    expect(await t.query(`SELECT 1 FROM ledger_entries WHERE supporter_id = $1`, [older])).not.toHaveLength(0);
    // Progress counts the pair once, the money unchanged.
    await eventuallyEqual(async () => {
      const p = await progress();
      return [p.raised, p.supporters];
    }, [before.raised, before.supporters - 1]);
    // History, look-ups and entitlements follow the pointer.
    const r = await record(older);
    expect(r).toMatchObject({ id: gwen, requestedId: older });
    expect(r.payments.map((p: { gross: number }) => p.gross)).toContain(4000);
    expect(r.subscriptions).toHaveLength(2);
    expect((await search('gwen.old@example.com'))[0]).toMatchObject({ id: gwen, match: 'email' });
    expect((await search('0255501111')).map((f) => f.id)).toEqual([gwen]);
    expect(await entitled('gwen.old@example.com')).toMatchObject({ digital: true, print: true });
    // The survivor's own email: the merged record's prepaid year (the later end) is her digital access now.
    expect((await entitled('gwen@example.net')).entitlements).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'digital', tier: 'digital', billing: 'prepaid' })]),
    );
    // A new online gift under the old email is keyed to the survivor.
    const later = await t.http
      .post('/api/donations')
      .send({ amount: 1500, frequency: 'one_off', email: 'gwen.old@example.com' })
      .expect(201);
    await payByCard(later.body.checkoutUrl, later.body.id);
    const [entry] = await t.query<{ supporter_id: string }>(
      `SELECT supporter_id FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`,
      [later.body.id],
    );
    expect(entry.supporter_id).toBe(gwen);
    expect(
      (await t.http.get(`/api/supporters/${gwen}/duplicates`).set('authorization', phone).expect(200)).body,
    ).toEqual([]);
    const [audit] = await t.query(`SELECT 1 FROM audit_log WHERE action = 'supporter.merge' AND entity_id = $1`, [
      gwen,
    ]);
    expect(audit).toBeTruthy();
  });

  it('merging is idempotent and refuses itself, chains and cycles', async () => {
    const merge = (id: string, from: string) =>
      t.http.post(`/api/supporters/${id}/merge`).set('authorization', finance).send({ from });
    const again = await merge(gwen, older).expect(200);
    expect(again.body).toMatchObject({ id: gwen, from: older, merged: false });
    expect(await t.query(`SELECT 1 FROM audit_log WHERE action = 'supporter.merge'`)).toHaveLength(1);
    expect((await merge(gwen, gwen)).body).toMatchObject({ statusCode: 422, code: 'MERGE_INTO_ITSELF', field: 'from' });
    // A cycle: the survivor into the record merged into it.
    expect((await merge(older, gwen)).body).toMatchObject({ statusCode: 409, code: 'MERGE_CHAIN', field: 'id' });
    const third = (await give({ supporter: { name: 'Third Person' }, amount: 100, method: 'cash' }).expect(201)).body
      .supporterId;
    // A chain: a record already merged, into another one.
    expect((await merge(third, older)).body).toMatchObject({ statusCode: 409, code: 'MERGE_CHAIN', field: 'from' });
    expect((await merge(gwen, 'not-a-uuid')).body).toMatchObject({ statusCode: 400, field: 'from' });
  });

  it('after a merge, the supporter reports and CSVs count the pair as the survivor, every total unchanged', async () => {
    // A cash caller, and her older online record: a gift and a print subscription, both paid.
    const rita = (
      await give({
        supporter: { name: 'Rita Report', email: 'rita@example.com' },
        amount: 3000,
        method: 'cash',
      }).expect(201)
    ).body.supporterId as string;
    const gift = await t.http
      .post('/api/donations')
      .send({ amount: 2000, frequency: 'one_off', email: 'rita.old@example.com', name: 'Rita R. Old' })
      .expect(201);
    await payByCard(gift.body.checkoutUrl, gift.body.id);
    const print = await t.http
      .post('/api/subscriptions')
      .send({
        tier: 'print',
        billing: 'monthly',
        email: 'rita.old@example.com',
        name: 'Rita R. Old',
        deliveryAddress: { line1: '5 Old Mill Rd', city: 'Orange', state: 'NSW', postalCode: '2800', country: 'AU' },
      })
      .expect(201);
    await payByCard(print.body.checkoutUrl, print.body.id);
    const [{ id: ritaOld }] = await t.query<{ id: string }>(
      `SELECT id FROM supporters WHERE email = 'rita.old@example.com'`,
    );
    const pair = [rita, ritaOld];

    // Local today lies between yesterday and tomorrow in UTC, whatever the organisation's zone.
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const range = { from: day(-1), to: day(1), interval: 'day', top: 500 };
    const year = new Date().getUTCFullYear();
    const get = async (path: string, query: object = {}) =>
      (await t.http.get(path).query(query).set('authorization', finance).expect(200)) as {
        body: Record<string, unknown> & Array<Record<string, unknown>>;
        text: string;
      };
    const reports = async () => {
      const supporters = (await get('/api/reports/supporters', range)).body as unknown as {
        periods: Array<{ givers: number; new: number }>;
        top: Array<{ supporterId: string; given: number; payments: number; name: string; email: string }>;
      };
      const topCsv = parseCsv((await get('/api/reports/top-supporters.csv', range)).text);
      // Who gave this year and not the next: everyone who gave today.
      const lapsed = (await get('/api/reports/lapsed-supporters', { year: year + 1 })).body as unknown as Array<{
        supporterId: string;
        givenLastYear: number;
        gifts: number;
      }>;
      const ledger = parseCsv((await get('/api/reports/ledger.csv', { from: range.from, to: range.to })).text);
      const col = ledger[0].indexOf('supporter_id');
      const grossCol = ledger[0].indexOf('gross');
      const mailing = (await get('/api/reports/print-mailing-list')).body as unknown as Array<{
        name: string;
        email: string;
        address: { line1: string } | null;
      }>;
      const mailingCsv = parseCsv((await get('/api/reports/print-mailing-list.csv')).text);
      return {
        givers: supporters.periods.reduce((n, p) => n + p.givers, 0),
        fresh: supporters.periods.reduce((n, p) => n + p.new, 0),
        top: supporters.top.filter((s) => pair.includes(s.supporterId)),
        topTotal: supporters.top.reduce((n, s) => n + s.given, 0),
        topCsv: topCsv.filter((r) => pair.includes(r[0])),
        lapsed: lapsed.filter((s) => pair.includes(s.supporterId)),
        lapsedTotal: lapsed.reduce((n, s) => n + s.givenLastYear, 0),
        lapsedCount: lapsed.length,
        ledgerIds: ledger
          .slice(1)
          .filter((r) => pair.includes(r[col]))
          .map((r) => r[col]),
        ledgerTotal: ledger.slice(1).reduce((n, r) => n + Number(r[grossCol]), 0),
        mailing: mailing.filter((m) => m.address?.line1 === '5 Old Mill Rd'),
        mailingCsv: mailingCsv.filter((r) => r.includes('5 Old Mill Rd')),
        mailingCsvHeader: mailingCsv[0],
      };
    };

    const before = await reports();
    expect(before.top.map((s) => s.supporterId).sort()).toEqual([...pair].sort());
    expect(before.topCsv).toHaveLength(2);
    expect(before.lapsed).toHaveLength(2);
    expect(new Set(before.ledgerIds)).toEqual(new Set(pair));
    expect(before.mailing).toEqual([expect.objectContaining({ name: 'Rita R. Old', email: 'rita.old@example.com' })]);
    const ritaOldGiven = before.top.find((s) => s.supporterId === ritaOld)!;
    const ritaGiven = before.top.find((s) => s.supporterId === rita)!;

    await t.http
      .post(`/api/supporters/${rita}/merge`)
      .set('authorization', finance)
      .send({ from: ritaOld })
      .expect(200);
    const after = await reports();

    // One person, under the survivor's id, name and email; every total as before.
    expect(after.givers).toBe(before.givers - 1);
    expect(after.fresh).toBe(before.fresh - 1);
    expect(after.top).toEqual([
      expect.objectContaining({
        supporterId: rita,
        name: 'Rita Report',
        email: 'rita@example.com',
        given: ritaGiven.given + ritaOldGiven.given,
        payments: ritaGiven.payments + ritaOldGiven.payments,
      }),
    ]);
    expect(after.topTotal).toBe(before.topTotal);
    expect(after.topCsv).toEqual([
      [
        rita,
        'Rita Report',
        'rita@example.com',
        String(ritaGiven.given + ritaOldGiven.given),
        expect.any(String),
        expect.any(String),
      ],
    ]);
    expect(after.lapsed).toEqual([
      expect.objectContaining({
        supporterId: rita,
        givenLastYear: before.lapsed.reduce((n, s) => n + s.givenLastYear, 0),
        gifts: before.lapsed.reduce((n, s) => n + s.gifts, 0),
      }),
    ]);
    expect(after.lapsedTotal).toBe(before.lapsedTotal);
    expect(after.lapsedCount).toBe(before.lapsedCount - 1);
    expect(after.ledgerIds).toHaveLength(before.ledgerIds.length);
    expect(new Set(after.ledgerIds)).toEqual(new Set([rita]));
    expect(after.ledgerTotal).toBe(before.ledgerTotal);
    expect(after.mailing).toEqual([expect.objectContaining({ name: 'Rita Report', email: 'rita@example.com' })]);
    const emailCol = after.mailingCsvHeader.indexOf('email');
    expect(after.mailingCsv.map((r) => r[emailCol])).toEqual(['rita@example.com']);
    // The ledger itself is unchanged: the old record's payments keep its id.
    expect(await t.query(`SELECT 1 FROM ledger_entries WHERE supporter_id = $1`, [ritaOld])).not.toHaveLength(0);
  });

  it("after a merge the survivor can take the merged record's email: moved off it, kept in the history, found by it", async () => {
    // The survivor: an online digital subscriber. The merged record: an older online gift under another email, no name.
    const sub = await t.http
      .post('/api/subscriptions')
      .send({ tier: 'digital', billing: 'prepaid', email: 'ann.new@example.com', name: 'Ann Alpha' })
      .expect(201);
    await payByCard(sub.body.checkoutUrl, sub.body.id);
    const gift = await t.http
      .post('/api/donations')
      .send({ amount: 1200, frequency: 'one_off', email: 'Ann.Old@example.com' })
      .expect(201);
    await payByCard(gift.body.checkoutUrl, gift.body.id);
    const [{ id: ann }] = await t.query<{ id: string }>(
      `SELECT id FROM supporters WHERE email = 'ann.new@example.com'`,
    );
    const [{ id: annOld }] = await t.query<{ id: string }>(
      `SELECT id FROM supporters WHERE lower(email) = 'ann.old@example.com'`,
    );
    await t.http.post(`/api/supporters/${ann}/merge`).set('authorization', finance).send({ from: annOld }).expect(200);

    const res = await t.http
      .patch(`/api/supporters/${ann}`)
      .set('authorization', phone)
      .send({ email: 'ann.old@example.com' })
      .expect(200);
    expect(res.body).toMatchObject({ id: ann, email: 'ann.old@example.com' });
    expect(res.body.previousEmails.map((p: { email: string }) => p.email).sort()).toEqual([
      'Ann.Old@example.com',
      'ann.new@example.com',
    ]);
    expect(res.body.merged).toEqual([expect.objectContaining({ id: annOld, email: null })]);
    expect(await t.query(`SELECT email, merged_into FROM supporters WHERE id = $1`, [annOld])).toEqual([
      { email: null, merged_into: ann },
    ]);
    const [audit] = await t.query<{ before: Record<string, unknown>; after: Record<string, unknown> }>(
      `SELECT before, after FROM audit_log WHERE action = 'supporter.update' AND entity_id = $1 ORDER BY id DESC LIMIT 1`,
      [ann],
    );
    expect(audit.before).toMatchObject({
      email: 'ann.new@example.com',
      mergedRecordEmail: { supporterId: annOld, email: 'Ann.Old@example.com' },
    });
    expect(audit.after).toMatchObject({
      email: 'ann.old@example.com',
      mergedRecordEmail: { supporterId: annOld, email: null },
    });

    // Every look-up by either email answers the survivor.
    expect((await search('ann.old@example.com')).map((f) => f.id)).toEqual([ann]);
    expect((await search('ann.new@example.com')).map((f) => f.id)).toEqual([ann]);
    const entitled = (
      await t.http.post('/api/entitlements').set('x-api-key', API_KEY).send({ email: 'ANN.OLD@example.com' })
    ).body;
    expect(entitled).toMatchObject({ digital: true });
    const cash = await give({
      supporter: { name: 'Ann Alpha', email: 'ann.old@example.com' },
      amount: 300,
      method: 'cash',
    });
    expect(cash.body.supporterId).toBe(ann);
    // A new online gift under that email: the webhook's upsert lands on the survivor's own row.
    const later = await t.http
      .post('/api/donations')
      .send({ amount: 800, frequency: 'one_off', email: 'ann.old@example.com' })
      .expect(201);
    await payByCard(later.body.checkoutUrl, later.body.id);
    expect(
      await t.query(`SELECT supporter_id FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`, [
        later.body.id,
      ]),
    ).toEqual([{ supporter_id: ann }]);
    expect(await t.query(`SELECT 1 FROM supporters WHERE lower(email) = 'ann.old@example.com'`)).toHaveLength(1);

    // The email of a record merged into another supporter is still refused, naming that survivor.
    const other = (
      await give({ supporter: { name: 'Oz Other', email: 'oz@example.com' }, amount: 100, method: 'cash' })
    ).body.supporterId as string;
    const ozOld = (
      await give({ supporter: { name: 'Oz Other', email: 'oz.old@example.com' }, amount: 100, method: 'cash' })
    ).body.supporterId as string;
    await t.http.post(`/api/supporters/${other}/merge`).set('authorization', finance).send({ from: ozOld }).expect(200);
    const taken = await t.http
      .patch(`/api/supporters/${ann}`)
      .set('authorization', phone)
      .send({ email: 'oz.old@example.com' })
      .expect(409);
    expect(taken.body).toMatchObject({ code: 'SUPPORTER_EMAIL_TAKEN', details: { supporterId: other } });
  });
});

describe('the supporter records migration', () => {
  it('backfills every stored phone in E.164 (an invalid one kept as typed, not normalised)', async () => {
    const db = await createTestDatabase();
    if (!db.url) return; // the backfill is checked on PostgreSQL (CI sets DATABASE_URL)
    const index = migrations.indexOf(SupporterRecords1764530000000);
    const at = (list: typeof migrations) =>
      new DataSource({ type: 'postgres', url: db.url, migrations: list, migrationsTableName: 'migrations' });
    try {
      const before = await at(migrations.slice(0, index)).initialize();
      await before.runMigrations({ transaction: 'each' });
      await before.query(
        `INSERT INTO supporters (name, phone) VALUES ('A', '02 5550 1111'), ('B', '+61 2 5550 1111'), ('C', '5550 1111'), ('D', NULL)`,
      );
      await before.destroy();
      const after = await at(migrations).initialize();
      await after.runMigrations({ transaction: 'each' });
      const rows = await after.query(
        `SELECT s.name, p.number, p.e164 FROM supporters s LEFT JOIN supporter_phones p ON p.supporter_id = s.id ORDER BY s.name`,
      );
      await after.destroy();
      expect(rows).toEqual([
        { name: 'A', number: '02 5550 1111', e164: '+61255501111' },
        { name: 'B', number: '+61 2 5550 1111', e164: '+61255501111' },
        { name: 'C', number: '5550 1111', e164: null },
        { name: 'D', number: null, e164: null },
      ]);
    } finally {
      await db.drop();
    }
  });
});
