import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { rowsOf } from '@app/database';
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
 * Lease on an event while one worker processes it. A worker that dies (SIGKILL) frees its
 * events when the lease runs out; one that is merely slow may see another worker process the
 * same event too, which is harmless: every effect is idempotent.
 */
const LEASE_SECONDS = 15;
/** Events claimed per round trip. */
const BATCH = 50;

/** A verified body is still only stored if it has an event's shape (id, type, created, data.object). */
function assertEventShape(event: Stripe.Event): void {
  const e = event as unknown as Record<string, unknown> | null;
  const ok =
    typeof e === 'object' && e !== null && !Array.isArray(e) &&
    typeof e.id === 'string' && /^evt_[A-Za-z0-9_]{1,250}$/.test(e.id) &&
    typeof e.type === 'string' && /^[a-z0-9_.]{1,100}$/.test(e.type) &&
    Number.isSafeInteger(e.created) && (e.created as number) > 0 &&
    typeof e.data === 'object' && e.data !== null && typeof (e.data as Record<string, unknown>).object === 'object' && (e.data as Record<string, unknown>).object !== null;
  if (!ok) throw new DomainError('WEBHOOK_PAYLOAD_INVALID', 'the signed body is not a Stripe event (id evt_…, type, created, data.object)', 'body');
}

