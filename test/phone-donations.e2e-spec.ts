import { signedIn } from './support/staff';
import { startTestApp, type TestContext, waitFor, eventuallyEqual, ledgerRaised } from './support/test-app';

describe('the phone line: donations taken over the 1800 number', () => {
  let t: TestContext;
  let phone: string;

  beforeAll(async () => {
    t = await startTestApp();
    phone = await signedIn(t, 'phone');
  });
  afterAll(async () => {
    await t?.close();
  });

  const raised = async () => (await t.http.get('/api/campaigns/current/progress').expect(200)).body.raised as number;
  const post = (key: string | null, body: unknown) => {
    const req = t.http.post('/api/phone-donations').set('authorization', phone);
    return (key ? req.set('idempotency-key', key) : req).send(body as object);
  };
  const cash = {
    supporter: { name: 'Margaret Caller', email: 'margaret@example.com', phone: '+61 2 5550 1234' },
    amount: 5000,
    method: 'cash',
    reference: 'R-1001',
    note: 'called after the appeal',
  };

  it('a cash donation is recorded on the phone channel at once, moves progress, is audited and receipted', async () => {
    const before = await ledgerRaised(t);
    const res = await post('call-0001-cash', cash).expect(201);
    expect(res.body).toMatchObject({
      method: 'cash',
      status: 'recorded',
      amount: 5000,
      currency: 'AUD',
      campaign: 'fighting-fund',
      reference: 'R-1001',
      receiptEmailed: true, // the operator sees the receipt is on its way
    });
    await eventuallyEqual(raised, before + 5000);
    const [entry] = await t.query<{
      channel: string;
      method: string;
      fee: string;
      staff_id: string;
      reference: string;
    }>(`SELECT * FROM ledger_entries WHERE id = $1`, [res.body.id]);
    expect(entry).toMatchObject({ channel: 'phone', method: 'cash', fee: '0', reference: 'R-1001' });
    expect(entry.staff_id).toBeTruthy();
    const audit = await t.query(`SELECT * FROM audit_log WHERE action = 'phone_donation.create' AND entity_id = $1`, [
      res.body.id,
    ]);
    expect(audit).toHaveLength(1);
    const mails = await t.query<{ subject: string }>(
      `SELECT subject FROM emails WHERE to_address = 'margaret@example.com' AND kind = 'receipt'`,
    );
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain('$50.00');
  });

  it('a double submit and a retry answer the first response; another body under the same key is refused', async () => {
    const body = { ...cash, amount: 2000, reference: 'R-2002' };
    const first = await post('call-0002-double', body).expect(201);
    const second = await post('call-0002-double', body).expect(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const other = await post('call-0002-double', { ...body, amount: 2001 }).expect(422);
    expect(other.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
    expect(await t.query(`SELECT 1 FROM ledger_entries WHERE reference = 'R-2002'`)).toHaveLength(1);
  });

  it('20 concurrent requests with one key create one entry', async () => {
    const body = { ...cash, amount: 3000, reference: 'R-3003' };
    const results = await Promise.all(Array.from({ length: 20 }, () => post('call-0003-concurrent', body)));
    for (const r of results) expect([201, 409]).toContain(r.status);
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(await t.query(`SELECT 1 FROM ledger_entries WHERE reference = 'R-3003'`)).toHaveLength(1);
    const retry = await post('call-0003-concurrent', body).expect(201);
    expect(ids.has(retry.body.id)).toBe(true);
  });

  it('keys belong to the operator: the same key from another operator is a new request, each replays its own answer', async () => {
    const other = await signedIn(t, 'phone');
    const postAs = (who: string, body: unknown) =>
      t.http
        .post('/api/phone-donations')
        .set('authorization', who)
        .set('idempotency-key', 'shared-key-0001')
        .send(body as object);
    const mine = await postAs(phone, { ...cash, amount: 1100, reference: 'R-1100' }).expect(201);
    const theirs = await postAs(other, { ...cash, amount: 1200, reference: 'R-1200' }).expect(201);
    expect(theirs.headers['idempotent-replayed']).toBe('false');
    expect(theirs.body).toMatchObject({ amount: 1200, reference: 'R-1200' });
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect((await postAs(phone, { ...cash, amount: 1100, reference: 'R-1100' }).expect(201)).body).toEqual(mine.body);
    expect((await postAs(other, { ...cash, amount: 1200, reference: 'R-1200' }).expect(201)).body).toEqual(theirs.body);
    expect((await postAs(other, { ...cash, amount: 1100, reference: 'R-1100' }).expect(422)).body.code).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect(await t.query(`SELECT 1 FROM ledger_entries WHERE reference IN ('R-1100', 'R-1200')`)).toHaveLength(2);
  });

  it('a key that is too short says so (not "required")', async () => {
    const res = await post('short', cash).expect(400);
    expect(res.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID', field: 'Idempotency-Key' });
    expect(res.body.message).toMatch(/too short/);
    expect(res.body.message).not.toMatch(/required/);
    expect((await post(null, cash).expect(400)).body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it('a card donation by phone: the caller pays on Checkout, recorded once on the phone channel', async () => {
    const before = await ledgerRaised(t);
    const res = await post('call-0004-card', {
      supporter: { name: 'Card Caller', email: 'card.caller@example.com' },
      amount: 2500,
      method: 'card',
    }).expect(201);
    expect(res.body).toMatchObject({ method: 'card', status: 'open', emailedTo: 'card.caller@example.com' });
    expect(res.body.checkoutUrl.startsWith(t.sim.url)).toBe(true);
    await post('call-0004-card', {
      supporter: { name: 'Card Caller', email: 'card.caller@example.com' },
      amount: 2500,
      method: 'card',
    }).expect(201);
    const pay = await fetch(`${res.body.checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
    expect(pay.status).toBe(303);
    const rows = await waitFor(
      async () => {
        const r = await t.query<{ channel: string; kind: string; gross: string }>(
          `SELECT * FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`,
          [res.body.id],
        );
        return r.length ? r : null;
      },
      10000,
      'card payment',
    );
    await t.sim.idle();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'phone', gross: '2500' });
    await eventuallyEqual(raised, before + 2500);
    expect(await t.query(`SELECT 1 FROM checkouts WHERE email = 'card.caller@example.com'`)).toHaveLength(1);
  });

  it('bad input: no key, a caller without a name, card without an email, monthly cash — 4xx naming the field, nothing written', async () => {
    await t.settled(); // the card payment's late fee, from the test before, is in
    const [{ count: before }] = await t.query<{ count: string }>(`SELECT count(*) FROM ledger_entries`);
    expect((await post(null, cash).expect(400)).body.field).toBe('Idempotency-Key');
    expect(
      (await post('call-0005-bad-a', { ...cash, supporter: { email: 'x@example.com' } }).expect(400)).body.field,
    ).toBe('supporter.name');
    expect(
      (await post('call-0005-bad-b', { ...cash, method: 'card', supporter: { name: 'No Email' } }).expect(400)).body
        .field,
    ).toBe('supporter.email');
    expect((await post('call-0005-bad-c', { ...cash, frequency: 'monthly' }).expect(400)).body.field).toBe('frequency');
    expect((await post('call-0005-bad-d', { ...cash, amount: 12.5 }).expect(400)).body.field).toBe('amount');
    expect((await post('call-0005-bad-e', { ...cash, method: 'bitcoin' }).expect(400)).body.field).toBe('method');
    const [{ count: after }] = await t.query<{ count: string }>(`SELECT count(*) FROM ledger_entries`);
    expect(after).toBe(before);
    // A key whose request failed validation in the service is free again.
    await post('call-0005-bad-c', cash).expect(201);
  });

  it('a cash entry made in error is reversed: the original untouched, a negative entry beside it, progress reduced, audited', async () => {
    const finance = await signedIn(t, 'finance');
    const before = await ledgerRaised(t);
    const res = await post('call-0007-mistake', { ...cash, amount: 7000, reference: 'R-7007' }).expect(201);
    await eventuallyEqual(raised, before + 7000);
    const [original] = await t.query(`SELECT * FROM ledger_entries WHERE id = $1`, [res.body.id]);
    await t.http
      .post(`/api/ledger-entries/${res.body.id}/reversal`)
      .set('authorization', phone)
      .send({ reason: 'typed twice' })
      .expect(403);
    const rev = await t.http
      .post(`/api/ledger-entries/${res.body.id}/reversal`)
      .set('authorization', finance)
      .send({ reason: 'typed twice' })
      .expect(201);
    expect(rev.body).toMatchObject({ reverses: res.body.id, gross: -7000 });
    await eventuallyEqual(raised, before);
    expect((await t.query(`SELECT * FROM ledger_entries WHERE id = $1`, [res.body.id]))[0]).toEqual(original);
    const [reversal] = await t.query<{ kind: string; reverses_entry_id: string; description: string }>(
      `SELECT * FROM ledger_entries WHERE id = $1`,
      [rev.body.id],
    );
    expect(reversal).toMatchObject({
      kind: 'reversal',
      reverses_entry_id: res.body.id,
      description: 'Reversal: typed twice',
    });
    expect(
      (
        await t.http
          .post(`/api/ledger-entries/${res.body.id}/reversal`)
          .set('authorization', finance)
          .send({ reason: 'again' })
          .expect(409)
      ).body.code,
    ).toBe('ALREADY_REVERSED');
    expect(
      (
        await t.http
          .post(`/api/ledger-entries/${res.body.id}/reversal`)
          .set('authorization', finance)
          .send({})
          .expect(400)
      ).body.field,
    ).toBe('reason');
    expect(
      await t.query(`SELECT 1 FROM audit_log WHERE action = 'ledger.reverse' AND entity_id = $1`, [res.body.id]),
    ).toHaveLength(1);
  });

  it('finance refunds part of a card payment through Stripe: a negative entry arrives by webhook, the payment untouched', async () => {
    const finance = await signedIn(t, 'finance');
    const res = await post('call-0008-card', {
      supporter: { name: 'Refund Me', email: 'refund.me@example.com' },
      amount: 4000,
      method: 'card',
    }).expect(201);
    await fetch(`${res.body.checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' });
    const [payment] = await waitFor(
      async () => {
        const r = await t.query<{ id: string }>(
          `SELECT * FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`,
          [res.body.id],
        );
        return r.length ? r : null;
      },
      10000,
      'card payment',
    );
    await t.sim.idle();
    const before = await ledgerRaised(t);
    const original = (await t.query(`SELECT * FROM ledger_entries WHERE id = $1`, [payment.id]))[0];
    const refund = () =>
      t.http
        .post(`/api/ledger-entries/${payment.id}/refund`)
        .set('authorization', finance)
        .set('idempotency-key', 'refund-0008-a');
    const r1 = await refund().send({ amount: 1500, reason: 'requested_by_customer' }).expect(202);
    const r2 = await refund().send({ amount: 1500, reason: 'requested_by_customer' }).expect(202);
    expect(r2.body.refundId).toBe(r1.body.refundId);
    const tooMuch = await t.http
      .post(`/api/ledger-entries/${payment.id}/refund`)
      .set('authorization', finance)
      .set('idempotency-key', 'refund-0008-b')
      .send({ amount: 5000, reason: 'requested_by_customer' })
      .expect(400);
    expect(tooMuch.body).toMatchObject({ code: 'REFUND_REJECTED', field: 'amount' });
    const refunds = await waitFor(
      async () => {
        const r = await t.query<{ gross: string; reverses_entry_id: string }>(
          `SELECT * FROM ledger_entries WHERE reverses_entry_id = $1 AND kind = 'refund'`,
          [payment.id],
        );
        return r.length ? r : null;
      },
      10000,
      'refund entry',
    );
    await t.sim.idle();
    expect(refunds.map((r) => r.gross)).toEqual(['-1500']);
    await eventuallyEqual(raised, before - 1500);
    expect((await t.query(`SELECT * FROM ledger_entries WHERE id = $1`, [payment.id]))[0]).toEqual(original);
    // The replay answered the stored answer: audited once.
    expect(
      await t.query(`SELECT 1 FROM audit_log WHERE action = 'payment.refund' AND entity_id = $1`, [payment.id]),
    ).toHaveLength(1);
  });

  it('monthly giving and a print subscription started by phone: Checkout links, paid, on the phone channel', async () => {
    const monthly = await post('call-0009-monthly', {
      supporter: { name: 'Monthly Caller', email: 'monthly.caller@example.com' },
      amount: 1500,
      method: 'card',
      frequency: 'monthly',
    }).expect(201);
    const sub = await t.http
      .post('/api/phone-subscriptions')
      .set('authorization', phone)
      .send({
        tier: 'print',
        billing: 'monthly',
        email: 'print.caller@example.com',
        name: 'Print Caller',
        deliveryAddress: { line1: '2 Post St', city: 'Hobart', state: 'TAS', postalCode: '7000', country: 'AU' },
      })
      .expect(201);
    for (const url of [monthly.body.checkoutUrl, sub.body.checkoutUrl]) {
      await fetch(`${url}/pay`, { method: 'POST', redirect: 'manual' });
    }
    for (const [checkoutId, type] of [
      [monthly.body.id, 'monthly_donation'],
      [sub.body.id, 'subscription'],
    ]) {
      const rows = await waitFor(
        async () => {
          const r = await t.query<{ channel: string; type: string }>(
            `SELECT * FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`,
            [checkoutId],
          );
          return r.length ? r : null;
        },
        10000,
        `${type} by phone`,
      );
      expect(rows).toEqual([expect.objectContaining({ channel: 'phone', type })]);
    }
    await t.sim.idle();
    expect(
      await t.query(`SELECT 1 FROM audit_log WHERE action = 'phone_subscription.card_link' AND entity_id = $1`, [
        sub.body.id,
      ]),
    ).toHaveLength(1);
  });

  it('a caller with no email is recorded as a supporter of their own', async () => {
    const res = await post('call-0006-noemail', {
      supporter: { name: 'Cash Only', phone: '0400 000 000' },
      amount: 1000,
      method: 'cheque',
      reference: 'CHQ 000123',
    }).expect(201);
    expect(res.body.receiptEmailed).toBe(false); // no email on file: the operator knows none was sent
    const [s] = await t.query<{ email: string | null; name: string; phone: string }>(
      `SELECT * FROM supporters WHERE id = $1`,
      [res.body.supporterId],
    );
    expect(s).toMatchObject({ email: null, name: 'Cash Only', phone: '0400 000 000' });
    // Found again by phone number, postcode-free, before anyone creates a duplicate.
    const found = (await t.http.get('/api/supporters').query({ q: '0400 000' }).set('authorization', phone).expect(200))
      .body;
    expect(found.map((f: { id: string }) => f.id)).toContain(res.body.supporterId);
    // Money is a number of minor units in every answer, never a string.
    expect(found.find((f: { id: string }) => f.id === res.body.supporterId)).toMatchObject({ totalGiven: 1000 });
    const history = (
      await t.http.get(`/api/supporters/${res.body.supporterId}`).set('authorization', phone).expect(200)
    ).body;
    expect(history.payments).toEqual([
      expect.objectContaining({ kind: 'payment', method: 'cheque', gross: 1000, reference: 'CHQ 000123' }),
    ]);
    expect(
      (await t.http.get('/api/supporters').query({ q: 'x' }).set('authorization', phone).expect(400)).body.field,
    ).toBe('q');
  });
});
