import { Clock } from '@app/common';
import { RenewalRemindersService } from '@app/phone';
import { parseCsv } from './support/csv';
import { signedIn } from './support/staff';
import { startTestApp, type TestContext } from './support/test-app';

const API_KEY = 'paywall_offline_key_0123456789';
const DAY_MS = 86_400_000;
const ADDRESS = { line1: '7 Cheque Street', city: 'Hobart', state: 'TAS', postalCode: '7000', country: 'AU' };

/** `at` plus `months` calendar months, as PostgreSQL's `+ make_interval(months => …)` does it in UTC. */
const plusMonths = (at: Date, months: number) => {
  const d = new Date(at);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
};

describe('offline and complimentary subscriptions', () => {
  let t: TestContext;
  let phone: string;
  let otherPhone: string;
  let finance: string;
  let admin: string;
  let keys = 0;

  beforeAll(async () => {
    // The reminder job runs only when a test calls it (with a mocked clock).
    t = await startTestApp({ ENTITLEMENTS_API_KEYS: API_KEY, RENEWAL_REMINDER_INTERVAL_MS: '0' });
    [phone, otherPhone, finance, admin] = [
      await signedIn(t, 'phone'),
      await signedIn(t, 'phone'),
      await signedIn(t, 'finance'),
      await signedIn(t, 'admin'),
    ];
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await t?.close();
  });

  const key = () => `offline-e2e-${++keys}-${Math.random().toString(36).slice(2, 8)}`;
  const record = (body: object, opts: { auth?: string; key?: string | null } = {}) => {
    const req = t.http.post('/api/offline-subscriptions').set('authorization', opts.auth ?? phone);
    return (opts.key === null ? req : req.set('idempotency-key', opts.key ?? key())).send(body);
  };
  const entitlements = async (email: string) =>
    (await t.http.post('/api/entitlements').set('x-api-key', API_KEY).send({ email }).expect(200)).body;
  const mailingList = async () =>
    (await t.http.get('/api/reports/print-mailing-list').set('authorization', finance).expect(200)).body as Array<{
      subscriptionId: string;
      name: string;
      address: object;
      origin: string;
      paidUntil: string | null;
    }>;
  const mailingCsv = async () => {
    const [header, ...rows] = parseCsv(
      (await t.http.get('/api/reports/print-mailing-list.csv').set('authorization', finance).expect(200)).text,
    );
    return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
  };
  const counts = async () =>
    (
      await t.query<
        Record<'supporters' | 'ledger' | 'subscriptions' | 'periods' | 'requests' | 'audit' | 'emails', number>
      >(
        `SELECT (SELECT count(*) FROM supporters)::int AS supporters, (SELECT count(*) FROM ledger_entries)::int AS ledger,
                (SELECT count(*) FROM subscriptions)::int AS subscriptions, (SELECT count(*) FROM offline_subscription_periods)::int AS periods,
                (SELECT count(*) FROM phone_requests)::int AS requests, (SELECT count(*) FROM audit_log)::int AS audit,
                (SELECT count(*) FROM emails)::int AS emails`,
      )
    )[0];
  const clockAt = (at: Date) => jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(at));

  it('a cheque-paid print subscription without an email: one prepaid_subscription entry on the phone channel, on the mailing list (JSON and CSV) and the record; in the entitlements API once the record has an email', async () => {
    const before = await counts();
    const started = Date.now();
    const res = await record({
      supporter: { name: 'Clem Cheque', phone: '03 6200 1234' },
      tier: 'print',
      method: 'cheque',
      reference: 'CHQ 000123',
      deliveryAddress: ADDRESS,
      amount: 12000,
    }).expect(201);
    expect(res.headers['idempotent-replayed']).toBe('false');
    const sub = res.body;
    expect(sub).toMatchObject({
      origin: 'offline',
      tier: 'print',
      status: 'active',
      months: 12,
      amount: 12000,
      currency: 'AUD',
      method: 'cheque',
      reference: 'CHQ 000123',
      renewed: false,
      receiptEmailed: false,
      deliveryAddress: ADDRESS,
    });
    const startsAt = new Date(sub.startsAt);
    expect(startsAt.getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(sub.endsAt).toBe(plusMonths(startsAt, 12).toISOString());

    // The ledger: one entry, the prepaid option's price, on the phone channel, by this operator.
    const [entry] = await t.query(`SELECT * FROM ledger_entries WHERE id = $1`, [sub.entryId]);
    expect(entry).toMatchObject({
      kind: 'payment',
      type: 'prepaid_subscription',
      channel: 'phone',
      method: 'cheque',
      gross: '12000',
      fee: '0',
      currency: 'AUD',
      reference: 'CHQ 000123',
      supporter_id: sub.supporterId,
    });
    expect(entry.staff_id).toBeTruthy();
    const [row] = await t.query(`SELECT * FROM subscriptions WHERE id = $1`, [sub.subscriptionId]);
    expect(row).toMatchObject({ origin: 'offline', billing: 'prepaid', status: 'active', amount: '12000' });
    const after = await counts();
    expect(after).toMatchObject({
      supporters: before.supporters + 1,
      ledger: before.ledger + 1,
      subscriptions: before.subscriptions + 1,
      periods: before.periods + 1,
      emails: before.emails, // no email on file: no receipt
    });
    const [audit] = await t.query(`SELECT action, after FROM audit_log WHERE entity_id = $1`, [sub.subscriptionId]);
    expect(audit).toMatchObject({ action: 'offline_subscription.create' });

    // The mailing list, JSON and CSV, for the mailing house.
    const listed = (await mailingList()).find((s) => s.subscriptionId === sub.subscriptionId);
    expect(listed).toMatchObject({ name: 'Clem Cheque', address: ADDRESS, origin: 'offline', paidUntil: sub.endsAt });
    const csvRow = (await mailingCsv()).find((r) => r.subscription_id === sub.subscriptionId);
    expect(csvRow).toMatchObject({
      name: 'Clem Cheque',
      line1: '7 Cheque Street',
      city: 'Hobart',
      state: 'TAS',
      postal_code: '7000',
      origin: 'offline',
      billing: 'prepaid',
    });

    // The supporter's record shows it (how staff see a reader who has no email).
    const rec = (await t.http.get(`/api/supporters/${sub.supporterId}`).set('authorization', phone).expect(200)).body;
    expect(rec.subscriptions).toEqual([
      expect.objectContaining({ id: sub.subscriptionId, origin: 'offline', tier: 'print', status: 'active' }),
    ]);
    expect(rec.payments).toEqual([expect.objectContaining({ id: sub.entryId, type: 'prepaid_subscription' })]);

    // The entitlements API is asked by email: once the record has one, the reader is entitled.
    expect(await entitlements('clem.cheque@example.com')).toMatchObject({ print: false, digital: false });
    await t.http
      .patch(`/api/supporters/${sub.supporterId}`)
      .set('authorization', phone)
      .send({ email: 'clem.cheque@example.com' })
      .expect(200);
    const ent = await entitlements('clem.cheque@example.com');
    expect(ent).toMatchObject({ print: true, digital: true });
    expect(ent.entitlements).toEqual([
      { code: 'digital', until: sub.endsAt, status: 'active', tier: 'print', billing: 'prepaid' },
      { code: 'print', until: sub.endsAt, status: 'active', tier: 'print', billing: 'prepaid' },
    ]);
  });

  it('N months at the monthly price, with a receipt to the email on file; the same key again answers the same and records once; another body under it is refused', async () => {
    const k = key();
    const body = {
      supporter: { name: 'Dana Digital', email: 'dana.digital@example.com' },
      tier: 'digital',
      months: 3,
      method: 'cash',
    };
    const first = await record(body, { key: k }).expect(201);
    expect(first.body).toMatchObject({ months: 3, amount: 1500, receiptEmailed: true, deliveryAddress: null });
    const [{ number }] = await t.query<{ number: string }>(`SELECT number FROM receipts WHERE ledger_entry_id = $1`, [
      first.body.entryId,
    ]);
    const [receipt] = await t.query<{ to_address: string; subject: string; body: string; kind: string }>(
      `SELECT to_address, subject, body, kind FROM emails WHERE kind = 'receipt' AND strpos(body, $1) > 0`,
      [`Receipt number: ${number}\n`],
    );
    expect(receipt).toMatchObject({ to_address: 'dana.digital@example.com', kind: 'receipt' });
    expect(receipt.body).toContain('$15.00');
    expect(receipt.body).toContain('3 months of Digital edition');

    const before = await counts();
    const again = await record(body, { key: k }).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await counts()).toEqual(before);
    const other = await record({ ...body, months: 4 }, { key: k }).expect(422);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
    expect(await counts()).toEqual(before);
    expect((await entitlements('dana.digital@example.com')).digital).toBe(true);
  });

  it('two identical requests at the same moment record one payment and one subscription', async () => {
    const k = key();
    const body = { supporter: { name: 'Twice Twin' }, tier: 'digital', method: 'cash', reference: 'TWIN' };
    const before = await counts();
    const answers = await Promise.all([record(body, { key: k }), record(body, { key: k }), record(body, { key: k })]);
    for (const a of answers) expect([201, 409]).toContain(a.status);
    expect(answers.filter((a) => a.status === 201 && a.headers['idempotent-replayed'] === 'false')).toHaveLength(1);
    const after = await counts();
    expect(after.ledger - before.ledger).toBe(1);
    expect(after.subscriptions - before.subscriptions).toBe(1);
    expect(after.supporters - before.supporters).toBe(1);
    const retry = await record(body, { key: k }).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await t.query(`SELECT 1 FROM ledger_entries WHERE reference = 'TWIN'`)).toHaveLength(1);
  });

  it('a renewal extends from the current end; voiding the renewal takes its months back, reversing the first ends access (entitlements and mailing list)', async () => {
    const first = (
      await record({
        supporter: { name: 'Rene Renewer', email: 'rene.renewer@example.com', address: ADDRESS },
        tier: 'print',
        method: 'cash',
      }).expect(201)
    ).body;
    expect(first.deliveryAddress).toEqual(ADDRESS); // the caller's address given
    const renewal = (
      await record({
        supporterId: first.supporterId,
        tier: 'print',
        method: 'bank_transfer',
        reference: 'TRF-9',
      }).expect(201)
    ).body;
    expect(renewal).toMatchObject({ subscriptionId: first.subscriptionId, renewed: true, startsAt: first.startsAt });
    expect(renewal.endsAt).toBe(plusMonths(new Date(first.startsAt), 24).toISOString());
    expect(new Date(renewal.endsAt) > new Date(first.endsAt)).toBe(true);
    expect((await entitlements('rene.renewer@example.com')).entitlements[0].until).toBe(renewal.endsAt);
    const [audit] = await t.query(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id DESC LIMIT 1`, [
      first.subscriptionId,
    ]);
    expect(audit.action).toBe('offline_subscription.renew');

    // The operator voids the renewal (their own, the same day): its months are taken back.
    await t.http
      .post(`/api/ledger-entries/${renewal.entryId}/void`)
      .set('authorization', phone)
      .send({ reason: 'the transfer was for someone else' })
      .expect(201);
    const [afterVoid] = await t.query<{ status: string; current_period_end: Date; amount: string }>(
      `SELECT status, current_period_end, amount FROM subscriptions WHERE id = $1`,
      [first.subscriptionId],
    );
    expect(afterVoid).toMatchObject({ status: 'active', amount: '12000' });
    expect(new Date(afterVoid.current_period_end).toISOString()).toBe(first.endsAt);
    expect((await entitlements('rene.renewer@example.com')).entitlements[0].until).toBe(first.endsAt);
    // The renewal's receipt was emailed: its correction says what it was for.
    const [correction] = await t.query<{ body: string }>(
      `SELECT body FROM emails WHERE kind = 'receipt_correction' AND to_address = 'rene.renewer@example.com'`,
    );
    expect(correction.body).toContain('receipt we emailed you for a subscription payment of');
    // (The footer's tax statement aside.)
    expect(correction.body.split('\n--\n')[0]).not.toContain('gift');

    // Finance reverses the first payment: nothing is left, access ends now.
    await t.http
      .post(`/api/ledger-entries/${first.entryId}/reversal`)
      .set('authorization', finance)
      .send({ reason: 'the cash was counterfeit' })
      .expect(201);
    const [ended] = await t.query(`SELECT status, ended_at FROM subscriptions WHERE id = $1`, [first.subscriptionId]);
    expect(ended.status).toBe('ended');
    expect(ended.ended_at).toBeTruthy();
    expect(await entitlements('rene.renewer@example.com')).toMatchObject({ print: false, digital: false });
    expect((await mailingList()).some((s) => s.subscriptionId === first.subscriptionId)).toBe(false);
    expect((await mailingCsv()).some((r) => r.subscription_id === first.subscriptionId)).toBe(false);
    const [reversalAudit] = await t.query<{ after: { subscription: object } }>(
      `SELECT after FROM audit_log WHERE action = 'ledger.reverse' AND entity_id = $1`,
      [first.entryId],
    );
    expect(reversalAudit.after.subscription).toMatchObject({ id: first.subscriptionId, status: 'ended' });
    // A payment after the end starts a new subscription (nothing left to renew).
    const fresh = (await record({ supporterId: first.supporterId, tier: 'print', method: 'cash' }).expect(201)).body;
    expect(fresh).toMatchObject({ renewed: false });
    expect(fresh.subscriptionId).not.toBe(first.subscriptionId);
  });

  it('finance may record an offline subscription; another operator may not void it', async () => {
    const res = await record(
      { supporter: { name: 'Fin Recorded' }, tier: 'digital', method: 'cash' },
      { auth: finance },
    );
    expect(res.status).toBe(201);
    const mine = (await record({ supporter: { name: 'Op Recorded' }, tier: 'digital', method: 'cash' }).expect(201))
      .body;
    await t.http
      .post(`/api/ledger-entries/${mine.entryId}/void`)
      .set('authorization', otherPhone)
      .send({ reason: 'not mine to void' })
      .expect(403);
    const [row] = await t.query(`SELECT status FROM subscriptions WHERE id = $1`, [mine.subscriptionId]);
    expect(row.status).toBe('active');
  });

  it('a complimentary digital subscription (admin only): entitled without end, counted apart in the recurring report, never in MRR; the admin ends it', async () => {
    const recurring = async () =>
      (
        await t.http
          .get('/api/reports/recurring')
          .query({ from: '2026-01-01', to: '2026-01-31' })
          .set('authorization', finance)
          .expect(200)
      ).body;
    const before = await recurring();
    const body = {
      supporter: { name: 'Cora Contributor', email: 'cora.contributor@example.com' },
      tier: 'digital',
      reason: 'contributor: weekly column',
    };
    await t.http.post('/api/complimentary-subscriptions').set('authorization', phone).send(body).expect(403);
    await t.http.post('/api/complimentary-subscriptions').set('authorization', finance).send(body).expect(403);
    const ledgerBefore = (await counts()).ledger;
    const comp = (
      await t.http.post('/api/complimentary-subscriptions').set('authorization', admin).send(body).expect(201)
    ).body;
    expect(comp).toMatchObject({
      origin: 'complimentary',
      tier: 'digital',
      status: 'active',
      endsAt: null,
      reason: body.reason,
    });
    expect((await counts()).ledger).toBe(ledgerBefore); // no money
    const [audit] = await t.query<{ action: string; after: { reason: string } }>(
      `SELECT action, after FROM audit_log WHERE entity_id = $1`,
      [comp.subscriptionId],
    );
    expect(audit).toMatchObject({ action: 'complimentary_subscription.grant' });
    expect(audit.after.reason).toBe(body.reason);

    const ent = await entitlements('cora.contributor@example.com');
    expect(ent).toMatchObject({ digital: true, print: false });
    expect(ent.entitlements).toEqual([
      { code: 'digital', until: null, status: 'active', tier: 'digital', billing: 'complimentary' },
    ]);

    const during = await recurring();
    expect(during.mrr).toEqual(before.mrr);
    expect(during.subscribers).toEqual(before.subscribers);
    const compDigital = (r: { complimentary: { byTier: Array<{ tier: string; total: number }> } }) =>
      r.complimentary.byTier.find((c) => c.tier === 'digital')?.total ?? 0;
    expect(compDigital(during)).toBe(compDigital(before) + 1);
    expect(during.complimentary.total).toBe(before.complimentary.total + 1);

    // One active per reader and tier.
    const twice = await t.http
      .post('/api/complimentary-subscriptions')
      .set('authorization', admin)
      .send(body)
      .expect(409);
    expect(twice.body).toMatchObject({ code: 'SUBSCRIPTION_ALREADY_ACTIVE', field: 'tier' });

    await t.http
      .post(`/api/complimentary-subscriptions/${comp.subscriptionId}/end`)
      .set('authorization', admin)
      .send({ reason: 'column ended' })
      .expect(200);
    expect((await entitlements('cora.contributor@example.com')).digital).toBe(false);
    expect(compDigital(await recurring())).toBe(compDigital(before));
    const again = await t.http
      .post(`/api/complimentary-subscriptions/${comp.subscriptionId}/end`)
      .set('authorization', admin)
      .send({ reason: 'column ended' })
      .expect(409);
    expect(again.body).toMatchObject({ code: 'SUBSCRIPTION_ALREADY_ENDED', field: 'id' });
    const [endAudit] = await t.query(
      `SELECT after FROM audit_log WHERE action = 'complimentary_subscription.end' AND entity_id = $1`,
      [comp.subscriptionId],
    );
    expect(endAudit.after).toMatchObject({ status: 'ended', reason: 'column ended' });
  });

  it('a complimentary print subscription with an end date is on the mailing list until then', async () => {
    const comp = (
      await t.http
        .post('/api/complimentary-subscriptions')
        .set('authorization', admin)
        .send({
          supporter: { name: 'State Library' },
          tier: 'print',
          reason: 'legal deposit library',
          endsOn: '2099-12-31',
          deliveryAddress: ADDRESS,
        })
        .expect(201)
    ).body;
    // The end of 31 December 2099 in the organisation's time zone (Sydney, +11:00 in summer).
    expect(comp.endsAt).toBe('2099-12-31T13:00:00.000Z');
    const listed = (await mailingList()).find((s) => s.subscriptionId === comp.subscriptionId);
    expect(listed).toMatchObject({ name: 'State Library', origin: 'complimentary', paidUntil: comp.endsAt });
    expect((await mailingCsv()).find((r) => r.subscription_id === comp.subscriptionId)).toMatchObject({
      origin: 'complimentary',
      billing: 'complimentary',
    });
  });

  it('renewal reminders: queued once per end date through the outbox (the job run twice, and twice at once); a reader without email is on the renewals-due report (JSON and CSV)', async () => {
    const reminders = t.app.get(RenewalRemindersService);
    const emailed = (
      await record({
        supporter: { name: 'Remy Reminded', email: 'remy.reminded@example.com' },
        tier: 'digital',
        months: 2,
        method: 'cash',
      }).expect(201)
    ).body;
    const posted = (
      await record({
        supporter: { name: 'Pat Post', phone: '02 5550 7777' },
        tier: 'print',
        months: 2,
        method: 'cheque',
        deliveryAddress: ADDRESS,
      }).expect(201)
    ).body;
    const remindersTo = async (to: string) =>
      t.query<{ subject: string; body: string }>(
        `SELECT subject, body FROM emails WHERE kind = 'renewal_reminder' AND to_address = $1`,
        [to],
      );
    const due = async () =>
      (await t.http.get('/api/reports/renewals-due').set('authorization', finance).expect(200)).body;

    // Two months ahead: not yet within 30 days of the end.
    await reminders.run();
    expect(await remindersTo('remy.reminded@example.com')).toEqual([]);
    expect(
      (await due()).renewals.some((r: { subscriptionId: string }) => r.subscriptionId === posted.subscriptionId),
    ).toBe(false);

    // Ten days before the end: one reminder, however many times the job runs (also at once).
    clockAt(new Date(new Date(emailed.endsAt).getTime() - 10 * DAY_MS));
    // At once first (as two instances would: both see it unmarked), then again one after the other.
    await Promise.all([reminders.run(), reminders.run(), reminders.run()]);
    await reminders.run();
    await reminders.run();
    const sent = await remindersTo('remy.reminded@example.com');
    expect(sent).toHaveLength(1);
    expect(sent[0].subject).toContain('Digital edition');
    expect(sent[0].body).toContain(emailed.subscriptionId);

    // Pat has no email: on the renewals-due report for the mailing house instead.
    clockAt(new Date(new Date(posted.endsAt).getTime() - 10 * DAY_MS));
    const report = await due();
    expect(report.days).toBe(30);
    expect(report.renewals).toContainEqual(
      expect.objectContaining({
        subscriptionId: posted.subscriptionId,
        name: 'Pat Post',
        tier: 'print',
        address: ADDRESS,
        endsAt: posted.endsAt,
      }),
    );
    expect(report.renewals.some((r: { subscriptionId: string }) => r.subscriptionId === emailed.subscriptionId)).toBe(
      false,
    );
    const [header, ...rows] = parseCsv(
      (await t.http.get('/api/reports/renewals-due.csv').set('authorization', finance).expect(200)).text,
    );
    const csv = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    expect(csv).toContainEqual(
      expect.objectContaining({
        subscription_id: posted.subscriptionId,
        name: 'Pat Post',
        line1: '7 Cheque Street',
        postal_code: '7000',
        tier: 'print',
        ends_at: posted.endsAt,
      }),
    );
    await t.http.get('/api/reports/renewals-due.csv').set('authorization', phone).expect(403);
    jest.restoreAllMocks();

    // Remy renews: the new end gets its own reminder, once, when it comes near.
    const renewed = (
      await record({ supporterId: emailed.supporterId, tier: 'digital', months: 2, method: 'cash' }).expect(201)
    ).body;
    expect(renewed.renewed).toBe(true);
    clockAt(new Date(new Date(renewed.endsAt).getTime() - 5 * DAY_MS));
    await reminders.run();
    await reminders.run();
    expect(await remindersTo('remy.reminded@example.com')).toHaveLength(2);
  });

  it('bad input is a 4xx naming the field and changes nothing', async () => {
    const before = await counts();
    const cases: Array<[object, number, string, string?]> = [
      [{ supporter: { name: 'Bad' }, tier: 'digital' }, 400, 'method'],
      [{ supporter: { name: 'Bad' }, tier: 'digital', method: 'card' }, 400, 'method'],
      [{ supporter: { name: 'Bad' }, tier: 'gold', method: 'cash' }, 400, 'tier', 'UNKNOWN_TIER'],
      [{ supporter: { name: 'Bad' }, tier: 'digital', method: 'cash', months: 0 }, 400, 'months'],
      [{ supporter: { name: 'Bad' }, tier: 'digital', method: 'cash', amount: 2.5 }, 400, 'amount'],
      [
        { supporter: { name: 'Bad' }, tier: 'digital', method: 'cash', amount: 5000 },
        422,
        'amount',
        'OFFLINE_AMOUNT_MISMATCH',
      ],
      [
        { supporter: { name: 'No Address' }, tier: 'print', method: 'cash' },
        400,
        'deliveryAddress',
        'DELIVERY_ADDRESS_REQUIRED',
      ],
      [
        {
          supporter: { name: 'Bad' },
          tier: 'print',
          method: 'cash',
          deliveryAddress: { ...ADDRESS, country: 'Australia' },
        },
        400,
        'deliveryAddress.country',
      ],
      [{ tier: 'digital', method: 'cash' }, 400, 'supporter'],
    ];
    for (const [body, status, field, code] of cases) {
      const res = await record(body);
      expect({ body, status: res.status, field: res.body.field }).toEqual({ body, status, field });
      if (code) expect(res.body.code).toBe(code);
    }
    const noKey = await record({ supporter: { name: 'Bad' }, tier: 'digital', method: 'cash' }, { key: null }).expect(
      400,
    );
    expect(noKey.body.field).toBe('Idempotency-Key');
    const comp = (b: object) => t.http.post('/api/complimentary-subscriptions').set('authorization', admin).send(b);
    for (const [b, field] of [
      [{ supporter: { name: 'Bad' }, tier: 'digital' }, 'reason'],
      [{ supporter: { name: 'Bad' }, tier: 'digital', reason: 'library', endsOn: '2026-02-30' }, 'endsOn'],
      [{ supporter: { name: 'Bad' }, tier: 'digital', reason: 'library', endsOn: '2001-01-01' }, 'endsOn'],
      [{ supporter: { name: 'Bad' }, tier: 'digital', reason: 'library', endsOn: 'soon' }, 'endsOn'],
      [{ supporter: { name: 'Bad' }, tier: 'print', reason: 'library' }, 'deliveryAddress'],
    ] as Array<[object, string]>) {
      const res = await comp(b).expect(400);
      expect({ b, field: res.body.field }).toEqual({ b, field });
    }
    await t.http
      .post('/api/complimentary-subscriptions/not-a-uuid/end')
      .set('authorization', admin)
      .send({ reason: 'whatever' })
      .expect(404);
    expect(await counts()).toEqual(before);
  });
});
