import type { Pool } from 'pg';
import { PrivateCluster } from './support/cluster';
import { createDatabase, testPool } from './support/db';
import { failuresText, startDelivery } from './support/deliver';
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

const OUTAGE_MS = 5000;

/**
 * PostgreSQL stopped for ~5 s in the middle of a burst of webhooks, on a private cluster: the
 * service (one process, never restarted) answers 5xx while the database is away, so Stripe
 * redelivers; /health says 503 then 200; once the database is back every event is acknowledged
 * and processed, and the ledger is exactly what Stripe holds.
 */
describe('PostgreSQL stopped mid-burst', () => {
  const seed = seedFor('pg-outage');
  let cluster: PrivateCluster | undefined;
  let sim: Sim | undefined;
  let service: ChildService | undefined;
  let db: Pool | undefined;

  afterAll(async () => {
    await service?.stop().catch(() => undefined);
    await db?.end().catch(() => undefined);
    await sim?.close().catch(() => undefined);
    await cluster?.destroy();
  });

  it('5xx while the database is down, then every event acknowledged, processed once, nothing lost or doubled', () =>
    withServiceLog(
      () => service,
      async () => {
        const started = Date.now();
        cluster = new PrivateCluster(await freePort());
        await cluster.init();
        await cluster.start();
        const url = await createDatabase(cluster.url, 'faults');
        db = testPool(url);
        sim = await startSim();
        service = new ChildService(
          serviceEnv({ databaseUrl: url, stripeApiUrl: sim.url, webhookSecret: sim.secret, logLevel: 'warn' }),
          await freePort(),
        );
        await service.start();
        const pid = service.pid;

        const workload = await generateWorkload(service.baseUrl, sim, {
          tag: 'outage',
          seed,
          oneOff: 50,
          monthlyDonations: 6,
          tierSubscriptions: 6,
          prepaid: 3,
          months: 1,
          refunds: 12,
          cancels: 2,
          declines: 1,
        });
        const events = shuffled(workload.events, rng(seed));

        // Health, every 200 ms, all along.
        const health: Array<{ from: number; to: number; status: number }> = [];
        let polling = true;
        const poller = (async () => {
          while (polling) {
            const from = Date.now();
            let status: number;
            try {
              status = (await fetch(`${service!.baseUrl}/health`, { signal: AbortSignal.timeout(4000) })).status;
            } catch {
              status = -1;
            }
            health.push({ from, to: Date.now(), status });
            await new Promise((r) => setTimeout(r, 200));
          }
        })();

        // The burst, with Stripe-style redelivery: anything but a 2xx is tried again a second later.
        const run = startDelivery(
          events.map((event) => ({ url: service!.baseUrl, event })),
          { secret: sim.secret, concurrency: 50, retryDelayMs: 1000, deadline: Date.now() + 90000 },
        );
        while (run.stats.attempts < events.length / 3) await new Promise((r) => setTimeout(r, 2));
        const ackedBefore = run.stats.acked;
        await cluster.stop();
        const downFrom = Date.now();
        await new Promise((r) => setTimeout(r, OUTAGE_MS));
        const downTo = Date.now();
        const failuresWhileDown = failuresText(run.stats);
        await cluster.start();
        const upAt = Date.now();
        const stats = await run.done;
        const allAckedMs = Date.now() - upAt;
        // Health answers 200 again without a restart.
        while (!health.some((h) => h.from >= upAt && h.status === 200) && Date.now() - upAt < 20000) {
          await new Promise((r) => setTimeout(r, 100));
        }
        polling = false;
        await poller;

        expect({ givenUp: stats.givenUp.length, malformed: stats.malformed.slice(0, 3) }).toEqual({
          givenUp: 0,
          malformed: [],
        });
        expect(stats.acked).toBe(events.length);
        // An acknowledged event is an event on disk.
        const stored = new Set((await db.query<{ id: string }>(`SELECT id FROM stripe_events`)).rows.map((r) => r.id));
        expect([...stats.acksByEvent.keys()].filter((id) => !stored.has(id))).toEqual([]);
        // The outage was seen: deliveries failed (5xx, never a 2xx for an event not stored) and were retried.
        const serverErrors = Object.entries(stats.statuses)
          .filter(([s]) => Number(s) >= 500)
          .reduce((n, [, c]) => n + c, 0);
        expect(serverErrors).toBeGreaterThan(0);
        expect(Object.keys(stats.statuses).filter((s) => Number(s) < 500)).toEqual([]);
        const down = health.filter((h) => h.from >= downFrom && h.to <= downTo);
        expect(down.length).toBeGreaterThanOrEqual(5);
        expect([...new Set(down.map((h) => h.status))]).toEqual([503]);
        const after = health.filter((h) => h.from >= upAt);
        expect(after.some((h) => h.status === 200)).toBe(true);

        const processMs = await waitProcessed(db, events.length, 60000);
        // The same process all along: never crashed, never restarted.
        expect(service.runs).toHaveLength(1);
        expect(service.running).toBe(true);
        expect(service.pid).toBe(pid);

        const inbox = await inboxFigures(db);
        expect(inbox).toMatchObject({ events: events.length, unprocessed: 0, parked: 0, noOutcome: 0 });
        // An event is stored once however many deliveries reached it; each acknowledged delivery counted.
        const perEvent = await db.query<{ id: string; deliveries: number }>(`SELECT id, deliveries FROM stripe_events`);
        const miscounted = perEvent.rows.filter(
          (r) =>
            r.deliveries < (stats.acksByEvent.get(r.id) ?? 0) || r.deliveries > (stats.attemptsByEvent.get(r.id) ?? 0),
        );
        expect(miscounted).toEqual([]);

        const ledger = await ledgerEntries(db);
        const expected = await expectedMovements(sim.stripe, workload);
        const diff = multisetDiff(expected.map(movementKey), movementsOf(ledger).map(movementKey));
        expect(describeDiff(diff)).toBe(describeDiff({ missing: [], extra: [] }));
        expect(await mirroredSubscriptionStates(db)).toEqual(await stripeSubscriptionStates(sim.stripe));
        const progress = await settledProgress(service.baseUrl, db);

        console.log(
          `pg-outage: events ${events.length}, deliveries ${stats.attempts} (acknowledged ${ackedBefore} before the stop), ` +
            `database down ${downTo - downFrom} ms, failures ${failuresText(stats)} (${failuresWhileDown} by the restart), ` +
            `health ${down.length}×503 while down then 200, all acknowledged ${allAckedMs} ms and processed ${processMs} ms later after the restart, ` +
            `ledger entries expected ${expected.length} found ${movementsOf(ledger).length} (diff 0), raised ${progress.raised}, ` +
            `one process (pid ${pid}), total ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${seed}`,
        );
      },
    ));
});
