import { parseCsv } from './support/csv';
import { ReceiptIssuer } from '@app/receipts';
import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { startTestApp, type TestContext } from './support/test-app';

/**
 * Privacy requests (Australian Privacy Principles): export everything held about a supporter,
 * and erase their personal data while the ledger and every total stay as they were.
 */
describe('privacy: export and erasure of a supporter (real PostgreSQL, simulator over HTTP)', () => {
  let t: TestContext;
  let admin: string;
  let finance: string;
  let phone: string;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, finance, phone] = await Promise.all([signedIn(t, 'admin'), signedIn(t, 'finance'), signedIn(t, 'phone')]);
  });
  afterAll(() => t?.close());

  const gwen = {
    name: 'Gwen Caller',
    email: 'Gwen.Caller@example.com',
    phone: '+61 2 5550 1111',
    address: { line1: '12 Quokka Street', city: 'Sydney', state: 'NSW', postalCode: '2000', country: 'AU' },
  };
  /** Every way Gwen could be found in a stored text. */
  const GWEN = /gwen|caller|5550 1111|quokka/i;

  const phoneGift = (key: string, supporter: object, amount: number) =>
    t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', key)
      // The note stays in the append-only ledger after an erasure: operators keep personal data out of it (README).
      .send({ supporter, amount, method: 'cash', note: 'rang about the appeal' })
      .expect(201);

  /** Every report and CSV a finance person reads, and the public progress. */
  const snapshot = async () => {
    const today = new Date().toISOString().slice(0, 10);
    const from = '2020-01-01';
    const to = '2030-12-31';
    const get = (path: string, query: Record<string, unknown> = {}) =>
      t.http.get(path).query(query).set('authorization', finance).expect(200);
    const range = { from, to, interval: 'month' };
    return {
      today,
      summary: (await get('/api/reports/summary', range)).body,
      summaryCsv: (await get('/api/reports/summary.csv', range)).text,
      ledgerCsv: (await get('/api/reports/ledger.csv', { from, to })).text,
      supporters: (await get('/api/reports/supporters', { ...range, top: 10 })).body,
      topCsv: (await get('/api/reports/top-supporters.csv', { ...range, top: 10 })).text,
      progress: (await t.http.get('/api/campaigns/current/progress').expect(200)).body,
    };
  };

  it('exports everything about a supporter (finance, admin; audited), then erases them (admin; idempotent): tombstone, Stripe customer deleted, emails and audit scrubbed, every report total unchanged and "erased supporter" shown', async () => {
    // Gwen gives online (a Stripe customer) and by phone (a receipt email, an audit entry with her details).
    const online = await paidDonation(t, 2500, { email: gwen.email });
    const cash = (await phoneGift('privacy-gwen-1', gwen, 4000)).body;
    // The online payment's receipt is issued after its webhook: have it now.
    await t.app.get(ReceiptIssuer).drain();
    // Someone else, whose data must stay.
    const other = (await phoneGift('privacy-other-1', { name: 'Olive Other', email: 'olive@example.com' }, 1500)).body;
    await t.settled();
    const [{ id, stripe_customer_id: customer }] = await t.query<{ id: string; stripe_customer_id: string }>(
      `SELECT id, stripe_customer_id FROM supporters WHERE lower(email) = lower($1)`,
      [gwen.email],
    );
    expect(cash.supporterId).toBe(id);
    expect(customer).toMatch(/^cus_/);
    const before = await snapshot();
    expect(before.supporters.top.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining(['Gwen Caller', 'Olive Other']),
    );

    // Export: finance and admin only.
    await t.http.get(`/api/supporters/${id}/export`).set('authorization', phone).expect(403);
    await t.http
      .get('/api/supporters/00000000-0000-4000-8000-000000000000/export')
      .set('authorization', finance)
      .expect(404);
    const exported = (await t.http.get(`/api/supporters/${id}/export`).set('authorization', finance).expect(200)).body;
    expect(exported.supporter).toMatchObject({
      id,
      name: gwen.name,
      email: gwen.email,
      phone: gwen.phone,
      address: gwen.address,
      stripeCustomerId: customer,
      erasedAt: null,
    });
    expect(exported.payments.filter((p: { kind: string }) => p.kind === 'payment')).toEqual([
      expect.objectContaining({
        id: online.paymentId,
        gross: 2500,
        channel: 'online',
        stripeChargeId: online.chargeId,
      }),
      expect.objectContaining({ id: cash.id, gross: 4000, channel: 'phone', method: 'cash' }),
    ]);
    expect(exported.checkouts).toEqual([
      expect.objectContaining({ id: online.checkoutId, amount: 2500, status: 'complete' }),
    ]);
    // Her two receipts (the online one, issued after its webhook, may come second).
    expect(exported.emails).toHaveLength(2);
    expect(exported.emails).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'receipt', to: gwen.email, body: expect.stringContaining('Dear Gwen Caller') }),
        expect.objectContaining({
          kind: 'receipt',
          to: gwen.email,
          body: expect.stringContaining('$25.00 AUD by card'),
        }),
      ]),
    );
    expect(exported.auditEntries).toEqual([
      expect.objectContaining({
        action: 'phone_donation.create',
        entityId: cash.id,
        after: expect.objectContaining({ supporter: gwen }),
      }),
    ]);
    expect(JSON.stringify(exported)).not.toContain('olive@example.com');
    const [exportAudit] = await t.query<{ actor: string; after: Record<string, number> }>(
      `SELECT actor, after FROM audit_log WHERE action = 'supporter.export' AND entity_id = $1`,
      [id],
    );
    // Her ledger entries: the online payment, the cash gift, and the online payment's fee when it
    // came as an entry of its own (whether it does depends on the order Stripe's events arrive in).
    const [{ n: entries }] = await t.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ledger_entries WHERE supporter_id = $1`,
      [id],
    );
    expect(entries).toBeGreaterThanOrEqual(2);
    expect(exportAudit.after).toEqual({
      payments: entries,
      subscriptions: 0,
      checkouts: 1,
      emails: 2,
      auditEntries: 1,
      printIssues: 0,
      mergedRecords: 0,
    });
    expect(exported.merged).toEqual([]);

    // Her record's other data (supporter records): notes, a second phone, a former email.
    await t.http
      .patch(`/api/supporters/${id}`)
      .set('authorization', phone)
      .send({ notes: 'Prefers calls after 5pm (Gwen)', phones: ['02 5550 1111', '0412 345 678'] })
      .expect(200);
    await t.query(`INSERT INTO supporter_email_history (supporter_id, email) VALUES ($1, 'gwen.old@example.com')`, [
      id,
    ]);

    // A complimentary subscription whose reason names her (free text staff write).
    await t.http
      .post('/api/complimentary-subscriptions')
      .set('authorization', admin)
      .send({ supporterId: id, tier: 'digital', reason: 'Gwen Caller writes our Quokka Street column' })
      .expect(201);

    // Erasure: admin only, with a reason.
    await t.http
      .post(`/api/supporters/${id}/erasure`)
      .set('authorization', finance)
      .send({ reason: 'asked by email' })
      .expect(403);
    const eraseGwen = async () =>
      (
        await t.http
          .post(`/api/supporters/${id}/erasure`)
          .set('authorization', admin)
          .send({ reason: 'request by email, identity checked' })
          .expect(200)
      ).body;
    const noReason = await t.http
      .post(`/api/supporters/${id}/erasure`)
      .set('authorization', admin)
      .send({})
      .expect(400);
    expect(noReason.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'reason' });
    const erased = await eraseGwen();
    expect(erased).toMatchObject({
      supporterId: id,
      alreadyErased: false,
      stripeCustomersDeleted: [customer],
      emailsScrubbed: 2,
      checkoutsScrubbed: 1,
      deliveryAddressesErased: 0,
    });
    expect(erased.auditEntriesScrubbed).toBeGreaterThanOrEqual(1);
    // Through the Stripe seam: the customer is gone on Stripe.
    expect(await t.stripe.customers.retrieve(customer)).toEqual({ id: customer, object: 'customer', deleted: true });
    await t.settled();
    // customer.deleted reached the inbox and nothing failed over it.
    expect(
      await t.query(`SELECT id FROM stripe_events WHERE type = 'customer.deleted' AND processed_at IS NOT NULL`),
    ).toHaveLength(1);
    expect(await t.query(`SELECT id FROM stripe_events WHERE last_error IS NOT NULL`)).toEqual([]);

    // The tombstone; nothing of Gwen is left in the tables we keep her in.
    const [row] = await t.query(`SELECT name, email, phone, address, erased_at FROM supporters WHERE id = $1`, [id]);
    expect(row).toMatchObject({ name: 'erased supporter', email: null, phone: null, address: null });
    expect(row.erased_at).not.toBeNull();
    expect(await t.query(`SELECT notes FROM supporters WHERE id = $1`, [id])).toEqual([{ notes: null }]);
    expect(await t.query(`SELECT number FROM supporter_phones WHERE supporter_id = $1`, [id])).toEqual([]);
    expect(await t.query(`SELECT email FROM supporter_email_history WHERE supporter_id = $1`, [id])).toEqual([]);
    for (const [table, columns] of [
      ['supporters', 'name, email, phone, address'],
      ['emails', 'to_address, subject, body, html'],
      ['receipts', 'emailed_to, description'],
      ['checkouts', 'email, name, delivery_address'],
      ['subscriptions', 'delivery_address, reason'],
      ['audit_log', 'before, after'],
    ]) {
      const rows = await t.query<{ t: string }>(`SELECT concat_ws(' ', ${columns})::text AS t FROM ${table}`);
      expect({ table, found: rows.map((r) => r.t).filter((text) => GWEN.test(text)) }).toEqual({ table, found: [] });
    }
    const [receipt] = await t.query(
      `SELECT to_address, subject, body, kind FROM emails WHERE kind = 'receipt' ORDER BY created_at LIMIT 1`,
    );
    expect(receipt).toEqual({ to_address: '[erased]', subject: '[erased]', body: '[erased]', kind: 'receipt' });
    // Olive is untouched.
    expect(await t.query(`SELECT name, email FROM supporters WHERE id = $1`, [other.supporterId])).toEqual([
      { name: 'Olive Other', email: 'olive@example.com' },
    ]);
    expect(await t.query(`SELECT 1 FROM emails WHERE to_address = 'olive@example.com'`)).toHaveLength(1);

    // Every total unchanged; reports and CSVs say "erased supporter".
    const after = await snapshot();
    expect(after.summary).toEqual(before.summary);
    expect(after.summaryCsv).toBe(before.summaryCsv);
    expect(after.ledgerCsv).toBe(before.ledgerCsv);
    expect(after.progress.raised).toBe(before.progress.raised);
    expect(after.progress.supporters).toBe(before.progress.supporters);
    expect(after.supporters.periods).toEqual(before.supporters.periods);
    const totals = (r: { top: Array<{ supporterId: string; given: number; payments: number }> }) =>
      r.top.map((s) => [s.supporterId, s.given, s.payments]);
    expect(totals(after.supporters)).toEqual(totals(before.supporters));
    expect(after.supporters.top.find((s: { supporterId: string }) => s.supporterId === id)).toMatchObject({
      name: 'erased supporter',
      email: null,
      given: 6500,
    });
    const top = parseCsv(after.topCsv);
    expect(top.find((r) => r[0] === id)?.slice(1, 4)).toEqual(['erased supporter', '', '6500']);
    expect(after.topCsv).not.toMatch(GWEN);
    expect(after.topCsv).toContain('olive@example.com');

    // Idempotent: a repeat does nothing again and answers the first erasure's time.
    const again = await eraseGwen();
    expect(again).toMatchObject({
      supporterId: id,
      alreadyErased: true,
      erasedAt: erased.erasedAt,
      stripeCustomersDeleted: [],
    });
    expect(
      await t.query(`SELECT 1 FROM audit_log WHERE action = 'supporter.erase' AND entity_id = $1`, [id]),
    ).toHaveLength(1);

    // An export after erasure: the tombstone, the payments as they were.
    const later = (await t.http.get(`/api/supporters/${id}/export`).set('authorization', admin).expect(200)).body;
    expect(later.supporter).toMatchObject({ name: 'erased supporter', email: null, erasedAt: erased.erasedAt });
    expect(later.payments).toEqual(exported.payments);
    expect(JSON.stringify(later)).not.toMatch(GWEN);
  });

  it('erasing a survivor erases the records merged into it: export has both records, grouped; every record tombstoned, every Stripe customer deleted, emails to the old address scrubbed, nothing left in the record or search; totals unchanged', async () => {
    /** Every way Mo could be found in a stored text, under either record. */
    const MO = /mo merged|mo new|mo\.old|mo\.new|5550 9898|0412 999 888|wombat/i;
    const search = async (q: string) =>
      (await t.http.get('/api/supporters').query({ q }).set('authorization', phone).expect(200)).body as Array<{
        id: string;
      }>;
    // An online donor (a Stripe customer, a receipt to mo.old@) and, later, a phone caller who is
    // the same person (a cash gift, then an online one under the new email: a second customer).
    const old = await paidDonation(t, 1000, { email: 'mo.old@example.com' });
    const cash = (
      await phoneGift(
        'privacy-mo-1',
        {
          name: 'Mo New',
          email: 'mo.new@example.com',
          phone: '02 5550 9898',
          address: { line1: '3 Wombat Way', city: 'Perth', state: 'WA', postalCode: '6000', country: 'AU' },
        },
        3000,
      )
    ).body;
    const online = await paidDonation(t, 2000, { email: 'mo.new@example.com' });
    await t.app.get(ReceiptIssuer).drain();
    await t.settled();
    const [oldRow] = await t.query<{ id: string; stripe_customer_id: string }>(
      `SELECT id, stripe_customer_id FROM supporters WHERE email = 'mo.old@example.com'`,
    );
    const [newRow] = await t.query<{ id: string; stripe_customer_id: string }>(
      `SELECT id, stripe_customer_id FROM supporters WHERE email = 'mo.new@example.com'`,
    );
    const survivor = newRow.id;
    expect(cash.supporterId).toBe(survivor);
    expect(oldRow.stripe_customer_id).toMatch(/^cus_/);
    expect(newRow.stripe_customer_id).toMatch(/^cus_/);
    expect(await t.query(`SELECT 1 FROM emails WHERE to_address = 'mo.old@example.com'`)).toHaveLength(1);
    await t.http
      .patch(`/api/supporters/${oldRow.id}`)
      .set('authorization', phone)
      .send({ name: 'Mo Merged', phones: ['0412 999 888'] })
      .expect(200);
    await t.http
      .post(`/api/supporters/${survivor}/merge`)
      .set('authorization', finance)
      .send({ from: oldRow.id })
      .expect(200);
    const before = await snapshot();

    // The export: the survivor's own holdings, and the merged record's under `merged`.
    const exported = (await t.http.get(`/api/supporters/${survivor}/export`).set('authorization', finance).expect(200))
      .body;
    const gross = (r: { payments: Array<{ kind: string; gross: number }> }) =>
      r.payments.filter((p) => p.kind === 'payment').map((p) => p.gross);
    expect(exported.supporter).toMatchObject({ id: survivor, name: 'Mo New', email: 'mo.new@example.com' });
    expect(exported).not.toHaveProperty('requestedId');
    expect(gross(exported).sort()).toEqual([2000, 3000]);
    expect(exported.merged).toHaveLength(1);
    const [mergedExport] = exported.merged;
    expect(mergedExport.supporter).toMatchObject({
      id: oldRow.id,
      name: 'Mo Merged',
      email: 'mo.old@example.com',
      stripeCustomerId: oldRow.stripe_customer_id,
      mergedInto: survivor,
      phones: [expect.objectContaining({ number: '0412 999 888' })],
    });
    expect(gross(mergedExport)).toEqual([1000]);
    expect(mergedExport.checkouts).toEqual([expect.objectContaining({ id: old.checkoutId, amount: 1000 })]);
    expect(mergedExport.emails).toEqual([expect.objectContaining({ kind: 'receipt', to: 'mo.old@example.com' })]);
    expect(mergedExport.auditEntries.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['supporter.update', 'supporter.merge']),
    );
    expect(mergedExport).not.toHaveProperty('merged');
    const [exportAudit] = await t.query<{ after: Record<string, number> }>(
      `SELECT after FROM audit_log WHERE action = 'supporter.export' AND entity_id = $1`,
      [survivor],
    );
    expect(exportAudit.after).toMatchObject({ mergedRecords: 1, checkouts: 2, emails: 3 });
    // A merged id exports its survivor's group, saying which id was asked for.
    const viaMerged = (await t.http.get(`/api/supporters/${oldRow.id}/export`).set('authorization', admin).expect(200))
      .body;
    expect(viaMerged).toMatchObject({ requestedId: oldRow.id, supporter: { id: survivor } });
    expect(viaMerged.merged.map((r: { supporter: { id: string } }) => r.supporter.id)).toEqual([oldRow.id]);

    // Erasure of the survivor takes the whole group.
    const erased = (
      await t.http
        .post(`/api/supporters/${survivor}/erasure`)
        .set('authorization', admin)
        .send({ reason: 'request by phone, identity checked' })
        .expect(200)
    ).body;
    expect(erased).toMatchObject({ supporterId: survivor, alreadyErased: false, checkoutsScrubbed: 2 });
    expect(erased.erasedSupporterIds.sort()).toEqual([survivor, oldRow.id].sort());
    expect(erased.stripeCustomersDeleted.sort()).toEqual([oldRow.stripe_customer_id, newRow.stripe_customer_id].sort());
    expect(erased.emailsScrubbed).toBe(3);
    for (const customer of [oldRow.stripe_customer_id, newRow.stripe_customer_id]) {
      expect(await t.stripe.customers.retrieve(customer)).toEqual({ id: customer, object: 'customer', deleted: true });
    }
    await t.settled();
    expect(await t.query(`SELECT id FROM stripe_events WHERE last_error IS NOT NULL`)).toEqual([]);

    // Both records are tombstones; nothing of Mo is left anywhere.
    const rows = await t.query(
      `SELECT id, name, email, phone, address, notes, erased_at IS NOT NULL AS erased FROM supporters WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [[survivor, oldRow.id].sort()],
    );
    expect(rows).toEqual(
      [survivor, oldRow.id].sort().map((id) => ({
        id,
        name: 'erased supporter',
        email: null,
        phone: null,
        address: null,
        notes: null,
        erased: true,
      })),
    );
    expect(
      await t.query(`SELECT number FROM supporter_phones WHERE supporter_id = ANY($1::uuid[])`, [
        [survivor, oldRow.id],
      ]),
    ).toEqual([]);
    for (const [table, columns] of [
      ['supporters', 'name, email, phone, address'],
      ['supporter_email_history', 'email'],
      ['emails', 'to_address, subject, body, html'],
      ['receipts', 'emailed_to, description'],
      ['checkouts', 'email, name, delivery_address'],
      ['subscriptions', 'delivery_address, reason'],
      ['audit_log', 'before, after'],
    ]) {
      const found = await t.query<{ t: string }>(`SELECT concat_ws(' ', ${columns})::text AS t FROM ${table}`);
      expect({ table, found: found.map((r) => r.t).filter((text) => MO.test(text)) }).toEqual({ table, found: [] });
    }
    // The record and the search show none of it.
    const record = (await t.http.get(`/api/supporters/${survivor}`).set('authorization', phone).expect(200)).body;
    expect(record.merged).toEqual([expect.objectContaining({ id: oldRow.id, name: 'erased supporter', email: null })]);
    expect(JSON.stringify(record)).not.toMatch(MO);
    for (const q of ['mo.old@example.com', 'mo.new@example.com', '0412 999 888', '0255509898', 'Mo Merged', 'Wombat']) {
      expect({ q, found: await search(q) }).toEqual({ q, found: [] });
    }
    // Each merged record's trail says it was erased with its survivor.
    expect(
      await t.query(`SELECT after FROM audit_log WHERE action = 'supporter.erase' AND entity_id = $1`, [oldRow.id]),
    ).toEqual([{ after: { erasedWith: survivor, reason: 'request by phone, identity checked' } }]);

    // The ledger and every total unchanged.
    const after = await snapshot();
    expect(after.summary).toEqual(before.summary);
    expect(after.summaryCsv).toBe(before.summaryCsv);
    expect(after.ledgerCsv).toBe(before.ledgerCsv);
    expect(after.progress).toEqual(before.progress);
    expect(after.supporters.periods).toEqual(before.supporters.periods);
    const totals = (r: { top: Array<{ supporterId: string; given: number; payments: number }> }) =>
      r.top.map((s) => [s.supporterId, s.given, s.payments]);
    expect(totals(after.supporters)).toEqual(totals(before.supporters));
    expect(after.supporters.top.find((s: { supporterId: string }) => s.supporterId === survivor)).toMatchObject({
      name: 'erased supporter',
      given: 6000,
    });
    expect(after.topCsv).not.toMatch(MO);
    expect(
      await t.query(`SELECT id::text FROM ledger_entries WHERE supporter_id = $1 AND kind = 'payment'`, [oldRow.id]),
    ).toEqual([{ id: old.paymentId }]);
    void online;

    // A repeat, by the merged id, answers the survivor's erasure and does nothing.
    const again = (
      await t.http
        .post(`/api/supporters/${oldRow.id}/erasure`)
        .set('authorization', admin)
        .send({ reason: 'asked again' })
        .expect(200)
    ).body;
    expect(again).toMatchObject({
      supporterId: survivor,
      requestedId: oldRow.id,
      alreadyErased: true,
      erasedAt: erased.erasedAt,
      erasedSupporterIds: [],
      stripeCustomersDeleted: [],
    });
  });

  it('erasing a merged record erases its survivor and the whole group', async () => {
    const a = (await phoneGift('privacy-pat-1', { name: 'Pat Pair', email: 'pat.one@example.com' }, 1200)).body;
    const b = (await phoneGift('privacy-pat-2', { name: 'Pat Pair', email: 'pat.two@example.com' }, 800)).body;
    const c = (await phoneGift('privacy-pat-3', { name: 'Pat Pair', email: 'pat.three@example.com' }, 500)).body;
    await t.settled();
    for (const from of [b.supporterId, c.supporterId]) {
      await t.http
        .post(`/api/supporters/${a.supporterId}/merge`)
        .set('authorization', finance)
        .send({ from })
        .expect(200);
    }
    const erased = (
      await t.http
        .post(`/api/supporters/${c.supporterId}/erasure`)
        .set('authorization', admin)
        .send({ reason: 'request by letter' })
        .expect(200)
    ).body;
    expect(erased).toMatchObject({ supporterId: a.supporterId, requestedId: c.supporterId, alreadyErased: false });
    expect(erased.erasedSupporterIds.sort()).toEqual([a.supporterId, b.supporterId, c.supporterId].sort());
    expect(
      await t.query(`SELECT name, email FROM supporters WHERE id = ANY($1::uuid[])`, [
        [a.supporterId, b.supporterId, c.supporterId],
      ]),
    ).toEqual(Array(3).fill({ name: 'erased supporter', email: null }));
    expect(await t.query(`SELECT 1 FROM emails WHERE to_address LIKE 'pat.%'`)).toEqual([]);
    expect(
      await t.query(`SELECT 1 FROM audit_log WHERE after::text ILIKE '%pat pair%' OR before::text ILIKE '%pat.%'`),
    ).toEqual([]);
  });

  it('the audit log still refuses edits and deletions outside an erasure', async () => {
    await expect(t.query(`UPDATE audit_log SET after = '{}'::jsonb`)).rejects.toThrow(/append-only/);
    await expect(t.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });
});
