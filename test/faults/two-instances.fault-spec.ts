import type { Pool } from 'pg';
import { WebhookWorker } from '@app/webhooks';
import { createDatabase, databaseName, dropDatabase, SHARED_PG, testPool } from './support/db';
import { deliver, type Delivery, failuresText } from './support/deliver';
import {
  describeDiff,
  expectedMovements,
  inboxFigures,
  ledgerEntries,
  mirroredSubscriptionStates,
  movementKey,
  movementsOf,
  multisetDiff,
  settledProgress,
  stripeSubscriptionStates,
  waitProcessed,
} from './support/ledger';
import { rng, seedFor, shuffled } from './support/rng';
import { type InProcessService, serviceEnv, startInProcess } from './support/service';
import { type Sim, startSim } from './support/sim';
import { generateWorkload } from './support/workload';

interface Claimed {
  id: string;
}

/**
 * Two instances of the service on one database, every event delivered to both at once: each
 * event is stored once (two deliveries), processed by exactly one of them once, and every effect
 * happens once.
 */
describe('two instances, every event delivered to both', () => {
  const seed = seedFor('two-instances');
  const dbName = databaseName('two');
  let sim: Sim | undefined;
  const services: InProcessService[] = [];
  let db: Pool | undefined;
  let created = false;

  afterAll(async () => {
    for (const s of services) await s.close().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await sim?.close().catch(() => undefined);
    if (created) await dropDatabase(SHARED_PG, dbName).catch(() => undefined);
  });

  it('each event stored once with two deliveries, processed once by one instance, each effect once', async () => {
    const started = Date.now();
    const url = await createDatabase(SHARED_PG, dbName);
    created = true;
    db = testPool(url);
    sim = await startSim();
    const env = serviceEnv({ databaseUrl: url, stripeApiUrl: sim.url, webhookSecret: sim.secret });
    // Started together, as a deployment would: migrations under the advisory lock.
    services.push(...(await Promise.all([startInProcess(env), startInProcess(env)])));
    const [a, b] = services;

    // Count every successful processing of an event, per instance (the inbox worker's own step, wrapped).
    const processedBy = new Map<string, string[]>();
    for (const [name, s] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const worker = s.app.get(WebhookWorker) as unknown as { processClaimed(c: Claimed): Promise<boolean> };
      const original = worker.processClaimed.bind(worker);
      worker.processClaimed = async (c: Claimed) => {
        const ok = await original(c);
        if (ok) processedBy.set(c.id, [...(processedBy.get(c.id) ?? []), name]);
        return ok;
      };
    }

    const workload = await generateWorkload(a.baseUrl, sim, {
      tag: 'two',
      seed,
      oneOff: 80,
      monthlyDonations: 8,
      tierSubscriptions: 8,
      prepaid: 4,
      months: 1,
      refunds: 16,
      cancels: 2,
      declines: 1,
    });
    const events = shuffled(workload.events, rng(seed));
    // Each event's two deliveries side by side: two of the 50 workers send them at the same moment.
    const deliveries: Delivery[] = events.flatMap((event) => [
      { url: a.baseUrl, event },
      { url: b.baseUrl, event },
    ]);
    const stats = await deliver(deliveries, { secret: sim.secret, concurrency: 50 });
    expect({ failures: failuresText(stats), acked: stats.acked, malformed: stats.malformed.slice(0, 3) }).toEqual({
      failures: 'none',
      acked: 2 * events.length,
      malformed: [],
    });
    expect(events.filter((e) => stats.firstStored.get(e.id) !== 1).map((e) => e.id)).toEqual([]);
    const processMs = await waitProcessed(db, events.length, 60000);

    expect(await inboxFigures(db)).toEqual({
      events: events.length,
      unprocessed: 0,
      parked: 0,
      noOutcome: 0,
      deliveries: { '2': events.length },
    });
    // Processed exactly once each, by one instance or the other; both took a share. Types no
    // handler wants are settled when stored (outcome "ignored: no handler"), never by a worker.
    const settledOnArrival = new Set(
      (
        await db.query<{ id: string }>(`SELECT id FROM stripe_events WHERE outcome LIKE 'ignored: no handler%'`)
      ).rows.map((r) => r.id),
    );
    const notOnce = events
      .filter((e) => (settledOnArrival.has(e.id) ? processedBy.has(e.id) : processedBy.get(e.id)?.length !== 1))
      .map((e) => `${e.id}: ${processedBy.get(e.id)?.join(',') ?? 'never'}`);
    expect(notOnce).toEqual([]);
    const byA = [...processedBy.values()].filter((p) => p[0] === 'a').length;
    const byB = processedBy.size - byA;
    expect(byA).toBeGreaterThan(0);
    expect(byB).toBeGreaterThan(0);

    const ledger = await ledgerEntries(db);
    const expected = await expectedMovements(sim.stripe, workload);
    const diff = multisetDiff(expected.map(movementKey), movementsOf(ledger).map(movementKey));
    expect(describeDiff(diff)).toBe(describeDiff({ missing: [], extra: [] }));
    expect(await mirroredSubscriptionStates(db)).toEqual(await stripeSubscriptionStates(sim.stripe));
    // Both instances show the same progress, the ledger's.
    const progressA = await settledProgress(a.baseUrl, db);
    const progressB = await settledProgress(b.baseUrl, db);
    expect(progressB).toEqual(progressA);

    console.log(
      `two-instances: events ${events.length}, deliveries ${stats.attempts} (2 per event, all 200), processed once each (${byA} by a, ${byB} by b) ` +
        `${processMs} ms after the last delivery, ledger entries expected ${expected.length} found ${movementsOf(ledger).length} (diff 0), ` +
        `raised ${progressA.raised} on both, total ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${seed}`,
    );
  });
});
