import type Stripe from 'stripe';
import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { eventuallyEqual, ledgerRaised, simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

interface Row {
  id: string;
  kind: string;
  gross: string;
  fee: string;
  net: string;
  reverses_entry_id: string | null;
  stripe_refund_id: string | null;
  stripe_balance_transaction_id: string | null;
}

/**
 * A refund that succeeded and then fails (the card was closed, the bank sent the money back, as
 * Stripe's test card 4000 0000 0000 5126 does): `refund.updated` (status failed) and
 * `refund.failed` bring a compensating entry beside the refund, recorded once, and progress,
 * reports and reconciliation follow.
 */
describe('a refund that fails after succeeding: the money comes back into the ledger, once', () => {
  let t: TestContext;
  let finance: string;

  beforeAll(async () => {
    t = await startTestApp();
    finance = await signedIn(t, 'finance');
  });
  afterAll(async () => {
    await t?.close();
  });

  const rows = (checkoutId: string) =>
    t.query<Row>(`SELECT * FROM ledger_entries WHERE checkout_id = $1 ORDER BY id`, [checkoutId]);
  const raised = async () => (await t.http.get('/api/campaigns/current/progress').expect(200)).body.raised as number;
  const summary = async () =>
    (
      await t.http
        .get('/api/reports/summary')
        .query({ from: '2020-01-01', to: '2030-12-31', interval: 'month' })
        .set('authorization', finance)
        .expect(200)
    ).body.totals;
  const events = () =>
    simControl<Array<{ id: string; type: string; data: { object: { id: string; charge?: string } } }>>(
      t.sim,
      'GET',
      '/_simulator/events',
    );

  it('refund, then its failure: a refund_failure entry beside the refund; ledger, progress and summary back where they were; reconciliation has no differences; redeliveries add nothing', async () => {
    const { checkoutId, chargeId, paymentId } = await paidDonation(t, 6000, { email: 'closed.card@example.com' });
    const raisedBefore = await ledgerRaised(t);
    const summaryBefore = await summary();

    const refund = await t.stripe.refunds.create({ charge: chargeId, reason: 'requested_by_customer' });
    await waitFor(async () => (await rows(checkoutId)).some((r) => r.kind === 'refund'), 10000, 'refund entry');
    await t.settled();
    await eventuallyEqual(raised, raisedBefore - 6000);

    const failed = await simControl<Stripe.Refund>(t.sim, 'POST', `/_simulator/refunds/${refund.id}/fail`, {
      failure_reason: 'expired_or_canceled_card',
    });
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
    await waitFor(
      async () => (await rows(checkoutId)).some((r) => r.kind === 'refund_failure'),
      10000,
      'refund failure entry',
    );
    await t.settled();

    const all = await rows(checkoutId);
    const refundEntry = all.find((r) => r.kind === 'refund')!;
    const back = all.find((r) => r.kind === 'refund_failure')!;
    expect(back).toMatchObject({
      gross: '6000',
      fee: '0',
      net: '6000',
      reverses_entry_id: refundEntry.id,
      stripe_refund_id: refund.id,
      stripe_balance_transaction_id: failed.failure_balance_transaction,
    });
    expect(refundEntry.reverses_entry_id).toBe(paymentId);
    // What the payment brought in, as before the refund.
    expect(all.reduce((a, r) => a + Number(r.gross), 0)).toBe(6000);
    await eventuallyEqual(raised, raisedBefore);
    expect(await ledgerRaised(t)).toBe(raisedBefore);
    const after = await summary();
    expect({ gross: after.gross, net: after.net, fees: after.fees, refunds: after.refunds }).toEqual({
      gross: summaryBefore.gross,
      net: summaryBefore.net,
      fees: summaryBefore.fees,
      refunds: summaryBefore.refunds,
    });
    // The gift stands again: its giver is a giver and a top supporter in the supporters reports.
    const year = new Date().getUTCFullYear();
    const givers = (
      await t.http
        .get('/api/reports/supporters')
        .query({ from: `${year - 1}-01-01`, to: `${year + 1}-12-31`, interval: 'month', top: 100 })
        .set('authorization', finance)
        .expect(200)
    ).body;
    expect(givers.top).toEqual(
      expect.arrayContaining([expect.objectContaining({ email: 'closed.card@example.com', given: 6000, payments: 1 })]),
    );

    // Every refund and charge event delivered again, and both failure events at once: nothing more.
    const mine = (await events()).filter((e) => e.data.object.id === refund.id || e.data.object.id === chargeId);
    expect(mine.map((e) => e.type)).toEqual(expect.arrayContaining(['refund.updated', 'refund.failed']));
    await Promise.all(mine.map((e) => simControl(t.sim, 'POST', `/_simulator/events/${e.id}/resend`)));
    await t.settled();
    expect(
      (await rows(checkoutId))
        .filter((r) => r.kind !== 'fee')
        .map((r) => r.kind)
        .sort(),
    ).toEqual(['payment', 'refund', 'refund_failure']);

    // Stripe's balance transactions (the charge, the refund, the refund_failure) all match.
    const payout = await simControl<{ id: string }>(t.sim, 'POST', '/_simulator/payouts', { all: true });
    const txns = (await t.stripe.balanceTransactions.list({ payout: payout.id })).data;
    expect(txns.map((x) => x.type).sort()).toEqual(expect.arrayContaining(['charge', 'refund', 'refund_failure']));
    const report = (
      await t.http
        .get('/api/reports/reconciliation')
        .query({ payout: payout.id })
        .set('authorization', finance)
        .expect(200)
    ).body;
    expect(report.payouts[0].differences).toEqual([]);
    expect(report.unmatchedLedgerEntries).toEqual([]);
    expect(report.differences).toBe(0);
  });

  it('a failure that arrives before the refund was recorded: both entries, once each, whichever event comes first', async () => {
    const { checkoutId, chargeId } = await paidDonation(t, 2200, { email: 'early.failure@example.com' });
    t.sim.configureWebhook({ enabled: false });
    const refund = await t.stripe.refunds.create({ charge: chargeId, amount: 1200 });
    await simControl(t.sim, 'POST', `/_simulator/refunds/${refund.id}/fail`, {});
    t.sim.configureWebhook({ enabled: true });
    const mine = (await events()).filter((e) => e.data.object.id === refund.id || e.data.object.id === chargeId);
    const failedEvent = mine.find((e) => e.type === 'refund.failed')!;
    // The failure first, then the rest (some twice).
    await simControl(t.sim, 'POST', `/_simulator/events/${failedEvent.id}/resend`);
    await waitFor(
      async () => (await rows(checkoutId)).some((r) => r.kind === 'refund_failure'),
      10000,
      'refund failure entry',
    );
    await Promise.all([...mine, ...mine].map((e) => simControl(t.sim, 'POST', `/_simulator/events/${e.id}/resend`)));
    await t.settled();
    const all = await rows(checkoutId);
    expect(all.filter((r) => r.kind !== 'fee').map((r) => [r.kind, Number(r.gross)])).toEqual([
      ['payment', 2200],
      ['refund', -1200],
      ['refund_failure', 1200],
    ]);
    // The charge can be refunded again (its amount_refunded went back down).
    expect((await t.stripe.charges.retrieve(chargeId)).amount_refunded).toBe(0);
  });
  it("paid with Stripe's refund-failure test card (4000 0000 0000 5126) on the checkout page and refunded by staff: the simulator fails the refund on its own, and the refund_failure entry comes back", async () => {
    /** A donation paid on the simulator's checkout page form, with the card number typed; its payment entry. */
    const payWithCard = async (amount: number, email: string, cardNumber: string) => {
      const { id, checkoutUrl } = (
        await t.http.post('/api/donations').send({ amount, frequency: 'one_off', email }).expect(201)
      ).body as { id: string; checkoutUrl: string };
      const page = await fetch(checkoutUrl);
      expect(await page.text()).toContain('name="card_number"');
      const paid = await fetch(`${checkoutUrl}/pay`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: '', name: 'Card Holder', card_number: cardNumber }).toString(),
      });
      expect(paid.status).toBe(303);
      const payment = await waitFor(
        async () =>
          (
            await t.query<{ id: string; stripe_charge_id: string }>(
              `SELECT id, stripe_charge_id FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`,
              [id],
            )
          )[0],
        10000,
        'payment',
      );
      await t.settled();
      return { checkoutId: id, paymentId: payment.id, chargeId: payment.stripe_charge_id };
    };
    const staffRefund = (paymentId: string, key: string) =>
      t.http
        .post(`/api/ledger-entries/${paymentId}/refund`)
        .set('authorization', finance)
        .set('idempotency-key', key)
        .send({ reason: 'requested_by_customer', note: 'asked by email' })
        .expect(202);

    // A number that is not a test card is refused, and the session stays payable.
    const { checkoutUrl: refusedUrl } = (
      await t.http
        .post('/api/donations')
        .send({ amount: 1000, frequency: 'one_off', email: 'real.card@example.com' })
        .expect(201)
    ).body as { checkoutUrl: string };
    const refused = await fetch(`${refusedUrl}/pay`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=&name=&card_number=4111+1111+1111+1112',
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('non test card');

    const raisedBefore = await ledgerRaised(t);
    const failing = await payWithCard(4500, 'card.5126@example.com', '4000 0000 0000 5126');
    const charge = await t.stripe.charges.retrieve(failing.chargeId);
    expect(charge.payment_method_details?.card?.last4).toBe('5126');
    const working = await payWithCard(2500, 'card.4242@example.com', '4242 4242 4242 4242');
    expect(await ledgerRaised(t)).toBe(raisedBefore + 7000);

    const first = await staffRefund(failing.paymentId, 'refund-5126-card-0001');
    const second = await staffRefund(working.paymentId, 'refund-4242-card-0001');

    // No control route: the 5126 card's refund fails by itself, shortly after it succeeded.
    const back = await waitFor(
      async () => (await rows(failing.checkoutId)).find((r) => r.kind === 'refund_failure'),
      10000,
      'refund failure entry',
    );
    await t.settled();
    const failedRefund = await t.stripe.refunds.retrieve(first.body.refundId as string);
    expect(failedRefund).toMatchObject({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
    const all = await rows(failing.checkoutId);
    const refundEntry = all.find((r) => r.kind === 'refund')!;
    expect(refundEntry).toMatchObject({ gross: '-4500', reverses_entry_id: failing.paymentId });
    expect(back).toMatchObject({
      gross: '4500',
      reverses_entry_id: refundEntry.id,
      stripe_refund_id: failedRefund.id,
      stripe_balance_transaction_id: failedRefund.failure_balance_transaction,
    });
    expect(all.filter((r) => r.kind !== 'fee').map((r) => r.kind)).toEqual(['payment', 'refund', 'refund_failure']);
    const types = (await events()).filter((e) => e.data.object.id === failedRefund.id).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['refund.created', 'refund.updated', 'refund.failed']));

    // The 4242 card's refund stays succeeded: only its refund entry.
    expect((await t.stripe.refunds.retrieve(second.body.refundId as string)).status).toBe('succeeded');
    expect(
      (await rows(working.checkoutId)).filter((r) => r.kind !== 'fee').map((r) => [r.kind, Number(r.gross)]),
    ).toEqual([
      ['payment', 2500],
      ['refund', -2500],
    ]);
    // What stands: the 5126 gift (its refund failed), not the refunded 4242 one.
    await eventuallyEqual(raised, raisedBefore + 4500);
  });
});
