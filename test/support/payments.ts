import { simControl, type TestContext, waitFor } from './test-app';

/**
 * A one-off donation paid on the simulator's checkout, once its payment and fee are in the
 * ledger (every webhook delivered and processed); answers its checkout, charge and payment entry ids.
 */
export async function paidDonation(t: TestContext, amount: number, opts: { email?: string; campaign?: string } = {}) {
  const { id } = (
    await t.http
      .post('/api/donations')
      .send({
        amount,
        frequency: 'one_off',
        email: opts.email ?? `r${amount}@example.com`,
        ...(opts.campaign ? { campaign: opts.campaign } : {}),
      })
      .expect(201)
  ).body;
  const [{ stripe_session_id: sessionId }] = await t.query<{ stripe_session_id: string }>(
    `SELECT stripe_session_id FROM checkouts WHERE id = $1`,
    [id],
  );
  await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${sessionId}/complete`);
  const payment = await waitFor(
    async () => {
      const r = await t.query<{ stripe_charge_id: string; id: string }>(
        `SELECT id, stripe_charge_id FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`,
        [id],
      );
      return r[0];
    },
    10000,
    'payment',
  );
  await t.settled();
  return { checkoutId: id as string, chargeId: payment.stripe_charge_id, paymentId: payment.id };
}
