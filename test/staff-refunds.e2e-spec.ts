import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

/**
 * Staff refunds are kept by our own Idempotency-Key (per staff account), not only Stripe's,
 * which Stripe forgets after 24 hours: a retry a day later answers the first refund.
 */
describe('staff refunds: one refund per Idempotency-Key, for good', () => {
  let t: TestContext;
  let finance: string;

  beforeAll(async () => {
    t = await startTestApp();
    finance = await signedIn(t, 'finance');
  });
  afterAll(async () => {
    await t?.close();
  });

  const refund = (entryId: string, key: string, body: Record<string, unknown>, who = finance) =>
    t.http
      .post(`/api/ledger-entries/${entryId}/refund`)
      .set('authorization', who)
      .set('idempotency-key', key)
      .send(body);
  const stripeRefunds = async (chargeId: string) =>
    (await t.stripe.refunds.list({ charge: chargeId, limit: 100 })).data;
  const refundEntries = (paymentId: string) =>
    t.query<{ gross: string }>(
      `SELECT gross FROM ledger_entries WHERE reverses_entry_id = $1 AND kind = 'refund' ORDER BY id`,
      [paymentId],
    );

  it('a retry 25 hours later (Stripe has forgotten its key) answers the first refund: no second refund on Stripe, no second ledger entry', async () => {
    const { paymentId, chargeId } = await paidDonation(t, 4000, { email: 'day.later@example.com' });
    const body = { amount: 1500, reason: 'requested_by_customer', note: 'asked on the phone' };
    const first = await refund(paymentId, 'refund-day-later-0001', body).expect(202);
    expect(first.body).toMatchObject({ amount: 1500, currency: 'AUD', payment: paymentId });
    await waitFor(async () => (await refundEntries(paymentId)).length === 1, 10000, 'refund entry');

    // A day and an hour pass on Stripe's side: its idempotency key is gone.
    await simControl(t.sim, 'POST', '/_simulator/clock/advance', { seconds: 25 * 3600 });
    const again = await refund(paymentId, 'refund-day-later-0001', body).expect(202);
    expect(again.body).toEqual(first.body);
    await t.settled();
    expect((await stripeRefunds(chargeId)).map((r) => r.id)).toEqual([first.body.refundId]);
    expect((await refundEntries(paymentId)).map((r) => r.gross)).toEqual(['-1500']);
    // Audited once: the replay changed nothing.
    expect(
      await t.query(`SELECT 1 FROM audit_log WHERE action = 'payment.refund' AND entity_id = $1`, [paymentId]),
    ).toHaveLength(1);

    // The same key with another body (or another entry) is refused and changes nothing.
    const reused = await refund(paymentId, 'refund-day-later-0001', { ...body, amount: 1000 }).expect(422);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
    expect(await stripeRefunds(chargeId)).toHaveLength(1);

    // Keys are per staff account: another finance member's identical key is their own request.
    const colleague = await signedIn(t, 'finance');
    const theirs = await refund(paymentId, 'refund-day-later-0001', { ...body, amount: 500 }, colleague).expect(202);
    expect(theirs.body.refundId).not.toBe(first.body.refundId);
    expect(await stripeRefunds(chargeId)).toHaveLength(2);
  });

  it('concurrent duplicates: one refund; the others answer 409 (in progress) or the same refund', async () => {
    const { paymentId, chargeId } = await paidDonation(t, 3000, { email: 'double.click@example.com' });
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => refund(paymentId, 'refund-double-click-01', { reason: 'duplicate' })),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 202 || s === 409)).toBe(true);
    const ok = answers.filter((a) => a.status === 202);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((a) => a.body.refundId)).size).toBe(1);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body).toMatchObject({ code: 'IDEMPOTENCY_REQUEST_IN_PROGRESS', field: 'Idempotency-Key' });
    }
    // A retry after the first finished answers it.
    expect((await refund(paymentId, 'refund-double-click-01', { reason: 'duplicate' }).expect(202)).body.refundId).toBe(
      ok[0].body.refundId,
    );
    await t.settled();
    expect(await stripeRefunds(chargeId)).toHaveLength(1);
    expect((await refundEntries(paymentId)).map((r) => r.gross)).toEqual(['-3000']);
  });

  it('a refused refund frees its key: the corrected request with the same key goes through', async () => {
    const { paymentId, chargeId } = await paidDonation(t, 2000, { email: 'too.much@example.com' });
    const tooMuch = await refund(paymentId, 'refund-corrected-0001', {
      amount: 5000,
      reason: 'requested_by_customer',
    }).expect(400);
    expect(tooMuch.body).toMatchObject({ code: 'REFUND_REJECTED', field: 'amount' });
    await refund(paymentId, 'refund-corrected-0001', { amount: 2000, reason: 'requested_by_customer' }).expect(202);
    expect(await stripeRefunds(chargeId)).toHaveLength(1);
  });
});
