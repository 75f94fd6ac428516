import { nothingToApply } from '@app/webhooks';
import { type TestContext, waitFor } from './test-app';

/** The event type of the events parked here (a test handler takes it). */
export const PARKABLE = 'test.parkable';

/**
 * Parks events the way the worker does: a test handler for `test.parkable` fails while its
 * downstream is "down"; with WEBHOOK_MAX_ATTEMPTS=1 the first failed attempt parks the event.
 * Boot the app with `PARKING_ENV`. `applied` counts the attempts that succeeded, by event id.
 */
export const PARKING_ENV = { WEBHOOK_MAX_ATTEMPTS: '1' };

export class ParkingLot {
  down = true;
  readonly applied = new Map<string, number>();

  constructor(private readonly t: TestContext) {
    t.inbox.register({
      eventTypes: [PARKABLE],
      prepare: async (event) => {
        if (this.down) throw new Error('downstream unavailable');
        this.applied.set(event.id, (this.applied.get(event.id) ?? 0) + 1);
        return nothingToApply('test: applied');
      },
    });
  }

  /** Delivers a signed `test.parkable` event and waits until its one attempt failed and parked it. */
  async park(id: string): Promise<void> {
    this.down = true;
    const payload = JSON.stringify({
      id,
      object: 'event',
      type: PARKABLE,
      api_version: '2024-06-20',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: { object: { id: `obj_${id}`, object: 'test_object' } },
    });
    await this.t.http
      .post('/api/stripe/webhook')
      .set('content-type', 'application/json')
      .set(
        'stripe-signature',
        this.t.stripe.webhooks.generateTestHeaderString({ payload, secret: this.t.webhookSecret }),
      )
      .send(payload)
      .expect(200);
    await waitFor(
      async () => {
        const [row] = await this.t.query<{ parked: boolean }>(
          `SELECT next_attempt_at = 'infinity' AND processed_at IS NULL AND last_error IS NOT NULL AS parked FROM stripe_events WHERE id = $1`,
          [id],
        );
        return row?.parked;
      },
      10000,
      `${id} parked`,
    );
  }
}