/** Backoff after the n-th failed attempt: base, 2×base, 4×base … capped at an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(attempts - 1, 0), 3_600_000);
}

interface Claimed {
  id: string;
  payload: Stripe.Event;
  attempts: number;
  receivedAt: Date;
}

/**
 * The webhook inbox. Receiving verifies the signature and stores the event once by id: that is
 * all the HTTP request waits for, so Stripe gets its 2xx in a few milliseconds and an event
 * acknowledged is an event on disk. A worker in every instance claims stored events in the
 * order they arrived (`FOR UPDATE SKIP LOCKED` and a lease, so instances never share one) and
 * processes them, WEBHOOK_WORKER_CONCURRENCY at a time; it is woken by every new event and polls
 * every WEBHOOK_RETRY_INTERVAL_MS for retries. A failure is recorded on the row and retried with
 * backoff, then parked after WEBHOOK_MAX_ATTEMPTS until replayed.
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
    this.running = this.work();
  }

  /** Stops claiming, lets the events in hand finish (no event is left half-done). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  /** Verifies and stores the event; the worker processes it. The verified raw body is stored as it came. */
  async receive(rawBody: Buffer, signature: string | string[] | undefined): Promise<ReceiveResult> {
    const event = this.stripe.constructEvent(rawBody, signature);
    assertEventShape(event);
    // No Stripe event carries a NUL character, and no text column could hold one.
    if (rawBody.includes('\\u0000')) throw new DomainError('WEBHOOK_PAYLOAD_INVALID', 'the signed body contains a NUL character', 'body');
    let stored: { processed: boolean; inserted: boolean };
    try {
      stored = await this.store(event, rawBody.toString('utf8'));
    } catch (err) {
      // Refused by PostgreSQL (\u0000, a lone surrogate): a body no Stripe event has.
      if (['22P02', '22P05'].includes((err as { code?: string }).code ?? '')) throw new DomainError('WEBHOOK_PAYLOAD_INVALID', 'the signed body is not valid JSON for an event', 'body');
      throw err;
    }
    const { processed, inserted } = stored;
    this.observer?.received(event.type, !inserted);
    if (!processed) this.kick();
    return { eventId: event.id, type: event.type, duplicate: !inserted, status: processed ? 'processed' : 'queued' };
  }

  /**
   * Stores an event fetched from Stripe rather than delivered (missed-webhook recovery); true if
   * it was not in the inbox yet.
   */
  async adopt(event: Stripe.Event): Promise<boolean> {
    const { inserted } = await this.store(event, JSON.stringify(event), 0);
    if (inserted) this.kick();
    return inserted;
  }

  private async store(event: Stripe.Event, payload: string, deliveries = 1): Promise<{ processed: boolean; inserted: boolean }> {
    // An event type no handler processes is stored already settled: the worker never sees it.
    const ignored = this.handlers.has(event.type) ? null : `ignored: no handler for ${event.type}`;
    const rows: Array<{ processed: boolean; inserted: boolean }> = await this.dataSource.query(
      `INSERT INTO stripe_events (id, type, api_version, livemode, stripe_created_at, payload, deliveries, next_attempt_at, processed_at, outcome)
       VALUES ($1, $2, $3, $4, to_timestamp($5), $6::json, $7, now(), CASE WHEN $8::text IS NULL THEN NULL ELSE now() END, $8::text)
       ON CONFLICT (id) DO UPDATE SET deliveries = stripe_events.deliveries + EXCLUDED.deliveries
       RETURNING processed_at IS NOT NULL AS processed, (xmax = 0) AS inserted`,
      [event.id, event.type, typeof event.api_version === 'string' ? event.api_version.slice(0, 50) : null, event.livemode === true, event.created, payload, deliveries, ignored],
    );
    return rows[0];
  }

  /** Wakes the worker (new work). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  private async work(): Promise<void> {
    const concurrency = this.config.WEBHOOK_WORKER_CONCURRENCY;
    while (!this.stopping) {
      this.kicked = false;
      let claimed: Claimed[] = [];
      try {
        claimed = await this.claim(BATCH);
      } catch (err) {
        this.logger.error(`could not claim webhook events: ${err instanceof Error ? err.message : err}`);
        await this.idle(1000);
        continue;
      }
      if (claimed.length) {
        // Up to `concurrency` at a time, each lane taking the next event as it finishes one.
        // Stopping, a lane takes no new event; those not started are handed back untouched.
        let next = 0;
        await Promise.all(
          Array.from({ length: Math.min(concurrency, claimed.length) }, async () => {
            while (next < claimed.length && !this.stopping) await this.processClaimed(claimed[next++]);
          }),
        );
        if (next < claimed.length) await this.release(claimed.slice(next).map((c) => c.id));
        continue;
      }
      if (!this.kicked) await this.idle(this.config.WEBHOOK_RETRY_INTERVAL_MS);
    }
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
    return rowsOf<Claimed>(
      await this.dataSource.query(
        `UPDATE stripe_events e SET locked_until = now() + make_interval(secs => $2), locked_by = $3, attempts = e.attempts + 1
          WHERE e.id IN (SELECT id FROM stripe_events
                          WHERE processed_at IS NULL AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
                          ORDER BY received_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING e.id, e.payload, e.attempts, e.received_at AS "receivedAt"`,
        [limit, LEASE_SECONDS, this.worker],
      ),
    ).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : 1));
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
      await this.dataSource.transaction(async (manager) => {
        // On PostgreSQL the event's effects and its "processed" mark commit together; if a
        // database crash loses this commit, both are lost and the event is processed again
        // (effects are idempotent). So the commit need not wait for the disk: only acknowledging
        // an event must. Not on the embedded database, which lives and dies with this process.
        if (this.config.DATABASE_URL) await manager.query(`SET LOCAL synchronous_commit = off`);
        const outcomes: string[] = [];
        for (const apply of applies) outcomes.push(await apply(manager));
        const outcome = outcomes.length ? outcomes.join(' | ') : `ignored: no handler for ${event.type}`;
        await manager.query(
          `UPDATE stripe_events SET processed_at = now(), outcome = $2, last_error = NULL, locked_until = NULL WHERE id = $1`,
          [eventId, outcome.slice(0, 500)],
        );
      });
      this.observer?.processed(event.type, Number(process.hrtime.bigint() - started) / 1e9);
      return true;
    } catch (err) {
      this.observer?.failed(event.type);
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      this.logger.error({ msg: 'webhook processing failed', eventId, type: event.type, attempts, err: message });
      // After WEBHOOK_MAX_ATTEMPTS the event is parked (next attempt 'infinity'); a replay revives it.
      const parked = attempts >= this.config.WEBHOOK_MAX_ATTEMPTS;
      await this.dataSource
        .query(
          `UPDATE stripe_events SET last_error = $2, locked_until = NULL,
                  next_attempt_at = CASE WHEN $4 THEN 'infinity'::timestamptz ELSE now() + make_interval(secs => $3::double precision / 1000) END
            WHERE id = $1`,
          [eventId, message.slice(0, 2000), retryDelayMs(attempts, this.config.WEBHOOK_RETRY_BASE_MS), parked],
        )
        .catch((e) => this.logger.error(`could not record failure of ${eventId}: ${e}`));
      return false;
    }
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
    return done;
  }
}
