/** What the bench prints: where the time went, correctness, then the summary table and BENCH_JSON. */
import { fmt, log, percentile, round, table, verdict } from '../bench-support';
import type { InsertFigures } from './baseline';
import { CONNECTIONS, CORES, ENABLED_EVENTS, ORDER, POOL_SIZE, TARGETS, WORKER_CONCURRENCY, WORKERS } from './config';
import type { Plan } from './events';
import type { ActivityTotals } from './inbox-watch';
import type { Run } from './run';
import type { Setup } from './setup';

/** The detail of the run: CPU, event loop, connections, lock waits, database work, per-type times, outcomes, correctness. */
export function reportRun(s: Setup, r: Run): void {
  const { events, proxy, service } = s;
  const {
    ack1,
    drain,
    whole,
    loopSending,
    loopAfter,
    others,
    activity,
    blocked,
    allSamples,
    dbWork,
    metrics,
    outcomes,
    errorsByType,
    inbox,
    serviceErrors,
    check,
  } = r;
  log('\n  where the time went:');
  const pct = (cpu: number, seconds: number) => `${round(cpu, 1)} s (${Math.round((cpu / seconds) * 100)}%)`;
  log(
    table([
      [
        'CPU time (% of one core)',
        `sending: ${round(ack1.seconds, 1)} s`,
        `after sending: ${round(drain.seconds, 1)} s`,
        `whole run: ${round(whole.seconds, 1)} s`,
      ],
      ...(['service', 'simulator', 'postgres', 'bench', 'other'] as const).map((k) => [
        k === 'service'
          ? 'service (node)'
          : k === 'simulator'
            ? 'Stripe simulator (node)'
            : k === 'postgres'
              ? 'PostgreSQL (this database + WAL/checkpoint)'
              : k === 'bench'
                ? 'this bench (autocannon, monitor)'
                : 'other processes on the machine',
        pct(ack1[k], ack1.seconds),
        pct(drain[k], drain.seconds),
        pct(whole[k], whole.seconds),
      ]),
      [
        'machine (all cores)',
        pct(ack1.service + ack1.simulator + ack1.postgres + ack1.bench + ack1.other, ack1.seconds * CORES).replace(
          /\)$/,
          ` of ${CORES} cores)`,
        ),
        pct(
          drain.service + drain.simulator + drain.postgres + drain.bench + drain.other,
          drain.seconds * CORES,
        ).replace(/\)$/, ` of ${CORES} cores)`),
        pct(
          whole.service + whole.simulator + whole.postgres + whole.bench + whole.other,
          whole.seconds * CORES,
        ).replace(/\)$/, ` of ${CORES} cores)`),
      ],
    ]),
  );
  const loopText = (d: { p50: number; p99: number; max: number } | null) =>
    d ? `p50 ${round(d.p50, 1)} ms, p99 ${round(d.p99, 1)} ms, max ${round(d.max, 1)} ms` : 'n/a';
  log(
    `  the service's event-loop delay (ingest and the worker share one thread): while sending ${loopText(loopSending)}; after ${loopText(loopAfter)}`,
  );
  if (others.length) {
    log(
      `  other processes that used CPU meanwhile: ${others.map((o) => `${o.cmd} (${round(o.seconds, 1)} s)`).join('; ')}`,
    );
  }
  log(
    `\n  the service's ${POOL_SIZE * (1 + WORKERS)} database connections: average number in each state (pg_stat_activity every 200 ms):`,
  );
  const states = [...new Set([...activity.sending.counts.keys(), ...activity.after.counts.keys()])];
  const avg = (a: ActivityTotals, k: string) => (a.samples ? ((a.counts.get(k) ?? 0) / a.samples).toFixed(2) : 'n/a');
  log(
    table([
      ['state', `while sending (${activity.sending.samples} samples)`, `after (${activity.after.samples})`],
      ...states
        .sort(
          (x, y) =>
            (activity.after.counts.get(y) ?? 0) +
            (activity.sending.counts.get(y) ?? 0) -
            (activity.after.counts.get(x) ?? 0) -
            (activity.sending.counts.get(x) ?? 0),
        )
        .map((k) => [k, avg(activity.sending, k), avg(activity.after, k)]),
    ]),
  );
  if (blocked.size) {
    log('  statements seen waiting for a lock (average number waiting):');
    for (const [q, n] of [...blocked.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6)) {
      log(`    ${(n / allSamples).toFixed(2).padStart(6)}  ${q}`);
    }
  }
  log(
    `\n  database work while sending and processing (pg_stat_database / pg_stat_user_tables; the monitor's own queries included), per event:`,
  );
  log(
    `    ${round(dbWork.xact / events.length, 2)} transactions, ${round(dbWork.inserted / events.length, 2)} rows inserted, ${round(dbWork.updated / events.length, 2)} updated, ${round((dbWork.returned + dbWork.fetched) / events.length, 1)} rows read, ${round(dbWork.blksHit / events.length, 1)} buffer hits, ${round(dbWork.walBytes / events.length / 1024, 1)} kB of WAL${Number.isNaN(dbWork.walBytes) ? ' (n/a)' : ''}`,
  );
  log(
    table([
      ['table', 'seq scans', 'rows read by them', 'index scans', 'inserted', 'updated (HOT)'],
      ...dbWork.tables
        .slice(0, 10)
        .map((t) => [
          t.name,
          fmt(t.seqScan),
          fmt(t.seqRead),
          fmt(t.idxScan),
          fmt(t.inserted),
          `${fmt(t.updated)} (${fmt(t.hot)})`,
        ]),
    ]),
  );
  if (metrics.byType.length) {
    log(
      `\n  processing time by event type (service /metrics: prepare + transaction, per event; ${WORKER_CONCURRENCY} lanes):`,
    );
    log(
      table([
        ['event type', 'processed', 'mean ms', 'lane-seconds', 'share'],
        ...metrics.byType.map((r) => [
          r.type,
          fmt(r.count),
          round(r.meanMs, 1).toFixed(1),
          round(r.totalSeconds, 1).toFixed(1),
          `${Math.round((r.totalSeconds / metrics.byType.reduce((s, x) => s + x.totalSeconds, 0)) * 100)}%`,
        ]),
      ]),
    );
    log(
      `  webhook requests, server side (fastify onResponse): mean ${round(metrics.ackServerMeanMs, 2)} ms over ${fmt(metrics.ackServerCount)}`,
    );
  }
  log('\n  outcomes (ids and numbers elided):');
  for (const o of outcomes) log(`    ${fmt(o.n).padStart(6)}  ${o.outcome.slice(0, 140)}`);
  if (errorsByType.length) {
    log('  events that needed more than one attempt:');
    for (const r of errorsByType) {
      log(
        `    ${fmt(r.n).padStart(6)}  ${r.type}: ${r.error ? r.error.slice(0, 160) : 'succeeded on a later attempt (the last error is cleared; see the service log)'}`,
      );
    }
  }
  if (proxy) {
    const total = [...proxy.calls.values()].reduce((s, c) => s + c.calls, 0);
    log(
      `\n  Stripe API calls while processing (counting proxy): ${fmt(total)}, ${round(total / Math.max(1, inbox.processed), 2)} per event, ${fmt(total / whole.seconds)}/s`,
    );
    log(
      table([
        ['endpoint', 'calls', 'per event', 'mean ms'],
        ...[...proxy.calls.entries()]
          .sort((a, b) => b[1].calls - a[1].calls)
          .map(([k, c]) => [
            k,
            fmt(c.calls),
            round(c.calls / Math.max(1, inbox.processed), 3).toFixed(3),
            round(c.ms / c.calls, 2).toFixed(2),
          ]),
      ]),
    );
  }
  if (serviceErrors) {
    log(`  the service logged ${fmt(serviceErrors)} error lines; its last output:\n${service.output()}`);
  }

  log(
    `\n  correctness: ledger payment entries expected ${fmt(check.paidCharges)} (one per paid charge), found ${fmt(check.payments)} on ${fmt(check.paymentCharges)} charges` +
      ` (duplicates ${check.duplicatePayments}, missing ${check.missingPayments}, not Stripe's ${check.extraPayments}); refunds expected ${fmt(check.refunds)}, found ${fmt(check.refundEntries)} (duplicates ${check.duplicateRefunds});` +
      ` gross expected ${fmt(check.grossExpected)}, found ${fmt(check.grossFound)}; fees expected ${fmt(check.feesExpected)}, found ${fmt(check.feesFound)}: ${check.ok ? 'OK' : 'WRONG'}`,
  );
}

