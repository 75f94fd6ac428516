import { todayIn } from '@app/reports';
import { cardProcessingFee } from '@app/stripe-simulator';
import { parseCsv } from './support/csv';
import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

const fee = cardProcessingFee;
const localDate = (unix: number) => todayIn('Australia/Sydney', new Date(unix * 1000));

interface Payout {
  id: string;
  amount: number;
  arrival_date: number;
}

describe('reconciliation: Stripe payouts matched against the ledger', () => {
  let t: TestContext;
  let finance: string;

  beforeAll(async () => {
    t = await startTestApp();
    finance = await signedIn(t, 'finance');
  });
  afterAll(async () => {
    await t?.close();
  });

  const reconcile = async (query: Record<string, string>) =>
    (await t.http.get('/api/reports/reconciliation').query(query).set('authorization', finance).expect(200)).body;

  it('a payout that matches has no differences; a payment missing from the ledger, a wrong fee and a ledger-only entry are each found', async () => {
    const a = await paidDonation(t, 5000, { email: 'rec.a@example.com' });
    await paidDonation(t, 2500, { email: 'rec.b@example.com' });
    await t.stripe.refunds.create({ charge: a.chargeId, amount: 1000 });
    await waitFor(
      async () => (await t.query(`SELECT 1 FROM ledger_entries WHERE kind = 'refund'`)).length === 1,
      10000,
      'refund entry',
    );
    await t.sim.idle();

    const first = await simControl<Payout>(t.sim, 'POST', '/_simulator/payouts', { all: true });
    expect(first.amount).toBe(5000 - fee(5000) + 2500 - fee(2500) - 1000);
    const clean = await reconcile({ payout: first.id });
    expect(clean.payouts).toEqual([
      expect.objectContaining({
        payoutId: first.id,
        amount: first.amount,
        currency: 'AUD',
        transactions: 3,
        matched: 3,
        differences: [],
        stripe: { amount: 6500, fee: fee(5000) + fee(2500), net: first.amount },
      }),
    ]);
    expect(clean.unmatchedLedgerEntries).toEqual([]);
    expect(clean.differences).toBe(0);
    // The matched transactions, each with its ledger entries and their supporter (the console links to both).
    const [aPayment] = await t.query<{ supporter_id: string }>(
      `SELECT supporter_id FROM ledger_entries WHERE id = $1`,
      [a.paymentId],
    );
    expect(aPayment.supporter_id).toEqual(expect.any(String));
    const matchedCharge = clean.payouts[0].matchedTransactions.find((m: { source: string }) => m.source === a.chargeId);
    expect(matchedCharge).toMatchObject({
      type: 'charge',
      amount: 5000,
      fee: fee(5000),
      entryId: a.paymentId,
      supporterId: aPayment.supporter_id,
    });
    expect(matchedCharge.ledgerEntryIds).toContain(a.paymentId);
    expect(clean.payouts[0].matchedTransactions).toHaveLength(3);
    expect(clean.payouts[0].matchedTransactions.find((m: { type: string }) => m.type === 'refund')).toMatchObject({
      amount: -1000,
      ledgerEntryIds: [expect.any(String)],
    });

    // A fee recorded wrong: an extra fee entry for a charge whose real fee is already in the ledger.
    const d = await paidDonation(t, 3000, { email: 'rec.d@example.com' });
    const [payment] = await t.query<{ occurred_at: Date }>(`SELECT occurred_at FROM ledger_entries WHERE id = $1`, [
      d.paymentId,
    ]);
    await t.query(
      `INSERT INTO ledger_entries (idempotency_key, kind, type, channel, method, gross, fee, net, currency, occurred_at, stripe_charge_id)
       VALUES ('test:doctored-fee', 'fee', 'donation', 'online', 'card', 0, 15, -15, 'AUD', $1, $2)`,
      [payment.occurred_at, d.chargeId],
    );
    // A payment the ledger never heard of: paid while no webhook reached us.
    t.sim.configureWebhook({ enabled: false });
    const { id: missingCheckout } = (
      await t.http
        .post('/api/donations')
        .send({ amount: 4000, frequency: 'one_off', email: 'rec.c@example.com' })
        .expect(201)
    ).body;
    const [{ stripe_session_id: sessionId }] = await t.query<{ stripe_session_id: string }>(
      `SELECT stripe_session_id FROM checkouts WHERE id = $1`,
      [missingCheckout],
    );
    await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${sessionId}/complete`);
    await t.sim.idle();
    const missingCharge = (await t.stripe.charges.list({ limit: 1 })).data[0];
    expect(missingCharge.amount).toBe(4000);
    expect(await t.query(`SELECT 1 FROM ledger_entries WHERE stripe_charge_id = $1`, [missingCharge.id])).toEqual([]);
    // And a ledger entry claiming a Stripe charge that Stripe never paid out.
    await t.query(
      `INSERT INTO ledger_entries (idempotency_key, kind, type, channel, method, gross, fee, net, currency, occurred_at, stripe_charge_id)
       VALUES ('test:ghost', 'payment', 'donation', 'online', 'card', 999, 47, 952, 'AUD', $1, 'ch_ghost')`,
      [payment.occurred_at],
    );

    const second = await simControl<Payout>(t.sim, 'POST', '/_simulator/payouts', { all: true });
    t.sim.configureWebhook({ enabled: true });
    const report = await reconcile({ payout: second.id });
    const [p] = report.payouts;
    expect(p).toMatchObject({ payoutId: second.id, transactions: 2, matched: 0, matchedTransactions: [] });
    expect(p.differences).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          problem: 'missing_in_ledger',
          source: missingCharge.id,
          type: 'charge',
          stripeAmount: 4000,
          stripeFee: fee(4000),
          ledgerEntryIds: [],
        }),
        expect.objectContaining({
          problem: 'fee_mismatch',
          source: d.chargeId,
          stripeAmount: 3000,
          ledgerAmount: 3000,
          stripeFee: fee(3000),
          ledgerFee: fee(3000) + 15,
        }),
      ]),
    );
    expect(p.differences).toHaveLength(2);
    expect(report.unmatchedLedgerEntries).toEqual([
      expect.objectContaining({ problem: 'missing_in_stripe', source: 'ch_ghost', ledgerAmount: 999 }),
    ]);

    // By the local day the payouts arrived: both, the differences of each.
    const day = localDate(second.arrival_date);
    const both = await reconcile({ from: localDate(first.arrival_date), to: day });
    expect(both.payouts.map((x: { payoutId: string }) => x.payoutId)).toEqual([first.id, second.id]);
    expect(both.differences).toBe(3);

    const csv = await t.http
      .get('/api/reports/reconciliation.csv')
      .query({ payout: second.id })
      .set('authorization', finance)
      .expect(200);
    const rows = parseCsv(csv.text);
    expect(rows[0]).toEqual([
      'problem',
      'payout_id',
      'balance_transaction_id',
      'source',
      'type',
      'stripe_amount',
      'ledger_amount',
      'stripe_fee',
      'ledger_fee',
      'ledger_entry_ids',
      'note',
    ]);
    expect(
      rows
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['fee_mismatch', 'missing_in_ledger', 'missing_in_stripe']);
  });

  it('an unknown payout is a 404 naming it; a malformed one or a missing range a 400', async () => {
    const res = await t.http
      .get('/api/reports/reconciliation')
      .query({ payout: 'po_doesnotexist' })
      .set('authorization', finance)
      .expect(404);
    expect(res.body).toMatchObject({ code: 'PAYOUT_NOT_FOUND', field: 'payout' });
    expect(
      (
        await t.http
          .get('/api/reports/reconciliation')
          .query({ payout: 'nope' })
          .set('authorization', finance)
          .expect(400)
      ).body.field,
    ).toBe('payout');
    expect(
      (
        await t.http
          .get('/api/reports/reconciliation')
          .query({ to: '2026-01-01' })
          .set('authorization', finance)
          .expect(400)
      ).body.field,
    ).toBe('from');
  });
});
