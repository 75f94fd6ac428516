import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { sql } from '@app/database';
import { StripeGateway } from '@app/stripe';
import { ApplyEffects, StripeWebhookHandler } from './webhook-handler';

export interface ReceiveResult {
  eventId: string;
  type: string;
  duplicate: boolean;
  /** `queued`: stored, the worker will process it; `processed`: it already was. */
  status: 'queued' | 'processed';
}

/** Observes the inbox (metrics); optional. */
export interface InboxObserver {
  received(type: string, duplicate: boolean): void;
  processed(type: string, seconds: number): void;
  failed(type: string): void;
}

/**
 * Lease on an event while one worker holds it. A living worker renews the leases of every event
 * it holds every HEARTBEAT_MS, so a slow event (Stripe taking its time) stays its own; a worker
 * that dies (SIGKILL) stops renewing, and its events are free again within LEASE_SECONDS. Were
 * two workers ever to process one event, that is harmless: every effect is idempotent.
 */
const LEASE_SECONDS = 6;
/** How often a worker renews the leases of the events it holds. */
const HEARTBEAT_MS = 2000;
/** Events claimed per round trip. */
const BATCH = 50;

/** The last second PostgreSQL's timestamps (and Stripe's) can hold: 9999-12-31T23:59:59Z. */
const MAX_CREATED = 253_402_300_799;

/** A verified body is still only stored if it has an event's shape (id, type, created, data.object). */
function assertEventShape(event: Stripe.Event): void {
  const e = event as unknown as Record<string, unknown> | null;
  const ok =
    typeof e === 'object' && e !== null && !Array.isArray(e) &&
    typeof e.id === 'string' && /^evt_[A-Za-z0-9_]{1,250}$/.test(e.id) &&
    typeof e.type === 'string' && /^[a-z0-9_.]{1,100}$/.test(e.type) &&
    Number.isSafeInteger(e.created) && (e.created as number) > 0 && (e.created as number) <= MAX_CREATED &&
    typeof e.data === 'object' && e.data !== null && typeof (e.data as Record<string, unknown>).object === 'object' && (e.data as Record<string, unknown>).object !== null;
  if (!ok) throw new DomainError('WEBHOOK_PAYLOAD_INVALID', 'the signed body is not a Stripe event (id evt_…, type, created, data.object)', 'body');
}

/**
 * Thrown by a handler when an event cannot be applied before another one is (a refund before its
 * payment): the first two retries come after `retryAfterMs` and twice that, then the usual backoff.
 */
export class RetrySoonError extends Error {
  constructor(message: string, readonly retryAfterMs = 250) {
    super(message);
    this.name = 'RetrySoonError';
  }
}

/**
 * What an event is about, for ordering within one worker: events about the same checkout (its
 * session, subscription and invoices carry its id in metadata) or the same charge run one after
 * another instead of side by side waiting for each other's locks. Only an optimisation: the
 * handlers' locks keep them correct across instances. Null: no ordering.
 */
export function orderingKey(event: Stripe.Event): string | null {
  const o = event.data.object as unknown as Record<string, unknown> & { metadata?: Record<string, string> | null; parent?: { subscription_details?: { metadata?: Record<string, string> | null } | null } | null };
  const id = (v: unknown) => (typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as { id?: unknown }).id === 'string' ? (v as { id: string }).id : null);
  // A charge's events and its refunds' and disputes' go by the charge (a charge may carry its
  // checkout's metadata too, but its refund does not).
  if (o.object === 'charge') return `charge:${o.id}`;
  if (o.object === 'refund' || o.object === 'dispute') {
    const charge = id(o.charge);
    return charge ? `charge:${charge}` : null;
  }
  const checkout = o.metadata?.checkout_id ?? o.parent?.subscription_details?.metadata?.checkout_id;
  return typeof checkout === 'string' ? `checkout:${checkout}` : null;
}

/** Backoff after the n-th failed attempt: base, 2×base, 4×base … capped at an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(attempts - 1, 0), 3_600_000);
}

interface Claimed {
  id: string;
  payload: Stripe.Event;
  attempts: number;
}

/** An event waiting to be stored by the next batch INSERT (see storeBatch). */
interface StoreRequest {
  event: Stripe.Event;
  payload: string;
  deliveries: number;
  /** Set when no handler takes the event type: stored already settled, with this outcome. */
  ignored: string | null;
  /** Leased to this worker at insert and handed to it in memory (no claim round trip). */
  lease: boolean;
  resolve: (stored: Stored) => void;
  reject: (err: unknown) => void;
}

