import type Stripe from 'stripe';
import { cardProcessingFee } from '@app/stripe-simulator';
import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { eventuallyEqual, simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

interface Row {
  kind: string;
  gross: string;
  fee: string;
  net: string;
  currency: string;
  exchange_rate: string | null;
  stripe_balance_transaction_id: string | null;
}

/** The simulator's fixed rate: 1 USD = 1.50 AUD (see libs/stripe-simulator/src/core/settlement.ts). */
const USD_TO_AUD = 1.5;

/**
 * A service that takes US dollars on a Stripe account that settles in Australian dollars, like
 * an Australian account with Adaptive Pricing, or one whose CURRENCY is not its settlement
 * currency: every charge, refund and dispute is converted by Stripe. The ledger keeps each amount
 * in its own currency: the gross in the charge's (USD), the fee in the settlement currency (AUD)
 * with Stripe's exchange rate, on its own entry. Nothing is dropped, and reconciliation matches.
 */
describe('money settled in another currency: gross in the charge currency, fees in the settlement currency with the rate', () => {
  let t: TestContext;
  let finance: string;

  beforeAll(async () => {
    t = await startTestApp({ CURRENCY: 'USD' });
    finance = await signedIn(t, 'finance');
    const admin = await signedIn(t, 'admin');
    await t.http
      .post('/api/campaigns')
      .set('authorization', admin)
      .send({ slug: 'us-drive', title: 'US drive', target: 1000000, current: true })
      .expect(201);
  });
  afterAll(async () => {
    await t?.close();
  });

  const rows = (checkoutId: string) =>
    t.query<Row>(
      `SELECT kind, gross, fee, net, currency, exchange_rate, stripe_balance_transaction_id FROM ledger_entries WHERE checkout_id = $1 ORDER BY id`,
      [checkoutId],
    );
  const raised = async () => (await t.http.get('/api/campaigns/current/progress').expect(200)).body.raised as number;

  it('a USD charge settled in AUD and its refund: the USD gross, the AUD fee with the rate, the refund in USD; reconciliation in AUD has no differences', async () => {
    const { checkoutId, chargeId } = await paidDonation(t, 2000, { email: 'us.reader@example.com' });
    const settled = Math.round(2000 * USD_TO_AUD);
    const fee = cardProcessingFee(settled);
    const bt = (await t.stripe.charges.retrieve(chargeId, { expand: ['balance_transaction'] }))
      .balance_transaction as Stripe.BalanceTransaction;
    expect(bt).toMatchObject({ currency: 'aud', amount: settled, fee, exchange_rate: USD_TO_AUD });

    await waitFor(async () => (await rows(checkoutId)).some((r) => r.kind === 'fee'), 10000, 'the fee entry');
    expect(
      (await rows(checkoutId)).map((r) => ({
        ...r,
        exchange_rate: r.exchange_rate === null ? null : Number(r.exchange_rate),
      })),
    ).toEqual([
      {
        kind: 'payment',
        gross: '2000',
        fee: '0',
        net: '2000',
        currency: 'USD',
        exchange_rate: null,
        stripe_balance_transaction_id: null,
      },
      {
        kind: 'fee',
        gross: '0',
        fee: String(fee),
        net: String(-fee),
        currency: 'AUD',
        exchange_rate: USD_TO_AUD,
        stripe_balance_transaction_id: bt.id,
      },
    ]);
    await eventuallyEqual(raised, 2000);

    await t.stripe.refunds.create({ charge: chargeId });
    await waitFor(async () => (await rows(checkoutId)).some((r) => r.kind === 'refund'), 10000, 'the refund entry');
    await t.settled();
    const refundRow = (await rows(checkoutId)).find((r) => r.kind === 'refund')!;
    expect(refundRow).toMatchObject({ gross: '-2000', fee: '0', currency: 'USD' });
    expect(Number(refundRow.exchange_rate)).toBe(USD_TO_AUD);
    await eventuallyEqual(raised, 0);

    // A second payment, disputed and lost: the USD amount and the AUD dispute fee.
    const d = await paidDonation(t, 3000, { email: 'us.disputer@example.com' });
    const dispute = await simControl<Stripe.Dispute>(t.sim, 'POST', `/_simulator/charges/${d.chargeId}/dispute`, {});
    expect(dispute.balance_transactions[0]).toMatchObject({
      currency: 'aud',
      amount: -4500,
      fee: 2500,
      exchange_rate: USD_TO_AUD,
    });
    await waitFor(async () => (await rows(d.checkoutId)).some((r) => r.kind === 'dispute'), 10000, 'the dispute entry');
    await t.settled();
    const disputeRows = (await rows(d.checkoutId)).filter(
      (r) => r.kind === 'dispute' || (r.kind === 'fee' && r.stripe_balance_transaction_id === null),
    );
    expect(disputeRows.map((r) => [r.kind, r.gross, r.fee, r.currency])).toEqual([
      ['dispute', '-3000', '0', 'USD'],
      ['fee', '0', '2500', 'AUD'],
    ]);

    // A gift that stays, so that the AUD balance has something to pay out.
    await paidDonation(t, 10000, { email: 'us.patron@example.com' });
    // Every AUD balance transaction (charges, their fees, the refund, the dispute and its fee) matches.
    const payout = await simControl<{ id: string; currency: string }>(t.sim, 'POST', '/_simulator/payouts', {
      all: true,
    });
    expect(payout.currency).toBe('aud');
    const report = (
      await t.http
        .get('/api/reports/reconciliation')
        .query({ payout: payout.id })
        .set('authorization', finance)
        .expect(200)
    ).body;
    expect(report.payouts[0].differences).toEqual([]);
    expect(report.payouts[0].matched).toBe(report.payouts[0].transactions);
    expect(report.unmatchedLedgerEntries).toEqual([]);
    // Nothing dropped: the AUD fees in the ledger are Stripe's AUD fees.
    const [aud] = await t.query<{ fee: string }>(`SELECT sum(fee) AS fee FROM ledger_entries WHERE currency = 'AUD'`);
    expect(Number(aud.fee)).toBe(report.payouts[0].stripe.fee);
  });
  it('every Checkout Session is created with Adaptive Pricing off, so each gift is charged and counted in CURRENCY', async () => {
    const sessionOf = async (checkoutId: string) =>
      t.stripe.checkout.sessions.retrieve(
        (await t.query<{ s: string }>(`SELECT stripe_session_id AS s FROM checkouts WHERE id = $1`, [checkoutId]))[0].s,
      );
    const oneOff = await t.http
      .post('/api/donations')
      .send({ amount: 1500, frequency: 'one_off', email: 'abroad@example.com' })
      .expect(201);
    const monthly = await t.http
      .post('/api/donations')
      .send({ amount: 1500, frequency: 'monthly', email: 'abroad@example.com' })
      .expect(201);
    const sub = await t.http
      .post('/api/subscriptions')
      .send({ tier: 'digital', billing: 'monthly', email: 'abroad.reader@example.com', name: 'Abroad Reader' })
      .expect(201);
    for (const { id } of [oneOff.body, monthly.body, sub.body] as Array<{ id: string }>) {
      const session = await sessionOf(id);
      expect(session.adaptive_pricing).toEqual({ enabled: false });
    }
    // Left out, the account's setting applies (the simulator's account has it on): the service never leaves it out.
    const bare = await t.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price_data: { currency: 'usd', unit_amount: 100, product_data: { name: 'x' } }, quantity: 1 }],
      success_url: 'https://example.org/ok',
    });
    expect(bare.adaptive_pricing).toEqual({ enabled: true });
  });
});
