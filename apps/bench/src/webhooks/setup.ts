/**
 * 1. The objects: a Stripe simulator and a fresh service (child processes), the events made through
 * them, in the order and of the types asked for; the database checked empty; the mix printed.
 */
import type { Client } from 'pg';
import { fmt, log, round } from '../bench-support';
import { ENABLED_EVENTS, HANDLED_TYPES, ORDER, STRIPE_PROXY, WORKERS } from './config';
import { connect } from './database';
import { makeEvents, type Phase, type Plan, type SimEvent } from './events';
import { shuffle } from './helpers';
import { startService, startSimulator, startStripeProxy, type Child } from './processes';

export type Service = Child & { base: string; errors: () => number };

export interface Setup {
  sim: Awaited<ReturnType<typeof startSimulator>>;
  proxy: Awaited<ReturnType<typeof startStripeProxy>> | undefined;
  service: Service;
  workers: Service[];
  /** The events to send, and each as the bytes sent. */
  events: SimEvent[];
  bodies: Buffer[];
  payloadBytes: number;
  byType: Map<string, number>;
  /** The flows that made the events, each with the events of it that are sent. */
  phases: Array<Phase & { events: SimEvent[] }>;
  db: Client;
}

export async function setUp(p: Plan): Promise<Setup> {
  log('\n1. the objects: Stripe simulator and a fresh service (child processes), checkouts through the service ...');
  const sim = await startSimulator();
  const proxy = STRIPE_PROXY ? await startStripeProxy(sim.url) : undefined;
  if (proxy) log(`  profiling: the service reaches the simulator through a counting proxy (${proxy.url})`);
  const service = await startService(proxy?.url ?? sim.url, WORKERS > 0 ? 'receiver' : 'service');
  const workers: Service[] = [];
  for (let i = 0; i < WORKERS; i++) workers.push(await startService(proxy?.url ?? sim.url, 'worker'));
  if (WORKERS) {
    log(
      `  the service receives only; ${WORKERS} more process${WORKERS > 1 ? 'es' : ''} of it process${WORKERS > 1 ? '' : 'es'} (BENCH_WORKERS=${WORKERS})`,
    );
  }
  const made = await makeEvents(service.base, sim.url, p);
  const enabled = ENABLED_EVENTS === 'handled' ? made.events.filter((e) => HANDLED_TYPES.has(e.type)) : made.events;
  if (enabled.length < made.events.length) {
    log(
      `  BENCH_ENABLED_EVENTS=handled: ${fmt(made.events.length - enabled.length)} events of types no handler takes are left out (a Stripe endpoint limited to the handled types)`,
    );
  }
  const events = ORDER === 'shuffle' ? shuffle(enabled) : enabled;
  const bodies = events.map((e) => Buffer.from(JSON.stringify(e, null, 2), 'utf8'));
  const payloadBytes = bodies.reduce((s, b) => s + b.length, 0);
  const byType = new Map<string, number>();
  for (const e of events) byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
  log(
    `  ${fmt(events.length)} events made in ${round(made.setupSeconds, 1)} s (${round(payloadBytes / events.length / 1024, 1)} kB each on average)`,
  );

  const db = await connect();
  const {
    rows: [{ n: before }],
  } = await db.query(`SELECT count(*)::int AS n FROM stripe_events`);
  if (before) {
    throw new Error(
      `the inbox already holds ${before} events: something delivered them (a webhook URL on the simulator?)`,
    );
  }
  const {
    rows: [{ n: ledgerBefore }],
  } = await db.query(`SELECT count(*)::int AS n FROM ledger_entries`);
  if (ledgerBefore) throw new Error(`the ledger already holds ${ledgerBefore} entries before any event was sent`);

  // The mix of what is sent, by the flow that made each event.
  const sent = new Set(events.map((e) => e.id));
  const phases = made.phases.map((ph) => ({
    ...ph,
    events: made.events.slice(ph.from, ph.to).filter((e) => sent.has(e.id)),
  }));
  log('\n  the mix:');
  for (const ph of phases) {
    const types = new Map<string, number>();
    for (const e of ph.events) types.set(e.type, (types.get(e.type) ?? 0) + 1);
    log(
      `  - ${ph.name}: ${fmt(ph.events.length)} events (${[...types.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([t, n]) => `${t} ${fmt(n)}`)
        .join(', ')})`,
    );
  }
  return { sim, proxy, service, workers, events, bodies, payloadBytes, byType, phases, db };
}
