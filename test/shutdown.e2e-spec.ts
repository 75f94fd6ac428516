import { WebhookInboxService } from '@app/webhooks';
import { simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

interface SimEvent {
  id: string;
  type: string;
  created: number;
}

describe('graceful shutdown: the webhook worker finishes what it holds, and holds nothing half-done', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('stopping mid-burst: every claimed event is finished; the rest wait, untouched, for the next start', async () => {
    // Twelve payments made while no webhook reaches the service; their events then arrive at once.
    t.sim.configureWebhook({ enabled: false });
    const checkouts: string[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const { id } = (
          await t.http
            .post('/api/donations')
            .send({ amount: 1000 + i, frequency: 'one_off', email: `stop${i}@example.com` })
            .expect(201)
        ).body;
        const [{ stripe_session_id: sessionId }] = await t.query<{ stripe_session_id: string }>(
          `SELECT stripe_session_id FROM checkouts WHERE id = $1`,
          [id],
        );
        await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${sessionId}/complete`);
        checkouts.push(id);
      }
      await simControl(t.sim, 'POST', '/_simulator/flush');
      await t.sim.idle();
    } finally {
      t.sim.configureWebhook({ enabled: true });
    }
    const events = await simControl<SimEvent[]>(t.sim, 'GET', '/_simulator/events');
    const sends = events.map(async (e) => {
      const payload = JSON.stringify(e);
      const res = await fetch(`${t.baseUrl}/api/stripe/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'stripe-signature': t.stripe.webhooks.generateTestHeaderString({ payload, secret: t.webhookSecret }),
        },
        body: payload,
      });
      return res.status;
    });
    // Shut the worker down once it is in the middle of the burst.
    await waitFor(
      async () =>
        (await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM stripe_events WHERE processed_at IS NOT NULL`))[0]
          .n >= 3,
      10000,
      'processing under way',
    );
    await t.app.get(WebhookInboxService).beforeApplicationShutdown();
    expect(new Set(await Promise.all(sends))).toEqual(new Set([200]));

    const rows = await t.query<{ processed: boolean; attempts: number; locked: boolean }>(
      `SELECT processed_at IS NOT NULL AS processed, attempts, locked_until IS NOT NULL AND locked_until > now() AS locked FROM stripe_events`,
    );
    expect(rows).toHaveLength(events.length);
    const processed = rows.filter((r) => r.processed).length;
    const waiting = rows.filter((r) => !r.processed);
    // Nothing half-done: no event is held by a worker that is gone; the unprocessed were never claimed.
    expect(waiting.filter((r) => r.locked || r.attempts > 0)).toEqual([]);
    expect(processed).toBeGreaterThanOrEqual(3);
    console.log(
      `shutdown: ${events.length} events acknowledged, ${processed} processed before stopping, ${waiting.length} left for the next start`,
    );
    // And the ledger holds whole payments only: each completed checkout has exactly one payment.
    const complete = await t.query<{ id: string; payments: number }>(
      `SELECT c.id, (SELECT count(*)::int FROM ledger_entries l WHERE l.checkout_id = c.id AND l.kind = 'payment') AS payments FROM checkouts c WHERE c.id = ANY($1::uuid[]) AND c.status = 'complete'`,
      [checkouts],
    );
    for (const c of complete) expect(c.payments).toBe(1);
  });
});