interface Stored {
  processed: boolean;
  inserted: boolean;
}

/** Most events one INSERT stores (each is 9 parameters). */
const STORE_BATCH = 128;
/** Batch INSERTs in flight at once: while one waits for its commit to reach the disk, the next fills. */
const STORES_IN_FLIGHT = 2;
/** Most events one settling UPDATE marks processed. */
const SETTLE_BATCH = 256;
/** PostgreSQL notification channel: an event was stored without a lease (any worker may take it). */
const NOTIFY_CHANNEL = 'stripe_events_stored';
/** Pause before a worker tries again an event whose failure it could not even record. */
const UNREACHABLE_RETRY_MS = 1000;
/** Least time between two claims that may find nothing. */
const CLAIM_INTERVAL_MS = 50;

/**
 * The webhook inbox. Receiving verifies the signature and stores the event once by id: that is
 * all the HTTP request waits for, so Stripe gets its 2xx in a few milliseconds and an event
 * acknowledged is an event on disk. Concurrent deliveries are stored together, one multi-row
 * INSERT and one commit for all of them (group commit), and no request is answered before that
 * commit is durable.
 *
 * A worker in every instance processes stored events, WEBHOOK_WORKER_CONCURRENCY at a time. An
 * event this instance stored is leased to its worker in the same INSERT and handed over in
 * memory; everything else (retries, a backlog beyond what the worker holds, events another
 * instance stored and left, events recovered from Stripe's list) is claimed from the table in
 * arrival order with `FOR UPDATE SKIP LOCKED` and a lease, so instances never share one. It is
 * woken by new work and polls every WEBHOOK_RETRY_INTERVAL_MS for retries.
 *
 * Handlers first look without writing (`prepare`); an event with nothing to apply writes nothing
 * but its processed mark, and the marks are written in batches. An event with effects applies
 * them in one transaction. Its processed mark follows in the next batch: were it lost (a crash
 * between the two), the event is processed again, which every handler's idempotent effects allow.
 * A failure is recorded on the row and retried with backoff, then parked after
 * WEBHOOK_MAX_ATTEMPTS until replayed.
 */
