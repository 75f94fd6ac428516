import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { rawTransaction } from '@app/database';
import { ProcessedMarkBatcher } from './processed-mark-batcher';
import { failureMessage, planRetry } from './retry-policy';
import { type ApplyEffects, permanentOutcome } from './webhook-handler';
import { WebhookHandlerRegistry } from './webhook-handler-registry';
import { type Claimed, LEASE_SECONDS, WebhookInboxRepository } from './webhook-inbox.repository';

/** Observes the inbox (metrics); optional. */
export interface InboxObserver {
  received(type: string, duplicate: boolean): void;
  processed(type: string, seconds: number): void;
  failed(type: string): void;
}

/** How often a worker renews the leases of the events it holds (they last LEASE_SECONDS). */
const HEARTBEAT_MS = 2000;
/** Events claimed per round trip. */
const BATCH = 50;
/** Pause before a worker tries again an event whose failure it could not even record. */
const UNREACHABLE_RETRY_MS = 1000;
/** Least time between two claims that may find nothing. */
const CLAIM_INTERVAL_MS = 50;

/**
 * The worker of one instance: processes leased events, WEBHOOK_WORKER_CONCURRENCY at a time, in
 * lanes. Events come from two sides: stored by this instance and leased at insert (handed over
 * by the store batcher, `afterStore`), or claimed from the table (retries, a backlog beyond what
 * it holds, events another instance stored, events recovered from Stripe). Events with the same
 * ordering key (their handlers say what they are about: a checkout, a charge) run one after
 * another in one lane. It renews the leases of what it holds, is woken by new work, and polls
 * every WEBHOOK_RETRY_INTERVAL_MS for retries.
 *
 * Handlers first look without writing (`prepare`); an event with nothing to apply writes nothing
 * but its processed mark (batched). An event with effects applies them in one transaction, and
 * its mark follows in the next batch. A permanent answer settles the event with its outcome; any
 * other failure is recorded on the row and retried on the retry policy's schedule, then parked.
 */
@Injectable()
export class WebhookWorker {
  private readonly logger = new Logger('Webhooks');
  observer?: InboxObserver;
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
  private readonly marks: ProcessedMarkBatcher;
  /** Something is waiting in the table for sure (stored without a lease, adopted, a full claim). */
  private claimNow = false;

  constructor(
    private readonly repository: WebhookInboxRepository,
    private readonly handlers: WebhookHandlerRegistry,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.marks = new ProcessedMarkBatcher(repository, this.logger);
  }

  /** Starts processing (once). */
  start(): void {
    this.running ??= this.work();
  }

  /** Stops taking events, lets those in hand finish (no event is left half-done), hands the rest back. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  /** Wakes the worker (new work). */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  /** Something was stored without a lease (another instance's notification): claim at once. */
  tableHasWork(): void {
    this.claimNow = true;
    this.kick();
  }

  /**
   * Room for one more event leased at insert? Reserves it until `afterStore`: the worker never
   * holds more than `holdLimit`.
   */
  reserveLease(): boolean {
    const lease =
      !this.stopping && this.config.WEBHOOK_WORKER_CONCURRENCY > 0 && this.held() + this.reserved < this.holdLimit;
    if (lease) this.reserved++;
    return lease;
  }

  /**
   * A batch was stored: its `reservations` end, the events `leased` to this worker are handed
   * over (handed back when stopping), and `unleased` says some wait in the table to be claimed.
   */
  afterStore(reservations: number, leased: Claimed[], unleased: boolean): void {
    this.reserved -= reservations;
    if (leased.length && this.stopping) void this.release(leased.map((c) => c.id));
    else this.queue.push(...leased);
    if (unleased) this.claimNow = true;
    if (leased.length || unleased) this.kick();
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
   * The loop: starts leased events as lanes free up, and claims from the table when it holds
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
        const key = this.handlers.orderingKey(claimed.payload);
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
          const claimed = await this.repository.claim(room);
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
    await this.marks.flush();
  }

  /**
   * Renews the leases of the events this worker holds (queued, running, waiting behind another,
   * or done and waiting for their processed mark). One statement, every HEARTBEAT_MS, while it
   * holds any; if it fails, the leases simply run out as a dead worker's would.
   */
  private async renewLeases(): Promise<void> {
    if (this.held() === 0 && !this.marks.pending) return;
    await this.repository
      .renewLeases()
      .catch((err) =>
        this.logger.warn(
          `could not renew webhook leases (they run out in ${LEASE_SECONDS} s): ${err instanceof Error ? err.message : err}`,
        ),
      );
  }

