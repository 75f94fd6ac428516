/**
 * 2. The run: every event sent (signed, BENCH_CONNECTIONS at a time) while the inbox, the CPU and
 * the database connections are watched, until every event is processed; then what the service,
 * the inbox and the ledger say.
 */
import { performance } from 'node:perf_hooks';
import { fmt, log, round, sleep, stop } from '../bench-support';
import { CONNECTIONS, PROCESS_TIMEOUT_S } from './config';
import { cpuPhase, cpuTracker } from './cpu';
import { connect, pgDelta, pgStats } from './database';
import { eventLoopDelay, fire, serviceMetrics } from './fire';
import { watchInbox } from './inbox-watch';
import type { Setup } from './setup';
import { verify } from './verify';

export type Run = Awaited<ReturnType<typeof sendAndProcess>>;

export async function sendAndProcess(s: Setup) {
  const { sim, proxy, service, workers, events, bodies, db } = s;
  log(
    `\n2. ${fmt(events.length)} signed events → POST /api/stripe/webhook, ${Math.min(CONNECTIONS, events.length)} connections (autocannon); the inbox every second:`,
  );
  const monitor = await connect();
  await sleep(1500); // the service's connections report their statistics when idle for a second
  const stats0 = await pgStats(db);
  proxy?.reset();
  await eventLoopDelay(service.base); // resets the service's event-loop histogram
  let acknowledged = 0;
  const t0 = performance.now();
  const cpu = cpuTracker([service.child.pid!, ...workers.map((w) => w.child.pid!)], sim.child.pid!);
  const cpu0 = cpu.snapshot();
  const watch = watchInbox(monitor, t0, events.length, () => acknowledged);
  const ack = await fire(service.base, bodies, () => acknowledged++);
  const cpu1 = cpu.snapshot();
  const loopSending = await eventLoopDelay(service.base);
  log(
    `  all sent in ${round(ack.seconds, 2)} s: ${fmt(ack.ok)} answered 2xx, ${fmt(ack.non2xx)} other, ${fmt(ack.errors)} errors/timeouts; processing goes on ...`,
  );

  // Until every stored event is processed (or only parked ones are left, or time runs out).
  const deadline = performance.now() + PROCESS_TIMEOUT_S * 1000;
  let doneAt = NaN;
  let stalled = '';
  for (let i = 0; ; i++) {
    // Cheap while events are pending (the partial index of unprocessed events); every 100 ms.
    const {
      rows: [s],
    } = await db.query(
      `SELECT count(*)::int AS pending, count(*) FILTER (WHERE next_attempt_at = 'infinity')::int AS parked
         FROM (SELECT next_attempt_at FROM stripe_events WHERE processed_at IS NULL LIMIT ${i % 20 === 0 ? 'ALL' : '1'}) pending`,
    );
    if (s.pending === 0) {
      doneAt = performance.now();
      break;
    }
    if (i % 20 === 0 && s.pending === s.parked) {
      stalled = `${s.parked} events parked (failed WEBHOOK_MAX_ATTEMPTS times)`;
      break;
    }
    if (performance.now() > deadline) {
      const {
        rows: [left],
      } = await db.query(`SELECT count(*)::int AS n FROM stripe_events WHERE processed_at IS NULL`);
      stalled = `${left.n} events still pending after ${PROCESS_TIMEOUT_S} s`;
      break;
    }
    if (service.child.exitCode !== null) throw new Error(`the service exited\n${service.output()}`);
    for (const w of workers) if (w.child.exitCode !== null) throw new Error(`a worker exited\n${w.output()}`);
    await sleep(100);
  }
  const cpu2 = cpu.snapshot();
  const others = cpu.others();
  cpu.stop();
  const { samples, activity } = await watch.stop();
  await monitor.end();
  if (stalled) log(`  STOPPED WAITING: ${stalled}`);
  const loopAfter = await eventLoopDelay(service.base);
  const metrics = await serviceMetrics(service.base);
  // Processing times come from the processes that process.
  if (workers.length) {
    const merged = new Map<string, { type: string; count: number; totalSeconds: number; meanMs: number }>();
    for (const w of workers) {
      for (const t of (await serviceMetrics(w.base)).byType) {
        const m = merged.get(t.type) ?? { type: t.type, count: 0, totalSeconds: 0, meanMs: 0 };
        m.count += t.count;
        m.totalSeconds += t.totalSeconds;
        m.meanMs = (m.totalSeconds / m.count) * 1000;
        merged.set(t.type, m);
      }
    }
    metrics.byType = [...merged.values()].sort((a, b) => b.totalSeconds - a.totalSeconds);
  }
  const serviceErrors = service.errors() + workers.reduce((n, w) => n + w.errors(), 0);
  for (const w of workers) await stop(w.child);
  await stop(service.child); // its connections report their last statistics as they close
  await sleep(500);
  const stats1 = await pgStats(db);

  const {
    rows: [inbox],
  } = await db.query(
    `SELECT count(*)::int AS stored,
            count(*) FILTER (WHERE processed_at IS NOT NULL)::int AS processed,
            (EXTRACT(epoch FROM min(received_at)) * 1000)::float8 AS first_received,
            (EXTRACT(epoch FROM max(received_at)) * 1000)::float8 AS last_received,
            (EXTRACT(epoch FROM max(processed_at)) * 1000)::float8 AS last_processed,
            count(*) FILTER (WHERE attempts > 1)::int AS retried,
            count(*) FILTER (WHERE outcome LIKE 'ignored%')::int AS ignored,
            sum(deliveries)::int AS deliveries
       FROM stripe_events`,
  );
  const { rows: lagRows } = await db.query<{ s: number }>(
    `SELECT EXTRACT(epoch FROM processed_at - received_at)::float8 AS s FROM stripe_events WHERE processed_at IS NOT NULL ORDER BY 1`,
  );
  const lags = lagRows.map((r) => r.s);
  const { rows: errorsByType } = await db.query<{ type: string; n: number; error: string }>(
    `SELECT type, count(*)::int AS n, min(last_error) AS error FROM stripe_events WHERE attempts > 1 OR last_error IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 8`,
  );
  const { rows: outcomes } = await db.query<{ outcome: string; n: number }>(
    `SELECT regexp_replace(coalesce(outcome, '(none)'), '(cs|ch|pi|in|sub|re|evt|cus|py|txn)_[A-Za-z0-9_]+|[0-9a-f]{8}-[0-9a-f-]{27}|[0-9]+', '…', 'g') AS outcome, count(*)::int AS n
       FROM stripe_events GROUP BY 1 ORDER BY 2 DESC LIMIT 12`,
  );
  const check = await verify(db, events);
  await db.end();

  const lastProcessedMs: number = inbox.last_processed;
  const e2eSeconds = (lastProcessedMs - ack.startedAt) / 1000;
  const e2ePerSecond = inbox.processed / e2eSeconds;
  const observedSeconds = (doneAt - t0) / 1000;
  const drainSeconds = (lastProcessedMs - inbox.first_received) / 1000;
  const maxLag = Math.max(0, ...samples.map((s) => s.lagSeconds));
  const maxPending = Math.max(0, ...samples.map((s) => s.pending));
  const processingWhileSending = samples.filter((s) => s.t <= ack.seconds).pop();
  const dbWork = pgDelta(stats0, stats1);
  const ack1 = cpuPhase(cpu0, cpu1);
  const drain = cpuPhase(cpu1, cpu2);
  const whole = cpuPhase(cpu0, cpu2);
  const blocked = new Map<string, number>();
  for (const a of [activity.sending, activity.after]) {
    for (const [q, n] of a.blocked) blocked.set(q, (blocked.get(q) ?? 0) + n);
  }
  const allSamples = activity.sending.samples + activity.after.samples;
  return {
    ack,
    loopSending,
    loopAfter,
    stalled,
    samples,
    activity,
    metrics,
    serviceErrors,
    inbox,
    lags,
    errorsByType,
    outcomes,
    check,
    others,
    e2eSeconds,
    e2ePerSecond,
    observedSeconds,
    drainSeconds,
    maxLag,
    maxPending,
    processingWhileSending,
    dbWork,
    ack1,
    drain,
    whole,
    blocked,
    allSamples,
  };
}