@Injectable()
export class WebhookInboxService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly handlers = new Map<string, StripeWebhookHandler[]>();
  private readonly worker = randomUUID();
  private observer?: InboxObserver;
  private running?: Promise<void>;
  private wake?: () => void;
  private kicked = false;
  private stopping = false;
  /** Leased to this worker, not started yet (in arrival order). */
  private readonly queue: Claimed[] = [];
  /** Events being processed now. */
  private active = 0;
  /** Events waiting for one with the same ordering key (running now) to finish, by key. */
  private readonly behind = new Map<string, Claimed[]>();
  /** Leases promised to stores in flight (so the worker never holds more than `holdLimit`). */
  private reserved = 0;
  private readonly storeQueue: StoreRequest[] = [];
  private storesInFlight = 0;
  private readonly settleQueue: Array<{ id: string; outcome: string }> = [];
  private settling?: Promise<void>;
  /** Something is waiting in the table for sure (stored without a lease, adopted, a full claim). */
  private claimNow = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stripe: StripeGateway,
    private readonly config: AppConfig,
  ) {}

  register(handler: StripeWebhookHandler): void {
    for (const type of handler.eventTypes) this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
  }

  /** The event types some handler processes (the rest are stored and marked ignored). */
  handledTypes(): string[] {
    return [...this.handlers.keys()];
  }

  observe(observer: InboxObserver): void {
    this.observer = observer;
  }

  onApplicationBootstrap(): void {
    if (this.config.WEBHOOK_WORKER_CONCURRENCY === 0) return;
    this.running = this.work();
    // Events stored by another instance (one that only receives, or one with no room) wake this
    // worker through PostgreSQL's notifications. Not on the embedded database: one process.
    if (this.config.DATABASE_URL) this.listen(this.config.DATABASE_URL);
  }

  /** Stops taking events, lets those in hand finish (no event is left half-done), hands the rest back. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }

  private listener?: Client;

  /** LISTEN on its own connection; reconnects (after a second) while the service runs. */
  private listen(url: string): void {
    if (this.stopping) return;
    const client = new Client({ connectionString: url });
    const retry = () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      void client.end().catch(() => undefined);
      setTimeout(() => this.listen(url), 1000).unref();
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', () => {
      this.claimNow = true;
      this.kick();
    });
    this.listener = client;
    client
      .connect()
      .then(() => client.query(`LISTEN ${NOTIFY_CHANNEL}`))
      // Whatever was stored while not listening.
      .then(() => this.kick())
      .catch((err) => {
        this.logger.warn(`could not listen for new webhook events (retrying): ${err instanceof Error ? err.message : err}`);
        retry();
      });
  }

  /** Verifies and stores the event; the worker processes it. The verified raw body is stored as it came. */
  async receive(rawBody: Buffer, signature: string | string[] | undefined): Promise<ReceiveResult> {
    const event = this.stripe.constructEvent(rawBody, signature);
    assertEventShape(event);
    // No Stripe event carries a NUL character, and no text column could hold one.
    if (rawBody.includes('\\u0000')) throw new DomainError('WEBHOOK_PAYLOAD_INVALID', 'the signed body contains a NUL character', 'body');
    let stored: Stored;
    try {
      stored = await this.store(event, rawBody.toString('utf8'));
    } catch (err) {
      // Refused by PostgreSQL (\u0000, a lone surrogate): a body no Stripe event has.
      if (['22P02', '22P05'].includes((err as { code?: string }).code ?? '')) throw new DomainError('WEBHOOK_PAYLOAD_INVALID', 'the signed body is not valid JSON for an event', 'body');
      throw err;
    }
    const { processed, inserted } = stored;
    this.observer?.received(event.type, !inserted);
    return { eventId: event.id, type: event.type, duplicate: !inserted, status: processed ? 'processed' : 'queued' };
  }

  /**
   * Stores an event fetched from Stripe rather than delivered (missed-webhook recovery); true if
   * it was not in the inbox yet.
   */
  async adopt(event: Stripe.Event): Promise<boolean> {
    const { inserted } = await this.store(event, JSON.stringify(event), 0);
    return inserted;
  }

  /** Leased events in hand: queued, running, or waiting behind one with the same key. */
  private held(): number {
    let waiting = 0;
    for (const list of this.behind.values()) waiting += list.length;
    return this.queue.length + this.active + waiting;
  }

  /** How many leased events this worker holds at most (queued and running). */
  private get holdLimit(): number {
    return this.config.WEBHOOK_WORKER_CONCURRENCY * 64;
  }

  /**
   * Queues the event for the next batch INSERT and resolves once that batch has committed. An
   * event some handler takes is leased to this worker in the same INSERT when the worker has
   * room; otherwise it waits in the table to be claimed.
   */
  private store(event: Stripe.Event, payload: string, deliveries = 1): Promise<Stored> {
    // An event type no handler processes is stored already settled: the worker never sees it.
    const ignored = this.handlers.has(event.type) ? null : `ignored: no handler for ${event.type}`;
    const lease = ignored === null && !this.stopping && this.config.WEBHOOK_WORKER_CONCURRENCY > 0 && this.held() + this.reserved < this.holdLimit;
    if (lease) this.reserved++;
    return new Promise<Stored>((resolve, reject) => {
      this.storeQueue.push({ event, payload, deliveries, ignored, lease, resolve, reject });
      this.flushStores();
    });
  }

  /** Sends the next batch of stores if fewer than STORES_IN_FLIGHT are on their way. */
  private flushStores(): void {
    while (this.storeQueue.length && this.storesInFlight < STORES_IN_FLIGHT) {
      const batch = this.storeQueue.splice(0, STORE_BATCH);
      this.storesInFlight++;
      void this.storeBatch(batch).finally(() => {
        this.storesInFlight--;
        this.flushStores();
      });
    }
  }

  private async storeBatch(batch: StoreRequest[]): Promise<void> {
    // One row per event id (a delivery and its redelivery may arrive together), in id order so
    // that two batches holding the same ids lock them in the same order.
    const byId = new Map<string, StoreRequest[]>();
    for (const r of batch) byId.set(r.event.id, [...(byId.get(r.event.id) ?? []), r]);
    const ids = [...byId.keys()].sort();
    let rows: Map<string, Stored & { leased: boolean }>;
    try {
      rows = await this.insertEvents(ids.map((id) => byId.get(id)!));
    } catch (err) {
      if (ids.length === 1) {
        for (const r of batch) {
          if (r.lease) this.reserved--;
          r.reject(err);
        }
        return;
      }
      // One bad body (say, JSON PostgreSQL refuses) must not fail the others: store one by one.
      await Promise.all(ids.map((id) => this.storeBatch(byId.get(id)!)));
      return;
    }
    let wake = false;
    let unleased = false;
    for (const id of ids) {
      const requests = byId.get(id)!;
      const row = rows.get(id)!;
      for (const r of requests) if (r.lease) this.reserved--;
      if (row.leased && this.stopping) void this.release([id]);
      else if (row.leased) this.queue.push({ id, payload: requests[0].event, attempts: 1 });
      else if (row.inserted && !row.processed) unleased = this.claimNow = true; // stored without a lease: to be claimed
      if (row.leased || (row.inserted && !row.processed)) wake = true;
      requests.forEach((r, i) => r.resolve({ processed: row.processed, inserted: row.inserted && i === 0 }));
    }
    if (wake) this.kick();
    // Stored for whichever worker claims it first: tell the listening instances.
    if (unleased && this.config.DATABASE_URL) await this.dataSource.query(`SELECT pg_notify('${NOTIFY_CHANNEL}', '')`).catch(() => undefined);
  }

  private async insertEvents(groups: StoreRequest[][]): Promise<Map<string, Stored & { leased: boolean }>> {
    const params: unknown[] = [];
    const values = groups.map((requests) => {
      const { event, payload, ignored } = requests[0];
      const deliveries = requests.reduce((n, r) => n + r.deliveries, 0);
      const lease = requests.some((r) => r.lease);
      const apiVersion = typeof event.api_version === 'string' ? event.api_version.slice(0, 50) : null;
      const n = params.push(event.id, event.type, apiVersion, event.livemode === true, event.created, payload, deliveries, ignored, lease);
      const p = (i: number) => `$${n - 9 + i}`;
      return `(${p(1)}::text, ${p(2)}::text, ${p(3)}::text, ${p(4)}::boolean, ${p(5)}::bigint, ${p(6)}::text, ${p(7)}::int, ${p(8)}::text, ${p(9)}::boolean)`;
    });
    params.push(this.worker, LEASE_SECONDS);
    const worker = `$${params.length - 1}`;
    const lease = `$${params.length}`;
    const rows = await sql<{ id: string; processed: boolean; inserted: boolean; leased: boolean }>(
      this.dataSource.manager,
      `INSERT INTO stripe_events AS e (id, type, api_version, livemode, stripe_created_at, payload, deliveries, next_attempt_at, processed_at, outcome, attempts, locked_until, locked_by)
       SELECT v.id, v.type, v.api_version, v.livemode, to_timestamp(v.created), v.payload::json, v.deliveries, now(),
              CASE WHEN v.ignored IS NULL THEN NULL ELSE now() END, v.ignored,
              CASE WHEN v.lease THEN 1 ELSE 0 END,
              CASE WHEN v.lease THEN now() + make_interval(secs => ${lease}::int) END,
              CASE WHEN v.lease THEN ${worker}::text END
         FROM (VALUES ${values.join(', ')}) AS v (id, type, api_version, livemode, created, payload, deliveries, ignored, lease)
       ON CONFLICT (id) DO UPDATE SET deliveries = e.deliveries + EXCLUDED.deliveries
       RETURNING e.id, e.processed_at IS NOT NULL AS processed, (e.xmax = 0) AS inserted, (e.xmax = 0 AND e.locked_by IS NOT NULL) AS leased`,
      params,
    );
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** Wakes the worker (new work). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /**
   * The worker: starts leased events as lanes free up, and claims from the table when it holds
   * fewer than it could start and something may be there (it was woken, or the last claim came
   * back full). Claims that may well find nothing (a lane freed, an event stored and leased) are
   * at most one per CLAIM_INTERVAL_MS; those that will find something (an event stored without a
   * lease, a full claim) go at once.
   */
  private async work(): Promise<void> {
    const concurrency = this.config.WEBHOOK_WORKER_CONCURRENCY;
    const lanes = new Set<Promise<void>>();
    // Runs `claimed` and then, in the same lane, whatever waited behind it for the same key.
    const run = (claimed: Claimed, key: string | null) => {
      this.active++;
      const lane: Promise<void> = this.processClaimed(claimed).then(() => {
        this.active--;
        lanes.delete(lane);
        const next = key === null ? undefined : this.behind.get(key)?.shift();
        if (next && !this.stopping) run(next, key);
        else if (key !== null) {
          if (next) this.queue.unshift(next); // stopping: handed back with the rest
          this.queue.unshift(...(this.behind.get(key) ?? []));
          this.behind.delete(key);
        }
        startLanes();
        // Running low: the loop may claim more.
        if (this.queue.length < concurrency) this.kick();
      });
      lanes.add(lane);
    };
    const startLanes = () => {
      while (!this.stopping && this.active < concurrency && this.queue.length) {
        const claimed = this.queue.shift()!;
        const key = orderingKey(claimed.payload);
        // Another event about the same checkout or payment is running: this one waits for it
        // rather than for its locks, and then usually finds its work done (no Stripe call).
        if (key !== null && this.behind.has(key)) {
          this.behind.get(key)!.push(claimed);
          continue;
        }
        if (key !== null) this.behind.set(key, []);
        run(claimed, key);
      }
    };
    const heartbeat = setInterval(() => void this.renewLeases(), HEARTBEAT_MS);
    heartbeat.unref();
    let want = true;
    let lastClaim = 0;
    while (!this.stopping) {
      if (this.kicked) want = true;
      this.kicked = false;
      startLanes();
      const room = Math.min(BATCH, this.holdLimit - this.held());
      if (want && this.queue.length < concurrency && room > 0) {
        const wait = this.claimNow ? 0 : lastClaim + CLAIM_INTERVAL_MS - Date.now();
        if (wait > 0) {
          await this.idle(wait);
          continue;
        }
        want = false;
        this.claimNow = false;
        lastClaim = Date.now();
        try {
          const claimed = await this.claim(room);
          this.queue.push(...claimed);
          // A full claim: there may be more waiting.
          if (claimed.length === room) want = this.claimNow = true;
        } catch (err) {
          this.logger.error(`could not claim webhook events: ${err instanceof Error ? err.message : err}`);
          want = true;
          await this.idle(1000);
        }
        continue;
      }
      if (this.kicked) continue;
      // Until new work (a store, a lane freed) or, with nothing in hand, the retry poll; either
      // way the table may have something due by then.
      await this.idle(this.active || this.queue.length || want ? 0 : this.config.WEBHOOK_RETRY_INTERVAL_MS);
      want = true;
    }
    // Stopping: those started finish; those not started are handed back untouched.
    while (lanes.size) await Promise.all(lanes);
    clearInterval(heartbeat);
    const notStarted = this.queue.splice(0);
    if (notStarted.length) await this.release(notStarted.map((c) => c.id));
    await this.flushSettled();
  }

  /**
   * Renews the leases of the events this worker holds (queued, running, waiting behind another,
   * or done and waiting for their processed mark). One statement, every HEARTBEAT_MS, while it
   * holds any; if it fails, the leases simply run out as a dead worker's would.
   */
  private async renewLeases(): Promise<void> {
    if (this.held() === 0 && this.settleQueue.length === 0 && !this.settling) return;
    // Rows someone else has locked (being marked processed, a redelivery counted) are skipped:
    // the renewal never waits, so it can never deadlock with them.
    await sql(
      this.dataSource.manager,
      `UPDATE stripe_events SET locked_until = now() + make_interval(secs => $2)
        WHERE id IN (SELECT id FROM stripe_events
                      WHERE processed_at IS NULL AND locked_by = $1 AND locked_until IS NOT NULL
                      FOR UPDATE SKIP LOCKED)`,
      [this.worker, LEASE_SECONDS],
    ).catch((err) => this.logger.warn(`could not renew webhook leases (they run out in ${LEASE_SECONDS} s): ${err instanceof Error ? err.message : err}`));
  }

  /** Sleeps until kicked, stopped, or `ms` passes (0: until kicked or stopped). */
  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms > 0 ? setTimeout(() => done(), ms) : undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
    });
  }

  /** Leases up to `limit` due events, oldest arrival first, skipping any another worker holds. */
  private async claim(limit: number): Promise<Claimed[]> {
    if (limit <= 0) return [];
    return (
      await sql<Claimed & { receivedAt: Date }>(
        this.dataSource.manager,
        `UPDATE stripe_events e SET locked_until = now() + make_interval(secs => $2), locked_by = $3, attempts = e.attempts + 1
          WHERE e.id IN (SELECT id FROM stripe_events
                          WHERE processed_at IS NULL AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
                          ORDER BY received_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING e.id, e.payload, e.attempts, e.received_at AS "receivedAt"`,
        [limit, LEASE_SECONDS, this.worker],
      )
    )
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : 1))
      .map(({ id, payload, attempts }) => ({ id, payload, attempts }));
  }

  /** Hands claimed events back (shutdown): no lease, the attempt not counted. */
  private async release(ids: string[]): Promise<void> {
    await this.dataSource
      .query(`UPDATE stripe_events SET locked_until = NULL, locked_by = NULL, attempts = attempts - 1 WHERE id = ANY($1::text[]) AND processed_at IS NULL AND locked_by = $2`, [ids, this.worker])
      .catch((err) => this.logger.warn(`could not hand back ${ids.length} events (their lease will run out): ${err}`));
  }

  /** Processes one claimed event; never throws (a failure is recorded for a later retry). */
  private async processClaimed({ id: eventId, payload: event, attempts }: Claimed): Promise<boolean> {
    const started = process.hrtime.bigint();
    try {
      const handlers = this.handlers.get(event.type) ?? [];
      const applies: ApplyEffects[] = [];
      for (const handler of handlers) applies.push(await handler.prepare(event));
      let outcomes: string[];
      if (applies.every((a) => a.outcome !== undefined)) {
        // Nothing to write (ignored, or already recorded): no transaction, only the processed mark.
        outcomes = applies.map((a) => a.outcome!);
      } else {
        // One handler with effects may have its first statement sent along with BEGIN.
        const effects = applies.filter((a) => a.outcome === undefined);
        const opener = effects.length === 1 ? effects[0] : undefined;
        outcomes = await this.inTransaction(async (manager, opened) => {
          const out: string[] = [];
          for (const apply of applies) out.push(apply === opener && opener.opening ? await apply(manager, opened) : await apply(manager));
          return out;
        }, opener?.opening);
      }
      const outcome = outcomes.length ? outcomes.join(' | ') : `ignored: no handler for ${event.type}`;
      // The lane moves on; the mark is written with the next batch (the lease keeps the event
      // from other workers meanwhile).
      void this.settle(eventId, outcome.slice(0, 500));
      this.observer?.processed(event.type, Number(process.hrtime.bigint() - started) / 1e9);
      return true;
    } catch (err) {
      this.observer?.failed(event.type);
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      // "Not yet" (money going out of a payment whose own event is still on its way) is expected
      // when events race; it is retried soon, and only then on the usual schedule.
      const soon = err instanceof RetrySoonError && attempts <= 2;
      if (soon) this.logger.warn({ msg: 'webhook event must wait for another', eventId, type: event.type, attempts, err: message });
      else this.logger.error({ msg: 'webhook processing failed', eventId, type: event.type, attempts, err: message });
      // After the two quick retries, "not yet" continues on the usual schedule from its start.
      const notYet = err instanceof RetrySoonError;
      const delay = soon ? (err as RetrySoonError).retryAfterMs * attempts : retryDelayMs(notYet ? attempts - 2 : attempts, this.config.WEBHOOK_RETRY_BASE_MS);
      // After WEBHOOK_MAX_ATTEMPTS the event is parked (next attempt 'infinity'); a replay revives it.
      const parked = attempts >= this.config.WEBHOOK_MAX_ATTEMPTS;
      const recorded = await this.dataSource
        .query(
          `UPDATE stripe_events SET last_error = $2, locked_until = NULL,
                  next_attempt_at = CASE WHEN $4 THEN 'infinity'::timestamptz ELSE now() + make_interval(secs => $3::double precision / 1000) END
            WHERE id = $1`,
          [eventId, message.slice(0, 2000), delay, parked],
        )
        .then(
          () => true,
          (e) => {
            this.logger.error(`could not record failure of ${eventId}: ${e}`);
            return false;
          },
        );
      // The database is unreachable (the failure could not even be written): the event is still
      // leased to this worker, so rather than leave it until the lease runs out, this worker
      // tries it again itself after a pause.
      if (!recorded && !this.stopping && this.config.WEBHOOK_WORKER_CONCURRENCY > 0) {
        setTimeout(() => {
          if (this.stopping) return;
          this.queue.push({ id: eventId, payload: event, attempts: attempts + 1 });
          this.kick();
        }, UNREACHABLE_RETRY_MS).unref();
      }
      return false;
    }
  }

  /**
   * Runs `work` in one transaction on a connection of its own. On PostgreSQL the commit does not
   * wait for the disk: an event's effects are idempotent and its processed mark comes after them,
   * so were a database crash to lose the commit, the event is simply processed again; only
   * acknowledging an event must be durable. Not on the embedded database, which lives and dies
   * with this process.
   */
  private async inTransaction<T>(work: (manager: EntityManager, opened: Array<Record<string, unknown>>) => Promise<T>, opening?: string): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as { query(sql: string): Promise<{ rows: Array<Record<string, unknown>> } | Array<{ rows: Array<Record<string, unknown>> }>> };
    try {
      // BEGIN, the setting and the opening statement in one round trip (the simple protocol
      // runs them in order); TypeORM is told a transaction is open so that nothing inside starts
      // its own.
      const begin = this.config.DATABASE_URL ? ['BEGIN', 'SET LOCAL synchronous_commit = off'] : ['BEGIN'];
      const results = await client.query([...begin, ...(opening ? [opening] : [])].join('; '));
      // The rows of the opening's first statement.
      const opened = opening && Array.isArray(results) ? results[begin.length].rows : [];
      (runner as { isTransactionActive: boolean }).isTransactionActive = true;
      try {
        const result = await work(runner.manager, opened);
        await runner.query('COMMIT');
        return result;
      } catch (err) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        (runner as { isTransactionActive: boolean }).isTransactionActive = false;
      }
    } finally {
      await runner.release();
    }
  }

  /** Marks the event processed with the next batch; resolves once that batch is written. */
  private settle(id: string, outcome: string): Promise<void> {
    this.settleQueue.push({ id, outcome });
    return this.flushSettled();
  }

  /** Writes the queued processed marks: one UPDATE at a time, each taking all that queued meanwhile. */
  private flushSettled(): Promise<void> {
    if (!this.settling) {
      this.settling = (async () => {
        let conflicts = 0;
        while (this.settleQueue.length) {
          const batch = this.settleQueue.splice(0, SETTLE_BATCH);
          const byId = new Map(batch.map((b) => [b.id, b.outcome]));
          try {
            // Rows locked in id order, as the batch INSERT locks them: the two never deadlock.
            await sql(
              this.dataSource.manager,
              `WITH v AS (SELECT * FROM unnest($1::text[], $2::text[]) AS v (id, outcome)),
                    locked AS (SELECT e.id FROM stripe_events e JOIN v ON v.id = e.id WHERE e.processed_at IS NULL ORDER BY e.id FOR UPDATE OF e)
               UPDATE stripe_events e SET processed_at = now(), outcome = v.outcome, last_error = NULL, locked_until = NULL
                 FROM v, locked
                WHERE e.id = v.id AND e.id = locked.id`,
              [[...byId.keys()], [...byId.values()]],
            );
          } catch (err) {
            const code = (err as { code?: string }).code;
            // A deadlock or serialization failure: try the same marks again (a few times).
            if ((code === '40P01' || code === '40001') && conflicts++ < 3) {
              this.settleQueue.unshift(...batch);
              continue;
            }
            // The effects are in; unmarked, the events are processed again once their lease ends.
            this.logger.error(`could not mark ${byId.size} webhook events processed (they will be processed again): ${err instanceof Error ? err.message : err}`);
          }
        }
      })().finally(() => {
        this.settling = undefined;
      });
      return this.settling;
    }
    // A batch is being written: the next round of the loop above takes this one.
    const current = this.settling;
    return current.then(() => (this.settleQueue.length ? this.flushSettled() : undefined));
  }

  /**
   * Processes every event that is due now, in this call (tests use it; the worker does the same
   * on its own). Answers how many were processed.
   */
  async sweep(limit = 1000): Promise<number> {
    let done = 0;
    while (done < limit && !this.stopping) {
      const claimed = await this.claim(Math.min(BATCH, limit - done));
      if (!claimed.length) break;
      for (const event of claimed) if (await this.processClaimed(event)) done++;
    }
    await this.flushSettled();
    return done;
  }
}
