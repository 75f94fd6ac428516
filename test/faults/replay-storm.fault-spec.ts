import type { Pool } from 'pg';
import { createDatabase, databaseName, dropDatabase, SHARED_PG, testPool, urlOf } from './support/db';
import { deliver, type Delivery, failuresText } from './support/deliver';
import {
  describeDiff,
  expectedMovements,
  fullKey,
  inboxFigures,
  ledgerEntries,
  mirroredSubscriptionStates,
  movementKey,
  movementsOf,
  multisetDiff,
  settledProgress,
  stripeSubscriptionStates,
  subscriptionRows,
  waitProcessed,
} from './support/ledger';
import { rng, seedFor, shuffled } from './support/rng';
import { type InProcessService, serviceEnv, startInProcess } from './support/service';
import { type Sim, startSim } from './support/sim';
import { generateWorkload, type Workload } from './support/workload';

/**
 * Replay storm: ~2,000 real events, each delivered three times in a seeded shuffle, 50 requests
 * at a time, must leave exactly what the same events delivered once, in order, leave on a second
 * copy of the same database: the same ledger, subscriptions and campaign progress.
 */
describe('replay storm: every event three times, shuffled, 50 concurrent', () => {
  const seed = seedFor('replay-storm');
  let sim: Sim;
  const services: InProcessService[] = [];
  const databases: string[] = [];
  const pools: Pool[] = [];

  afterAll(async () => {
    for (const s of services) await s.close().catch(() => undefined);
    for (const p of pools) await p.end().catch(() => undefined);
    await sim?.close();
    for (const name of databases) await dropDatabase(SHARED_PG, name).catch(() => undefined);
  });

  async function boot(name: string): Promise<{ service: InProcessService; db: Pool }> {
    const url = urlOf(SHARED_PG, name);
    const service = await startInProcess(
      serviceEnv({ databaseUrl: url, stripeApiUrl: sim.url, webhookSecret: sim.secret }),
    );
    services.push(service);
    const db = testPool(url);
    pools.push(db);
    return { service, db };
  }

  it('three shuffled deliveries of every event leave exactly what one in-order delivery leaves', async () => {
    sim = await startSim();
    const started = Date.now();

    // The payments, made through the service on a database that then serves as the template of two copies.
    const gen = databaseName('gen');
    await createDatabase(SHARED_PG, gen);
    databases.push(gen);
    const generator = await boot(gen);
    const workload: Workload = await generateWorkload(generator.service.baseUrl, sim, {
      tag: 'storm',
      seed,
      oneOff: 140,
      monthlyDonations: 20,
      tierSubscriptions: 20,
      prepaid: 10,
      months: 2,
      refunds: 30,
      cancels: 4,
      declines: 3,
    });
    expect(await inboxFigures(generator.db)).toMatchObject({ events: 0 }); // nothing was delivered while paying
    await generator.service.close();
    await generator.db.end();
    pools.splice(pools.indexOf(generator.db), 1);

    const stormDb = databaseName('storm');
    const refDb = databaseName('ref');
    await createDatabase(SHARED_PG, stormDb, gen);
    databases.push(stormDb);
    await createDatabase(SHARED_PG, refDb, gen);
    databases.push(refDb);
    const { events } = workload;
    expect(events.length).toBeGreaterThanOrEqual(1500);

    // The storm: 3 × every event, shuffled, 50 in flight.
    const storm = await boot(stormDb);
    const deliveries: Delivery[] = shuffled(
      events.flatMap((event) => [0, 1, 2].map(() => ({ url: storm.service.baseUrl, event }))),
      rng(seed),
    );
    const stormStarted = Date.now();
    const stats = await deliver(deliveries, { secret: sim.secret, concurrency: 50 });
    const stormMs = Date.now() - stormStarted;
    expect({
      failures: failuresText(stats),
      givenUp: stats.givenUp.length,
      malformed: stats.malformed.slice(0, 3),
    }).toEqual({ failures: 'none', givenUp: 0, malformed: [] });
    expect(stats.acked).toBe(3 * events.length);
    // Exactly one of the three deliveries of each event stored it; the other two were duplicates.
    const storedOnce = events.filter((e) => stats.firstStored.get(e.id) === 1).length;
    expect(storedOnce).toBe(events.length);
    const processMs = await waitProcessed(storm.db, events.length, 90000);

    // The reference: a second copy of the same database, every event once, in Stripe's order.
    const ref = await boot(refDb);
    const inOrder = events
      .map((event, i) => ({ event, i }))
      .sort((a, b) => a.event.created - b.event.created || a.i - b.i);
    const refStats = await deliver(
      inOrder.map(({ event }) => ({ url: ref.service.baseUrl, event })),
      { secret: sim.secret, concurrency: 1 },
    );
    expect(failuresText(refStats)).toBe('none');
    await waitProcessed(ref.db, events.length, 60000);

    // Inbox: every event stored once, three deliveries each, every one processed with an outcome.
    const inbox = await inboxFigures(storm.db);
    expect(inbox).toEqual({
      events: events.length,
      unprocessed: 0,
      parked: 0,
      noOutcome: 0,
      deliveries: { '3': events.length },
    });
    expect(await inboxFigures(ref.db)).toEqual({
      events: events.length,
      unprocessed: 0,
      parked: 0,
      noOutcome: 0,
      deliveries: { '1': events.length },
    });

    // Ledger: the same multiset of entries (ids and times aside) as the in-order reference…
    const stormLedger = await ledgerEntries(storm.db);
    const refLedger = await ledgerEntries(ref.db);
    const vsReference = multisetDiff(refLedger.map(fullKey), stormLedger.map(fullKey));
    expect(describeDiff(vsReference)).toBe(describeDiff({ missing: [], extra: [] }));
    // …and what Stripe itself holds: each succeeded charge once with its fee, each refund once.
    const expected = await expectedMovements(sim.stripe, workload);
    const vsStripe = multisetDiff(expected.map(movementKey), movementsOf(stormLedger).map(movementKey));
    expect(describeDiff(vsStripe)).toBe(describeDiff({ missing: [], extra: [] }));
    // The comparison notices a doubled or a lost entry (it would fail the test above).
    const keys = stormLedger.map(fullKey);
    expect(multisetDiff(refLedger.map(fullKey), [...keys, keys[0]]).extra).toHaveLength(1);
    expect(multisetDiff(refLedger.map(fullKey), keys.slice(1)).missing).toHaveLength(1);

    // Subscriptions mirror the same state; the campaign shows the same progress.
    const stormSubs = await subscriptionRows(storm.db);
    expect(stormSubs.length).toBe(50);
    expect(stormSubs).toEqual(await subscriptionRows(ref.db));
    expect(await mirroredSubscriptionStates(storm.db)).toEqual(await stripeSubscriptionStates(sim.stripe));
    const stormProgress = await settledProgress(storm.service.baseUrl, storm.db);
    const refProgress = await settledProgress(ref.service.baseUrl, ref.db);
    expect(stormProgress).toEqual(refProgress);

    const summary =
      `storm: events ${events.length}, deliveries ${stats.attempts} (${Math.round((stats.attempts / stormMs) * 1000)}/s, all 200), ` +
      `ledger entries expected ${refLedger.length} found ${stormLedger.length} (Stripe: ${expected.length} movements, diff 0), ` +
      `subscriptions ${stormSubs.length} equal, progress raised ${stormProgress.raised} supporters ${stormProgress.supporters} equal, ` +
      `processed ${processMs} ms after the last delivery, total ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${seed}`;
    console.log(summary);
  });
});
