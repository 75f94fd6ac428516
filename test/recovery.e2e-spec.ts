import { cardProcessingFee } from '@app/stripe-simulator';
import { RecoveryService } from '@app/donations';
import { simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

const fee = cardProcessingFee;

describe('missed-webhook recovery: what Stripe never delivered is still recorded, once', () => {
  let t: TestContext;
  let recovery: RecoveryService;

  beforeAll(async () => {
    t = await startTestApp();
    recovery = t.app.get(RecoveryService);
  });
  afterAll(async () => {
    await t?.close();
  });

  const donate = async (amount: number, email: string) => {
    const { id } = (await t.http.post('/api/donations').send({ amount, frequency: 'one_off', email }).expect(201)).body;
    const [{ stripe_session_id: sessionId }] = await t.query<{ stripe_session_id: string }>(
      `SELECT stripe_session_id FROM checkouts WHERE id = $1`,
      [id],
    );
    return { id: id as string, sessionId };
  };
  const ledgerOf = (checkoutId: string) =>
    t.query<{ kind: string; gross: string; fee: string }>(
      `SELECT kind, gross, fee FROM ledger_entries WHERE checkout_id = $1 ORDER BY id`,
      [checkoutId],
    );
  /** Pays a checkout on Stripe while no webhook reaches the service. */
  const paidUnheard = async (amount: number, email: string) => {
    t.sim.configureWebhook({ enabled: false });
    try {
      const d = await donate(amount, email);
      await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${d.sessionId}/complete`);
      await simControl(t.sim, 'POST', '/_simulator/flush');
      await t.sim.idle();
      return d;
    } finally {
      t.sim.configureWebhook({ enabled: true });
    }
  };

  it("a payment whose webhooks were never delivered is found in Stripe's event list and recorded once, with its fee", async () => {
    const d = await paidUnheard(3300, 'unheard@example.com');
    expect(await ledgerOf(d.id)).toEqual([]);
    expect(await t.query(`SELECT 1 FROM stripe_events`)).toEqual([]);

    const first = await recovery.run();
    expect(first.adopted).toBeGreaterThanOrEqual(2); // checkout.session.completed, charge.updated …
    await t.settled();
    expect(await ledgerOf(d.id)).toEqual([{ kind: 'payment', gross: '3300', fee: String(fee(3300)) }]);
    expect((await t.http.get(`/api/donations/${d.id}`).expect(200)).body.status).toBe('complete');

    // Again: everything is in the inbox already; nothing new, nothing doubled.
    const second = await recovery.run();
    expect(second.adopted).toBe(0);
    await t.settled();
    expect(await ledgerOf(d.id)).toHaveLength(1);
    // Recovered events are marked as never delivered.
    const stored = await t.query<{ deliveries: number }>(
      `SELECT deliveries FROM stripe_events WHERE type = 'checkout.session.completed'`,
    );
    expect(stored.map((s) => s.deliveries)).toEqual([0]);
  });

  it('an abandoned checkout is expired on Stripe and marked expired; a paid one whose events are gone is completed', async () => {
    const abandoned = await donate(1800, 'abandoned@example.com');
    const lost = await paidUnheard(2700, 'lost@example.com');
    // The event list no longer reaches back to it (older than the last run's checkpoint) …
    await t.query(`UPDATE webhook_recovery SET listed_until = now() + interval '1 hour'`);
    // … and both checkouts are older than CHECKOUT_ABANDONED_HOURS (25).
    await t.query(`UPDATE checkouts SET created_at = now() - interval '26 hours' WHERE id = ANY($1::uuid[])`, [
      [abandoned.id, lost.id],
    ]);

    const result = await recovery.run();
    expect(result).toMatchObject({ adopted: 0, checkoutsChecked: 2, checkoutsExpired: 1, checkoutsCompleted: 1 });
    await t.settled();
    expect((await t.http.get(`/api/donations/${abandoned.id}`).expect(200)).body.status).toBe('expired');
    expect((await t.stripe.checkout.sessions.retrieve(abandoned.sessionId)).status).toBe('expired');
    expect(await ledgerOf(abandoned.id)).toEqual([]);
    await waitFor(async () => (await ledgerOf(lost.id)).length === 1, 10000, 'recovered payment');
    expect(await ledgerOf(lost.id)).toEqual([{ kind: 'payment', gross: '2700', fee: String(fee(2700)) }]);

    // Nothing left to do the next time.
    expect(await recovery.run()).toMatchObject({ checkoutsChecked: 0, checkoutsExpired: 0, checkoutsCompleted: 0 });
  });
});