  /** Hands claimed events back (shutdown); a failure only means their leases run out. */
  private async release(ids: string[]): Promise<void> {
    await this.repository
      .release(ids)
      .catch((err) => this.logger.warn(`could not hand back ${ids.length} events (their lease will run out): ${err}`));
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

  /** Processes one claimed event; never throws (a failure is recorded for a later retry). */
  private async processClaimed({ id: eventId, payload: event, attempts }: Claimed): Promise<boolean> {
    const started = process.hrtime.bigint();
    try {
      const handlers = this.handlers.handlersOf(event.type);
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
          for (const apply of applies) {
            out.push(apply === opener && opener.opening ? await apply(manager, opened) : await apply(manager));
          }
          return out;
        }, opener?.opening);
      }
      const outcome = outcomes.length ? outcomes.join(' | ') : `ignored: no handler for ${event.type}`;
      // The lane moves on; the mark is written with the next batch (the lease keeps the event
      // from other workers meanwhile).
      void this.marks.add(eventId, outcome.slice(0, 500));
      this.observer?.processed(event.type, Number(process.hrtime.bigint() - started) / 1e9);
      return true;
    } catch (err) {
      // A permanent answer (another integration's money, an object Stripe no longer has) settles
      // the event now, with why, instead of retrying it for hours.
      const permanent = permanentOutcome(err);
      if (permanent !== null) {
        this.logger.warn({
          msg: 'webhook event settled without effect',
          eventId,
          type: event.type,
          attempts,
          outcome: permanent,
        });
        void this.marks.add(eventId, permanent.slice(0, 500));
        this.observer?.processed(event.type, Number(process.hrtime.bigint() - started) / 1e9);
        return true;
      }
      this.observer?.failed(event.type);
      const message = failureMessage(err);
      const plan = planRetry(err, attempts, {
        baseMs: this.config.WEBHOOK_RETRY_BASE_MS,
        maxAttempts: this.config.WEBHOOK_MAX_ATTEMPTS,
      });
      // "Not yet" (money going out of a payment whose own event is still on its way) is expected
      // when events race; it is retried soon, and only then on the usual schedule.
      if (plan.soon) {
        this.logger.warn({
          msg: 'webhook event must wait for another',
          eventId,
          type: event.type,
          attempts,
          err: message,
        });
      } else this.logger.error({ msg: 'webhook processing failed', eventId, type: event.type, attempts, err: message });
      const recorded = await this.repository
        .recordFailure(eventId, message.slice(0, 2000), plan.delayMs, plan.parked)
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
   * Runs an event's effects in one transaction on a connection of its own (`rawTransaction`),
   * `opening` sent with BEGIN. On PostgreSQL the commit does not wait for the disk: an event's
   * effects are idempotent and its processed mark comes after them, so were a database crash to
   * lose the commit, the event is simply processed again; only acknowledging an event must be
   * durable. Not on the embedded database, which lives and dies with this process.
   *
   * On PostgreSQL the transaction also gets a deliberate `lock_timeout` and `statement_timeout`
   * (WEBHOOK_LOCK_TIMEOUT_MS, WEBHOOK_STATEMENT_TIMEOUT_MS): a row another session holds fails
   * the event (retried later) instead of holding a pooled connection indefinitely.
   */
  private inTransaction<T>(
    work: (manager: EntityManager, opened: Array<Record<string, unknown>>) => Promise<T>,
    opening?: string,
  ): Promise<T> {
    const begin = this.config.DATABASE_URL
      ? [
          'BEGIN',
          'SET LOCAL synchronous_commit = off',
          `SET LOCAL lock_timeout = ${this.config.WEBHOOK_LOCK_TIMEOUT_MS}`,
          `SET LOCAL statement_timeout = ${this.config.WEBHOOK_STATEMENT_TIMEOUT_MS}`,
        ]
      : ['BEGIN'];
    return rawTransaction(this.dataSource, begin, opening, work);
  }

  /**
   * Processes every event that is due now, in this call (tests use it; the loop does the same
   * on its own). Answers how many were processed.
   */
  async sweep(limit = 1000): Promise<number> {
    let done = 0;
    while (done < limit && !this.stopping) {
      const claimed = await this.repository.claim(Math.min(BATCH, limit - done));
      if (!claimed.length) break;
      for (const event of claimed) if (await this.processClaimed(event)) done++;
    }
    await this.marks.flush();
    return done;
  }
}
