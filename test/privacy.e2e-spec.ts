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
    });

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

  it('the audit log still refuses edits and deletions outside an erasure', async () => {
    await expect(t.query(`UPDATE audit_log SET after = '{}'::jsonb`)).rejects.toThrow(/append-only/);
    await expect(t.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });
});
