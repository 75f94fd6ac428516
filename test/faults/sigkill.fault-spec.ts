import type { Pool } from 'pg';
import { createDatabase, databaseName, dropDatabase, SHARED_PG, testPool } from './support/db';
import { deliver, failuresText, startDelivery } from './support/deliver';
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
import { ChildService, freePort, serviceEnv, withServiceLog } from './support/service';
import { type Sim, startSim } from './support/sim';
import { generateWorkload } from './support/workload';

/**
 * The service SIGKILLed in the middle of a burst (requests and transactions cut, leases held by
 * the dead worker), then started again: with Stripe-style redelivery every event is acknowledged,
 * every acknowledged event is processed (a dead worker's leases run out within 6 s), and the
 * ledger is exactly what Stripe holds.
 */
describe('SIGKILL mid-burst', () => {
  const seed = seedFor('sigkill');
  const dbName = databaseName('kill');
  let sim: Sim | undefined;
  let service: ChildService | undefined;
  let db: Pool | undefined;
  let created = false;

  afterAll(async () => {
    await service?.stop().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await sim?.close().catch(() => undefined);
    if (created) await dropDatabase(SHARED_PG, dbName).catch(() => undefined);
  });

  it('killed and restarted: every acknowledged event processed, the ledger exactly as Stripe has it', () =>
    withServiceLog(
      () => service,
      async () => {
        const started = Date.now();
        const url = await createDatabase(SHARED_PG, dbName);
        created = true;
        db = testPool(url);
        sim = await startSim();
        service = new ChildService(
          serviceEnv({ databaseUrl: url, stripeApiUrl: sim.url, webhookSecret: sim.secret, logLevel: 'warn' }),
          await freePort(),
        );
        await service.start();

        const workload = await generateWorkload(service.baseUrl, sim, {
          tag: 'kill',
          seed,
          oneOff: 60,
          monthlyDonations: 6,
          tierSubscriptions: 6,
          prepaid: 3,
          months: 1,
          refunds: 12,
          cancels: 2,
          declines: 1,
        });
        const random = rng(seed);
        const events = shuffled(workload.events, random);

        const run = startDelivery(
          events.map((event) => ({ url: service!.baseUrl, event })),
          { secret: sim.secret, concurrency: 50, retryDelayMs: 1000, deadline: Date.now() + 90000 },
        );
        while (run.stats.acked < events.length / 3) await new Promise((r) => setTimeout(r, 1));
        // Mid-burst: 50 requests in flight, the worker inside transactions.
        const ackedAtKill = run.stats.acked;
        const [{ n: storedAtKill }] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM stripe_events`))
          .rows;
        await service.kill();
        const killedAt = Date.now();
        // Events the dead worker had claimed: nobody may take them until their lease runs out.
        const [{ n: leasedByTheDead }] = (
          await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM stripe_events WHERE processed_at IS NULL AND locked_until > now()`,
          )
        ).rows;
        await service.start();
        const restartMs = Date.now() - killedAt;
        const stats = await run.done;
        expect({ givenUp: stats.givenUp.length, malformed: stats.malformed.slice(0, 3) }).toEqual({
          givenUp: 0,
          malformed: [],
        });
        expect(stats.acked).toBe(events.length);
        expect(Object.keys(stats.errors).length).toBeGreaterThan(0); // the kill was felt: connections cut or refused
        // An acknowledged event is an event on disk: none of them was lost with the killed process.
        const stored = new Set((await db.query<{ id: string }>(`SELECT id FROM stripe_events`)).rows.map((r) => r.id));
        expect([...stats.acksByEvent.keys()].filter((id) => !stored.has(id))).toEqual([]);

        // Like Stripe, some acknowledged events come again: each is a duplicate, acknowledged.
        const again = shuffled(events, random).slice(0, Math.ceil(events.length / 10));
        const redelivered = await deliver(
          again.map((event) => ({ url: service!.baseUrl, event })),
          { secret: sim.secret, concurrency: 50 },
        );
        expect({
          failures: failuresText(redelivered),
          acked: redelivered.acked,
          newlyStored: redelivered.firstStored.size,
        }).toEqual({ failures: 'none', acked: again.length, newlyStored: 0 });

        const processMs = await waitProcessed(db, events.length, 60000);
        expect(service.runs).toHaveLength(2);
        expect(service.runs[0].exit?.signal).toBe('SIGKILL');

        const inbox = await inboxFigures(db);
        expect(inbox).toMatchObject({ events: events.length, unprocessed: 0, parked: 0, noOutcome: 0 });
        // Every event stored and processed (above), each delivery that reached it counted once.
        const perEvent = new Map(
          (await db.query<{ id: string; deliveries: number }>(`SELECT id, deliveries FROM stripe_events`)).rows.map(
            (r) => [r.id, r.deliveries],
          ),
        );
        const sent = (id: string) => (stats.attemptsByEvent.get(id) ?? 0) + (redelivered.attemptsByEvent.get(id) ?? 0);
        const ackCount = (id: string) => (stats.acksByEvent.get(id) ?? 0) + (redelivered.acksByEvent.get(id) ?? 0);
        expect([...perEvent].filter(([id, n]) => n < ackCount(id) || n > sent(id))).toEqual([]);

        const ledger = await ledgerEntries(db);
        const expected = await expectedMovements(sim.stripe, workload);
        const diff = multisetDiff(expected.map(movementKey), movementsOf(ledger).map(movementKey));
        expect(describeDiff(diff)).toBe(describeDiff({ missing: [], extra: [] }));
        expect(await mirroredSubscriptionStates(db)).toEqual(await stripeSubscriptionStates(sim.stripe));
        const progress = await settledProgress(service.baseUrl, db);

        console.log(
          `sigkill: events ${events.length}, deliveries ${stats.attempts + redelivered.attempts} (${again.length} acknowledged ones again), ` +
            `killed after ${ackedAtKill} acknowledged (${storedAtKill} stored), ${leasedByTheDead} leased by the killed worker, back in ${restartMs} ms, failures ${failuresText(stats)}, ` +
            `all processed ${processMs} ms after the last delivery, ledger entries expected ${expected.length} found ${movementsOf(ledger).length} (diff 0), ` +
            `raised ${progress.raised}, total ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${seed}`,
        );
      },
    ));
});
