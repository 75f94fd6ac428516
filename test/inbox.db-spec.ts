import type Stripe from 'stripe';
import { type EntityManager } from 'typeorm';
import {
  type ApplyEffects,
  nothingToApply,
  notOurs,
  RetrySoonError,
  StoreBatcher,
  type StripeWebhookHandler,
  WebhookHandlerRegistry,
  WebhookInboxRepository,
  WebhookWorker,
  type NewEventRow,
} from '@app/webhooks';
import { replayEvents } from '../libs/webhooks/src/cli/replay.command';
import { stripeEvent } from './support/factory';
import { openTestDataSource, type TestDataSource } from './support/test-data-source';
import { waitFor } from './support/test-app';

/**
 * The webhook inbox on a real database, without the app, HTTP or Stripe: the repository's
 * statements (store, claim, lease, release, settle, record a failure, park), and the worker
 * with a fake handler (effects in one transaction, lanes by ordering key, retries, shutdown).
 */
describe('webhook inbox on the database', () => {
  let t: TestDataSource;

  beforeAll(async () => {
    t = await openTestDataSource();
    await t.query(`CREATE TABLE test_effects (event_id text NOT NULL, note text)`);
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    await t.query(`DELETE FROM stripe_events`);
    await t.query(`DELETE FROM test_effects`);
  });

  interface EventRow {
    id: string;
    processed: boolean;
    outcome: string | null;
    attempts: number;
    deliveries: number;
    lockedBy: string | null;
    leaseSeconds: number | null;
    lastError: string | null;
    dueInMs: number | null;
    parked: boolean;
  }
  const rowOf = async (id: string): Promise<EventRow> => {
    const [row] = await t.query<EventRow>(
      `SELECT id, processed_at IS NOT NULL AS processed, outcome, attempts, deliveries, locked_by AS "lockedBy",
              extract(epoch FROM locked_until - now())::float AS "leaseSeconds", last_error AS "lastError",
              CASE WHEN next_attempt_at = 'infinity' THEN NULL ELSE extract(epoch FROM next_attempt_at - now())::float * 1000 END AS "dueInMs",
              next_attempt_at = 'infinity' AS parked
         FROM stripe_events WHERE id = $1`,
      [id],
    );
    if (!row) throw new Error(`no row for ${id}`);
    return row;
  };
  const newRow = (event: Stripe.Event, o: Partial<NewEventRow> = {}): NewEventRow => ({
    event,
    payload: JSON.stringify(event),
    deliveries: 1,
    ignored: null,
    lease: false,
    ...o,
  });
  const events = (n: number, type: 'charge.updated' | 'refund.created') =>
    Array.from({ length: n }, () => stripeEvent(type));
  /** Stores events without a lease, received in the order given, a millisecond apart. */
  const storeInOrder = async (repo: WebhookInboxRepository, list: Stripe.Event[]) => {
    await repo.insert(list.map((e) => newRow(e)));
    for (const [i, e] of list.entries()) {
      await t.query(
        `UPDATE stripe_events SET received_at = now() - interval '1 minute' + $2 * interval '1 ms' WHERE id = $1`,
        [e.id, i],
      );
    }
  };

  describe('repository', () => {
    let repo: WebhookInboxRepository;
    let other: WebhookInboxRepository;
    beforeEach(() => {
      repo = new WebhookInboxRepository(t.dataSource);
      other = new WebhookInboxRepository(t.dataSource);
    });

    it('stores each event once: leased to this worker when asked, settled when ignored, a redelivery counted', async () => {
      const leased = stripeEvent('charge.updated');
      const waiting = stripeEvent('refund.created');
      const ignored = stripeEvent('customer.created');
      const rows = await repo.insert([
        newRow(leased, { lease: true }),
        newRow(waiting),
        newRow(ignored, { ignored: 'ignored: no handler for customer.created' }),
      ]);
      expect(rows.get(leased.id)).toEqual({ id: leased.id, processed: false, inserted: true, leased: true });
      expect(rows.get(waiting.id)).toEqual({ id: waiting.id, processed: false, inserted: true, leased: false });
      expect(rows.get(ignored.id)).toEqual({ id: ignored.id, processed: true, inserted: true, leased: false });
      expect(await rowOf(leased.id)).toMatchObject({ attempts: 1, lockedBy: repo.workerId, deliveries: 1 });
      expect((await rowOf(leased.id)).leaseSeconds).toBeGreaterThan(5);
      expect(await rowOf(waiting.id)).toMatchObject({ attempts: 0, lockedBy: null, leaseSeconds: null });
      expect(await rowOf(ignored.id)).toMatchObject({
        processed: true,
        outcome: 'ignored: no handler for customer.created',
      });
      // The same event again (twice in one batch's worth of deliveries): not inserted, counted.
      const again = await other.insert([newRow(leased, { deliveries: 2, lease: true })]);
      expect(again.get(leased.id)).toEqual({ id: leased.id, processed: false, inserted: false, leased: false });
      expect(await rowOf(leased.id)).toMatchObject({ deliveries: 3, lockedBy: repo.workerId, attempts: 1 });
      const payload = await t.query<{ type: string; object: string }>(
        `SELECT payload->>'type' AS type, payload->'data'->'object'->>'object' AS object FROM stripe_events WHERE id = $1`,
        [waiting.id],
      );
      expect(payload).toEqual([{ type: 'refund.created', object: 'refund' }]);
    });

    it('claims due events oldest first, counting the attempt; leased, processed, parked and later ones stay', async () => {
      // Arrival order is the reverse of id order, so the claim must go by arrival.
      const [first, second, third] = ['evt_c', 'evt_b', 'evt_a'].map((prefix) =>
        stripeEvent('charge.updated', { id: `${prefix}${Date.now()}` }),
      );
      const [leased, done, parked, later] = events(4, 'charge.updated');
      await storeInOrder(repo, [first, second, third, leased, done, parked, later]);
      await t.query(
        `UPDATE stripe_events SET locked_until = now() + interval '1 minute', locked_by = 'someone' WHERE id = $1`,
        [leased.id],
      );
      await repo.markProcessed(new Map([[done.id, 'done']]));
      await repo.recordFailure(parked.id, 'Error: boom', 0, true);
      await repo.recordFailure(later.id, 'Error: boom', 60_000, false);

      const claimed = await repo.claim(2);
      expect(claimed.map((e) => e.id)).toEqual([first.id, second.id]);
      expect(claimed.map((e) => e.attempts)).toEqual([1, 1]);
      expect(claimed[0].payload).toMatchObject({ id: first.id, type: 'charge.updated' });
      expect(await rowOf(first.id)).toMatchObject({ lockedBy: repo.workerId, attempts: 1 });
      expect((await repo.claim(10)).map((e) => e.id)).toEqual([third.id]);
      expect(await repo.claim(10)).toEqual([]);
      expect(await repo.claim(0)).toEqual([]);
    });

    // The embedded database runs one transaction at a time: a held row lock would hold everything.
    const onPostgres = process.env.DATABASE_URL ? it : it.skip;
    onPostgres('a claim skips rows another session has locked instead of waiting for them (SKIP LOCKED)', async () => {
      const stored = events(4, 'refund.created');
      await storeInOrder(repo, stored);
      const holder = t.dataSource.createQueryRunner();
      await holder.connect();
      let claiming: Promise<unknown> | undefined;
      try {
        await holder.startTransaction();
        await holder.query(`SELECT id FROM stripe_events WHERE id = ANY($1::text[]) FOR UPDATE`, [
          [stored[0].id, stored[2].id],
        ]);
        claiming = repo.claim(10);
        const claimed = await Promise.race([claiming, new Promise((r) => setTimeout(() => r('waited'), 3000))]);
        expect(claimed).not.toBe('waited');
        expect((claimed as Array<{ id: string }>).map((e) => e.id)).toEqual([stored[1].id, stored[3].id]);
      } finally {
        await holder.rollbackTransaction().catch(() => undefined);
        await holder.release();
        await claiming;
      }
    });

    it('two workers claiming at once never share an event', async () => {
      const stored = events(8, 'refund.created');
      await storeInOrder(repo, stored);
      const [mine, theirs] = await Promise.all([repo.claim(5), other.claim(5)]);
      const ids = [...mine, ...theirs].map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(stored.map((e) => e.id).sort());
      for (const e of mine) expect((await rowOf(e.id)).lockedBy).toBe(repo.workerId);
      for (const e of theirs) expect((await rowOf(e.id)).lockedBy).toBe(other.workerId);
    });

    /** An event leased to each worker, and one of this worker's already settled. */
    const leasedByBoth = async () => {
      const [mine, theirs, settled] = events(3, 'charge.updated');
      await repo.insert([newRow(mine, { lease: true }), newRow(settled, { lease: true })]);
      await other.insert([newRow(theirs, { lease: true })]);
      await repo.markProcessed(new Map([[settled.id, 'done']]));
      return { mine, theirs, settled };
    };

    it("a lease that ran out (a dead worker's) is claimed again, the attempt counted again", async () => {
      const event = stripeEvent('charge.updated');
      await repo.insert([newRow(event, { lease: true })]);
      expect(await other.claim(10)).toEqual([]);
      await t.query(`UPDATE stripe_events SET locked_until = now() - interval '1 second' WHERE id = $1`, [event.id]);
      expect((await other.claim(10)).map((e) => [e.id, e.attempts])).toEqual([[event.id, 2]]);
      expect((await rowOf(event.id)).lockedBy).toBe(other.workerId);
    });

    it("renews only this worker's leases of unprocessed events", async () => {
      const { mine, theirs, settled } = await leasedByBoth();
      await t.query(`UPDATE stripe_events SET locked_until = now() + interval '1 second'`);
      await repo.renewLeases();
      expect((await rowOf(mine.id)).leaseSeconds).toBeGreaterThan(5);
      expect((await rowOf(theirs.id)).leaseSeconds).toBeLessThan(1.5);
      expect((await rowOf(settled.id)).leaseSeconds).toBeLessThan(1.5);
    });

    it("hands this worker's events back: no lease, the attempt not counted; others' and settled ones untouched", async () => {
      const { mine, theirs, settled } = await leasedByBoth();
      await repo.release([mine.id, theirs.id, settled.id]);
      expect(await rowOf(mine.id)).toMatchObject({ lockedBy: null, leaseSeconds: null, attempts: 0 });
      expect(await rowOf(theirs.id)).toMatchObject({ lockedBy: other.workerId, attempts: 1 });
      expect(await rowOf(settled.id)).toMatchObject({ processed: true, attempts: 1 });
      // Free again: the next claim takes it.
      expect((await other.claim(10)).map((e) => e.id)).toEqual([mine.id]);
    });

    it('settles events with their outcome, clearing the error and the lease; a settled event keeps its first outcome', async () => {
      const [a, b] = [stripeEvent('charge.updated'), stripeEvent('refund.created')];
      await repo.insert([newRow(a, { lease: true }), newRow(b, { lease: true })]);
      await repo.recordFailure(a.id, 'Error: first try', 0, false);
      await repo.markProcessed(
        new Map([
          [a.id, 'recorded fee'],
          [b.id, 'recorded refund'],
        ]),
      );
      expect(await rowOf(a.id)).toMatchObject({
        processed: true,
        outcome: 'recorded fee',
        lastError: null,
        leaseSeconds: null,
      });
      await repo.markProcessed(new Map([[b.id, 'again']]));
      expect(await rowOf(b.id)).toMatchObject({ processed: true, outcome: 'recorded refund' });
    });

    it('records a failure with the next attempt after the delay, or parks the event', async () => {
      const [a, b] = [stripeEvent('charge.updated'), stripeEvent('charge.updated')];
      await repo.insert([newRow(a, { lease: true }), newRow(b, { lease: true })]);
      await repo.recordFailure(a.id, 'Error: Stripe answered 500', 20_000, false);
      const failed = await rowOf(a.id);
      expect(failed).toMatchObject({ processed: false, lastError: 'Error: Stripe answered 500', leaseSeconds: null });
      expect(failed.dueInMs).toBeGreaterThan(18_000);
      expect(failed.dueInMs).toBeLessThanOrEqual(20_000);
      await repo.recordFailure(b.id, 'Error: still failing', 20_000, true);
      expect(await rowOf(b.id)).toMatchObject({ processed: false, parked: true, lastError: 'Error: still failing' });
      // Neither is due: nothing to claim.
      expect(await other.claim(10)).toEqual([]);
    });

    it('webhooks:replay of a parked event clears its lease owner: due now, attempts from 0, claimable by any worker', async () => {
      const [parked, done, untouched] = events(3, 'charge.updated');
      await repo.insert([newRow(parked, { lease: true }), newRow(done, { lease: true }), newRow(untouched)]);
      await repo.recordFailure(parked.id, 'Error: still failing', 0, true);
      await repo.markProcessed(new Map([[done.id, 'done']]));
      expect(await rowOf(parked.id)).toMatchObject({ parked: true, lockedBy: repo.workerId, attempts: 1 });

      const result = await replayEvents(other, [parked.id, done.id, 'evt_not_stored']);
      expect(result).toEqual({
        replayed: expect.arrayContaining([parked.id, done.id]) as string[],
        missing: ['evt_not_stored'],
      });
      expect(result.replayed).toHaveLength(2);
      for (const id of [parked.id, done.id]) {
        expect(await rowOf(id)).toMatchObject({
          processed: false,
          parked: false,
          lockedBy: null,
          leaseSeconds: null,
          attempts: 0,
        });
      }
      expect(await rowOf(untouched.id)).toMatchObject({ attempts: 0, lockedBy: null });
      expect((await other.claim(10)).map((e) => e.id).sort()).toEqual([parked.id, done.id, untouched.id].sort());
    });

    it('webhooks:replay --failed revives every unprocessed event that failed, clearing its lease owner', async () => {
      const [parked, retrying, done, waiting] = events(4, 'refund.created');
      await repo.insert([parked, retrying, done, waiting].map((e) => newRow(e, { lease: true })));
      await repo.recordFailure(parked.id, 'Error: still failing', 0, true);
      await repo.recordFailure(retrying.id, 'Error: Stripe answered 500', 60_000, false);
      await repo.markProcessed(new Map([[done.id, 'done']]));

      const result = await replayEvents(other, ['--failed']);
      expect(result.replayed.sort()).toEqual([parked.id, retrying.id].sort());
      expect(result.missing).toEqual([]);
      for (const id of [parked.id, retrying.id]) {
        expect(await rowOf(id)).toMatchObject({ processed: false, parked: false, lockedBy: null, attempts: 0 });
        expect((await rowOf(id)).dueInMs).toBeLessThanOrEqual(0);
      }
      expect(await rowOf(done.id)).toMatchObject({ processed: true, lockedBy: repo.workerId });
      expect(await rowOf(waiting.id)).toMatchObject({ processed: false, lockedBy: repo.workerId, attempts: 1 });
    });
  });

  describe('worker with a fake handler', () => {
    /** A handler whose reaction to each event the test sets; its effects write `test_effects`. */
    class FakeHandler implements StripeWebhookHandler {
      readonly eventTypes = ['charge.updated', 'refund.created'];
      react: (event: Stripe.Event) => Promise<ApplyEffects> = async (event) => async (manager: EntityManager) => {
        await manager.query(`INSERT INTO test_effects (event_id) VALUES ($1)`, [event.id]);
        return `applied ${event.id}`;
      };
      prepare(event: Stripe.Event): Promise<ApplyEffects> {
        return this.react(event);
      }
      orderingKey(event: Stripe.Event): string | null {
        const key = (event.data.object as { metadata?: Record<string, string> }).metadata?.key;
        return key ?? null;
      }
    }

    let handler: FakeHandler;
    let repo: WebhookInboxRepository;
    let worker: WebhookWorker;
    let batcher: StoreBatcher;
    const start = (env: Record<string, string> = {}) => {
      const config = t.config({
        WEBHOOK_WORKER_CONCURRENCY: '4',
        WEBHOOK_RETRY_INTERVAL_MS: '0',
        WEBHOOK_RETRY_BASE_MS: '1000',
        WEBHOOK_MAX_ATTEMPTS: '3',
        ...env,
      });
      handler = new FakeHandler();
      const registry = new WebhookHandlerRegistry();
      registry.register(handler);
      repo = new WebhookInboxRepository(t.dataSource);
      worker = new WebhookWorker(repo, registry, config, t.dataSource);
      batcher = new StoreBatcher(repo, worker, config);
    };
    afterEach(async () => {
      await worker?.stop();
    });
    const effects = async () =>
      (await t.query<{ event_id: string }>(`SELECT event_id FROM test_effects ORDER BY event_id`)).map(
        (r) => r.event_id,
      );
    const settled = (ids: string[]) =>
      waitFor(
        async () =>
          (
            await t.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM stripe_events WHERE id = ANY($1::text[]) AND processed_at IS NOT NULL`,
              [ids],
            )
          )[0].n === ids.length,
        10_000,
        'events settled',
      );

    it('an event stored with a lease is handed over in memory and processed: effects, then the processed mark', async () => {
      start();
      worker.start();
      const event = stripeEvent('charge.updated');
      const stored = await batcher.store(event, JSON.stringify(event), 1, null);
      expect(stored).toEqual({ processed: false, inserted: true });
      await settled([event.id]);
      expect(await rowOf(event.id)).toMatchObject({
        attempts: 1,
        outcome: `applied ${event.id}`,
        lockedBy: repo.workerId,
      });
      expect(await effects()).toEqual([event.id]);
      // Stored again: a duplicate, already processed; nothing applied twice.
      expect(await batcher.store(event, JSON.stringify(event), 1, null)).toEqual({ processed: true, inserted: false });
      expect(await rowOf(event.id)).toMatchObject({ deliveries: 2 });
    });

    it('concurrent stores share INSERTs (group commit); an ignored type is stored settled and never reaches the handler', async () => {
      start();
      const inserts = jest.spyOn(repo, 'insert');
      const seen: string[] = [];
      handler.react = async (event) => {
        seen.push(event.id);
        return nothingToApply('nothing to do');
      };
      worker.start();
      const stored = events(6, 'refund.created');
      const ignored = stripeEvent('customer.created');
      const answers = await Promise.all([
        ...stored.map((e) => batcher.store(e, JSON.stringify(e), 1, null)),
        batcher.store(ignored, JSON.stringify(ignored), 1, 'ignored: no handler for customer.created'),
      ]);
      expect(answers.slice(0, 6)).toEqual(stored.map(() => ({ processed: false, inserted: true })));
      expect(answers[6]).toEqual({ processed: true, inserted: true });
      // At most STORES_IN_FLIGHT (2) INSERTs go alone; the rest wait and go together.
      expect(inserts.mock.calls.length).toBeLessThanOrEqual(3);
      await settled(stored.map((e) => e.id));
      expect(seen.sort()).toEqual(stored.map((e) => e.id).sort());
      expect(await rowOf(stored[0].id)).toMatchObject({ outcome: 'nothing to do' });
      expect(await effects()).toEqual([]);
    });

    it('events with the same ordering key run one after another, in arrival order; other keys side by side', async () => {
      start();
      const running = new Map<string, number>();
      let most = 0;
      let together = 0;
      const order: string[] = [];
      handler.react = async (event) => {
        const key = handler.orderingKey(event) ?? event.id;
        running.set(key, (running.get(key) ?? 0) + 1);
        most = Math.max(most, running.get(key)!);
        together = Math.max(
          together,
          [...running.values()].reduce((n, v) => n + v, 0),
        );
        order.push(event.id);
        await new Promise((r) => setTimeout(r, 40));
        running.set(key, running.get(key)! - 1);
        return nothingToApply('done');
      };
      const keyed = (key: string) => stripeEvent('charge.updated', { data: { object: { metadata: { key } } } });
      const a = [keyed('charge:a'), keyed('charge:a'), keyed('charge:a')];
      const b = [keyed('charge:b'), keyed('charge:b')];
      const all = [a[0], b[0], a[1], b[1], a[2]];
      await storeInOrder(repo, all);
      worker.start();
      await settled(all.map((e) => e.id));
      expect(most).toBe(1);
      expect(together).toBe(2);
      expect(order.filter((id) => a.some((e) => e.id === id))).toEqual(a.map((e) => e.id));
      expect(order.filter((id) => b.some((e) => e.id === id))).toEqual(b.map((e) => e.id));
    });

    it('effects that fail are rolled back; the failure is recorded and retried with backoff, then parked', async () => {
      start();
      handler.react = async (event) => async (manager: EntityManager) => {
        await manager.query(`INSERT INTO test_effects (event_id) VALUES ($1)`, [event.id]);
        throw new Error('the effects broke half-way');
      };
      const event = stripeEvent('charge.updated');
      await repo.insert([newRow(event)]);
      expect(await worker.sweep()).toBe(0);
      const first = await rowOf(event.id);
      expect(first).toMatchObject({ processed: false, attempts: 1, lastError: 'Error: the effects broke half-way' });
      expect(first.dueInMs).toBeGreaterThan(500);
      expect(first.dueInMs).toBeLessThanOrEqual(1000);
      expect(await effects()).toEqual([]);
      // Not due yet: a sweep leaves it.
      expect(await worker.sweep()).toBe(0);
      expect((await rowOf(event.id)).attempts).toBe(1);
      // Due again: the second attempt backs off twice as long; the third (WEBHOOK_MAX_ATTEMPTS) parks it.
      await t.query(`UPDATE stripe_events SET next_attempt_at = now() WHERE id = $1`, [event.id]);
      await worker.sweep();
      const second = await rowOf(event.id);
      expect(second).toMatchObject({ attempts: 2, parked: false });
      expect(second.dueInMs).toBeGreaterThan(1500);
      expect(second.dueInMs).toBeLessThanOrEqual(2000);
      await t.query(`UPDATE stripe_events SET next_attempt_at = now() WHERE id = $1`, [event.id]);
      await worker.sweep();
      expect(await rowOf(event.id)).toMatchObject({ attempts: 3, parked: true, processed: false });
      expect(await effects()).toEqual([]);
    });

    it('"not yet" is retried after its own short delay', async () => {
      start();
      handler.react = async () => {
        throw new RetrySoonError('payment not recorded yet', 300);
      };
      const event = stripeEvent('refund.created');
      await repo.insert([newRow(event)]);
      await worker.sweep();
      const row = await rowOf(event.id);
      expect(row).toMatchObject({ attempts: 1, lastError: 'RetrySoonError: payment not recorded yet' });
      expect(row.dueInMs).toBeLessThanOrEqual(300);
      expect(row.dueInMs).toBeGreaterThan(0);
    });

    it('a permanent answer settles the event at once with its outcome, rolling back what the effects began', async () => {
      start();
      handler.react = async (event) => async (manager: EntityManager) => {
        await manager.query(`INSERT INTO test_effects (event_id) VALUES ($1)`, [event.id]);
        throw notOurs('charge ch_x was not made through one of our checkouts');
      };
      const event = stripeEvent('refund.created');
      await repo.insert([newRow(event)]);
      expect(await worker.sweep()).toBe(1);
      expect(await rowOf(event.id)).toMatchObject({
        processed: true,
        attempts: 1,
        outcome: 'not ours: charge ch_x was not made through one of our checkouts',
        lastError: null,
      });
      expect(await effects()).toEqual([]);
    });

    it('on stop, the event being processed finishes and those not started are handed back untouched', async () => {
      start({ WEBHOOK_WORKER_CONCURRENCY: '1' });
      let release!: () => void;
      const blocked = new Promise<void>((r) => (release = r));
      let started!: () => void;
      const first = new Promise<void>((r) => (started = r));
      handler.react = async (event) => {
        started();
        await blocked;
        return nothingToApply(`done ${event.id}`);
      };
      worker.start();
      const stored = events(3, 'charge.updated');
      for (const e of stored) await batcher.store(e, JSON.stringify(e), 1, null);
      await first;
      const stopping = worker.stop();
      release();
      await stopping;
      const rows = await Promise.all(stored.map((e) => rowOf(e.id)));
      expect(rows.filter((r) => r.processed).map((r) => r.outcome)).toEqual([`done ${stored[0].id}`]);
      for (const r of rows.slice(1)) expect(r).toMatchObject({ processed: false, lockedBy: null, attempts: 0 });
      // A stopped worker leases nothing at insert: a later store waits in the table.
      const late = stripeEvent('charge.updated');
      await batcher.store(late, JSON.stringify(late), 1, null);
      expect(await rowOf(late.id)).toMatchObject({ lockedBy: null, attempts: 0 });
    });
  });
});