/** The summary table beside the targets, and one JSON line (`BENCH_JSON {...}`) for machines. */
export function reportSummary(
  p: Plan,
  s: Setup,
  r: Run,
  baseline: { settings: Record<string, string>; inserts: InsertFigures[] },
  stripeCalls: Record<string, { calls: number; meanMs: number }> | undefined,
): void {
  const { events, phases, byType, payloadBytes } = s;
  const {
    ack,
    stalled,
    samples,
    activity,
    metrics,
    serviceErrors,
    inbox,
    lags,
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
    loopSending,
    loopAfter,
  } = r;
  const { settings, inserts } = baseline;
  const mix = phases.map((ph) => `${ph.key} ${fmt(ph.events.length)}`).join(', ');
  const rows: string[][] = [
    ['measure', 'value', 'target', ''],
    ['events sent (signed, Stripe shapes)', fmt(events.length), '', ''],
    ['  mix by flow', mix, '', ''],
    ...phases.map((ph) => [`  ${ph.name}`, fmt(ph.events.length), '', '']),
    ['  event types', fmt(byType.size), '', ''],
    ['acknowledged 2xx / other / errors', `${fmt(ack.ok)} / ${fmt(ack.non2xx)} / ${fmt(ack.errors)}`, '', ''],
    [
      `ack latency p50 / p99 (${Math.min(CONNECTIONS, events.length)} connections)`,
      `${round(ack.p50Ms, 1)} / ${round(ack.p99Ms, 1)} ms`,
      `p99 < ${TARGETS.ackP99Ms} ms`,
      verdict(ack.p99Ms < TARGETS.ackP99Ms && ack.ok === events.length),
    ],
    ['ack rate', `${fmt(ack.perSecond)} events/s`, '', ''],
    [
      'processed into the ledger, end to end',
      `${fmt(e2ePerSecond)} events/s`,
      `≥ ${fmt(TARGETS.eventsPerSecond)}`,
      verdict(e2ePerSecond >= TARGETS.eventsPerSecond && !stalled),
    ],
    ['  events ÷ (last processed_at − first send)', `${fmt(inbox.processed)} ÷ ${round(e2eSeconds, 2)} s`, '', ''],
    ['  worker rate (first received → last processed)', `${fmt(inbox.processed / drainSeconds)} events/s`, '', ''],
    [
      '  processed while sending',
      processingWhileSending
        ? `${fmt(processingWhileSending.processed)} of ${fmt(processingWhileSending.acknowledged)} acknowledged`
        : 'n/a',
      '',
      '',
    ],
    [
      'processing lag: max backlog / oldest pending',
      `${fmt(maxPending)} events / ${round(maxLag, 1)} s`,
      'keeps up',
      verdict(maxLag < 5 && !stalled),
    ],
    [
      '  per event received → processed p50 / p99 / max',
      `${round(percentile(lags, 50), 2)} / ${round(percentile(lags, 99), 2)} / ${round(lags[lags.length - 1] ?? NaN, 2)} s`,
      '',
      '',
    ],
    ['  events retried / ignored (no effect)', `${fmt(inbox.retried)} / ${fmt(inbox.ignored)}`, '', ''],
    ...inserts.map((r) => [
      `PG single-row INSERT tx/s, ${r.clients} clients`,
      r.error ? 'n/a' : fmt(r.perSecond),
      '',
      '',
    ]),
    [
      'ledger: payments expected / found (each once)',
      `${fmt(check.paidCharges)} / ${fmt(check.payments)}${check.duplicatePayments ? ` (${check.duplicatePayments} doubled)` : ''}`,
      'equal',
      verdict(check.ok),
    ],
  ];
  log(`\n${table(rows)}\n`);
  log(
    'BENCH_JSON ' +
      JSON.stringify({
        events: events.length,
        order: ORDER,
        enabledEvents: ENABLED_EVENTS,
        mix: Object.fromEntries(phases.map((ph) => [ph.key, ph.events.length])),
        types: Object.fromEntries([...byType.entries()].sort((a, b) => b[1] - a[1])),
        plan: p,
        payloadBytesAverage: Math.round(payloadBytes / events.length),
        service: {
          workers: WORKERS,
          workerConcurrency: WORKER_CONCURRENCY,
          poolSize: POOL_SIZE,
          errorsLogged: serviceErrors,
        },
        ack: {
          connections: Math.min(CONNECTIONS, events.length),
          ok: ack.ok,
          non2xx: ack.non2xx,
          errors: ack.errors,
          seconds: round(ack.seconds, 3),
          perSecond: Math.round(ack.perSecond),
          p50Ms: ack.p50Ms,
          p90Ms: ack.p90Ms,
          p99Ms: ack.p99Ms,
          maxMs: ack.maxMs,
          serverMeanMs: round(metrics.ackServerMeanMs, 3),
          targetP99Ms: TARGETS.ackP99Ms,
        },
        processing: {
          processed: inbox.processed,
          stored: inbox.stored,
          endToEndSeconds: round(e2eSeconds, 3),
          endToEndPerSecond: Math.round(e2ePerSecond),
          observedDoneSeconds: round(observedSeconds, 3),
          workerPerSecond: Math.round(inbox.processed / drainSeconds),
          maxPending,
          maxLagSeconds: round(maxLag, 2),
          lagP50Seconds: round(percentile(lags, 50), 3),
          lagP99Seconds: round(percentile(lags, 99), 3),
          retried: inbox.retried,
          ignored: inbox.ignored,
          stalled: stalled || null,
          targetPerSecond: TARGETS.eventsPerSecond,
          byType: metrics.byType.map((r) => ({ type: r.type, count: r.count, meanMs: round(r.meanMs, 2) })),
        },
        eventLoopDelayMs: { sending: loopSending, after: loopAfter },
        cpuSeconds: { sending: ack1, afterSending: drain, whole, cores: CORES, otherProcesses: others },
        lockWaits: Object.fromEntries(
          [...blocked.entries()]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 6)
            .map(([q, n]) => [q, round(n / allSamples, 2)]),
        ),
        dbConnections: Object.fromEntries(
          (['sending', 'after'] as const).map((ph) => [
            ph,
            Object.fromEntries(
              [...activity[ph].counts.entries()].map(([k, n]) => [k, round(n / Math.max(1, activity[ph].samples), 2)]),
            ),
          ]),
        ),
        lagSamples: samples.map((s) => [round(s.t, 1), s.acknowledged, s.processed, round(s.lagSeconds, 2)]),
        dbWorkPerEvent: {
          transactions: round(dbWork.xact / events.length, 2),
          tuplesInserted: round(dbWork.inserted / events.length, 2),
          tuplesUpdated: round(dbWork.updated / events.length, 2),
          tuplesRead: round((dbWork.returned + dbWork.fetched) / events.length, 1),
          blocksHit: round(dbWork.blksHit / events.length, 1),
          walMegabytes: round(dbWork.walBytes / 1048576, 1),
        },
        postgres: {
          settings,
          inserts: inserts.map((r) => ({
            clients: r.clients,
            perSecond: Math.round(r.perSecond),
            p50Ms: round(r.p50Ms, 3),
            p99Ms: round(r.p99Ms, 3),
            error: r.error,
          })),
        },
        correctness: check,
        ...(stripeCalls ? { stripeCalls } : {}),
      }),
  );
}
