import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf, sql } from '@app/database';

/**
 * Lease on an event while one worker holds it. A living worker renews the leases of every event
 * it holds every few seconds, so a slow event (Stripe taking its time) stays its own; a worker
 * that dies (SIGKILL) stops renewing, and its events are free again within LEASE_SECONDS. Were
 * two workers ever to process one event, that is harmless: every effect is idempotent.
 */
export const LEASE_SECONDS = 6;

/** PostgreSQL notification channel: an event was stored without a lease (any worker may take it). */
export const NOTIFY_CHANNEL = 'stripe_events_stored';

/** An event leased to this worker: to be processed. */
export interface Claimed {
  id: string;
  payload: Stripe.Event;
  attempts: number;
}

/** One row to store (a delivery and its redeliveries in the same batch already merged). */
export interface NewEventRow {
  event: Stripe.Event;
  /** The verified body, stored as it came. */
  payload: string;
  deliveries: number;
  /** Set when no handler takes the event type: stored already settled, with this outcome. */
  ignored: string | null;
  /** Lease it to this worker in the same INSERT. */
  lease: boolean;
}

export interface StoredRow {
  id: string;
  processed: boolean;
  /** false: the event was there already (a redelivery, counted). */
  inserted: boolean;
  /** Inserted now and leased to this worker. */
  leased: boolean;
}

/**
 * The inbox table `stripe_events`: every statement the inbox runs on it, and nothing else. Each
 * instance has one repository, whose `workerId` is the `locked_by` of the leases it takes.
 * The hot statements go through `sql` (prepared once per connection, no query builder).
 */
@Injectable()
export class WebhookInboxRepository {
  readonly workerId = randomUUID();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores events with one multi-row INSERT (group commit), ids in the order given (the caller
   * sorts them, so two batches holding the same ids lock them in the same order). An event
   * already there gets its deliveries counted. Answers each row by id.
   */
  async insert(rows: NewEventRow[]): Promise<Map<string, StoredRow>> {
    const params: unknown[] = [];
    const values = rows.map(({ event, payload, deliveries, ignored, lease }) => {
      const apiVersion = typeof event.api_version === 'string' ? event.api_version.slice(0, 50) : null;
      const n = params.push(
        event.id,
        event.type,
        apiVersion,
        event.livemode === true,
        event.created,
        payload,
        deliveries,
        ignored,
        lease,
      );
      const p = (i: number) => `$${n - 9 + i}`;
      return `(${p(1)}::text, ${p(2)}::text, ${p(3)}::text, ${p(4)}::boolean, ${p(5)}::bigint, ${p(6)}::text, ${p(7)}::int, ${p(8)}::text, ${p(9)}::boolean)`;
    });
    params.push(this.workerId, LEASE_SECONDS);
    const worker = `$${params.length - 1}`;
    const lease = `$${params.length}`;
    const stored = await sql<StoredRow>(
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
    return new Map(stored.map((r) => [r.id, r]));
  }

  /** Tells the listening instances that events were stored without a lease. */
  async notifyStored(): Promise<void> {
    await this.dataSource.query(`SELECT pg_notify('${NOTIFY_CHANNEL}', '')`);
  }

  /**
   * Leases up to `limit` due events (unprocessed, not parked, no living lease), oldest arrival
   * first, skipping any another worker holds; the attempt is counted. Answers them in arrival order.
   */
  async claim(limit: number): Promise<Claimed[]> {
    if (limit <= 0) return [];
    return (
      await sql<Claimed & { receivedAt: Date }>(
        this.dataSource.manager,
        `UPDATE stripe_events e SET locked_until = now() + make_interval(secs => $2), locked_by = $3, attempts = e.attempts + 1
          WHERE e.id IN (SELECT id FROM stripe_events
                          WHERE processed_at IS NULL AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
                          ORDER BY received_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
          RETURNING e.id, e.payload, e.attempts, e.received_at AS "receivedAt"`,
        [limit, LEASE_SECONDS, this.workerId],
      )
    )
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : 1))
      .map(({ id, payload, attempts }) => ({ id, payload, attempts }));
  }

  /**
   * Renews, by LEASE_SECONDS from now, the leases of every unprocessed event this worker holds.
   * Rows someone else has locked (being marked processed, a redelivery counted) are skipped: the
   * renewal never waits, so it can never deadlock with them.
   */
  async renewLeases(): Promise<void> {
    await sql(
      this.dataSource.manager,
      `UPDATE stripe_events SET locked_until = now() + make_interval(secs => $2)
        WHERE id IN (SELECT id FROM stripe_events
                      WHERE processed_at IS NULL AND locked_by = $1 AND locked_until IS NOT NULL
                      FOR UPDATE SKIP LOCKED)`,
      [this.workerId, LEASE_SECONDS],
    );
  }

  /** Hands events this worker holds back (shutdown): no lease, the attempt not counted. */
  async release(ids: string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE stripe_events SET locked_until = NULL, locked_by = NULL, attempts = attempts - 1 WHERE id = ANY($1::text[]) AND processed_at IS NULL AND locked_by = $2`,
      [ids, this.workerId],
    );
  }

  /**
   * Settles events: processed now, with their outcome, in one statement. Rows are locked in id
   * order, as the batch INSERT locks them, so the two never deadlock; events already processed
   * are left as they are.
   */
  async markProcessed(marks: ReadonlyMap<string, string>): Promise<void> {
    await sql(
      this.dataSource.manager,
      `WITH v AS (SELECT * FROM unnest($1::text[], $2::text[]) AS v (id, outcome)),
            locked AS (SELECT e.id FROM stripe_events e JOIN v ON v.id = e.id WHERE e.processed_at IS NULL ORDER BY e.id FOR UPDATE OF e)
       UPDATE stripe_events e SET processed_at = now(), outcome = v.outcome, last_error = NULL, locked_until = NULL
         FROM v, locked
        WHERE e.id = v.id AND e.id = locked.id`,
      [[...marks.keys()], [...marks.values()]],
    );
  }

  /**
   * Records a failed attempt: the error, no lease, and the next attempt `delayMs` from now, or
   * never (`parked`: next attempt 'infinity', until a replay revives it).
   */
  async recordFailure(id: string, error: string, delayMs: number, parked: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE stripe_events SET last_error = $2, locked_until = NULL,
              next_attempt_at = CASE WHEN $4 THEN 'infinity'::timestamptz ELSE now() + make_interval(secs => $3::double precision / 1000) END
        WHERE id = $1`,
      [id, error, delayMs, parked],
    );
  }

  /**
   * The backlog: events waiting (due now or later), parked events (their last attempt failed; they
   * wait for a replay), and the lag: how long the oldest waiting event has waited, in seconds (0
   * when none waits; a parked event is not lag). The same figures as the metrics' webhook gauges.
   */
  async backlog(): Promise<{ pending: number; parked: number; lagSeconds: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE next_attempt_at < 'infinity')::int AS pending,
              count(*) FILTER (WHERE next_attempt_at = 'infinity')::int AS parked,
              COALESCE(GREATEST(EXTRACT(EPOCH FROM now() - min(received_at) FILTER (WHERE next_attempt_at < 'infinity')), 0), 0)::float8 AS lag
         FROM stripe_events
        WHERE processed_at IS NULL`,
    );
    return { pending: Number(row.pending), parked: Number(row.parked), lagSeconds: Number(row.lag) };
  }

  /** Parked events, oldest arrival first, at most `limit`. */
  async parked(limit: number): Promise<ParkedEvent[]> {
    return this.dataSource.query(
      `SELECT id, type, last_error AS "lastError", attempts, deliveries, received_at AS "receivedAt"
         FROM stripe_events
        WHERE processed_at IS NULL AND next_attempt_at = 'infinity'
        ORDER BY received_at, id LIMIT $1`,
      [limit],
    );
  }

  /** One event's state, or null when there is none by that id. */
  async state(id: string, manager: EntityManager = this.dataSource.manager): Promise<EventState | null> {
    const [row] = await manager.query(
      `SELECT id, type, processed_at IS NOT NULL AS processed, next_attempt_at = 'infinity' AND processed_at IS NULL AS parked,
              attempts, last_error AS "lastError"
         FROM stripe_events WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row ?? null;
  }

  /**
   * Revives a parked event (as `npm run webhooks:replay` does): due now, no lease, attempts from 0;
   * its last error stays until an attempt settles it. Answers false, changing nothing, when the
   * event is not parked (already replayed, processed, or still being retried).
   */
  async replayParked(id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result: unknown = await manager.query(
      `UPDATE stripe_events SET locked_until = NULL, locked_by = NULL, attempts = 0, next_attempt_at = now()
        WHERE id = $1 AND processed_at IS NULL AND next_attempt_at = 'infinity' RETURNING id`,
      [id],
    );
    return rowsOf<{ id: string }>(result).length === 1;
  }

  /**
   * What `npm run webhooks:replay -- <evt_id>...` does: each stored event named, processed or not,
   * is due again now, with no lease (nor its owner) and attempts from 0. Effects are idempotent, so
   * replaying an event already applied changes nothing. Answers the ids found.
   */
  async replay(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const result: unknown = await manager.query(
      `UPDATE stripe_events SET processed_at = NULL, locked_until = NULL, locked_by = NULL, attempts = 0, next_attempt_at = now()
        WHERE id = ANY($1::text[]) RETURNING id`,
      [ids],
    );
    return rowsOf<{ id: string }>(result).map((r) => r.id);
  }

  /**
   * What `npm run webhooks:replay -- --failed` does: every unprocessed event whose last attempt
   * failed (parked or waiting for its next retry) is due again now, with no lease (nor its owner)
   * and attempts from 0. Answers their ids.
   */
  async replayFailed(manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const result: unknown = await manager.query(
      `UPDATE stripe_events SET locked_until = NULL, locked_by = NULL, attempts = 0, next_attempt_at = now()
        WHERE processed_at IS NULL AND last_error IS NOT NULL RETURNING id`,
    );
    return rowsOf<{ id: string }>(result).map((r) => r.id);
  }
}

/** A parked event, as the webhooks admin screen lists it. */
export interface ParkedEvent {
  id: string;
  type: string;
  lastError: string | null;
  attempts: number;
  deliveries: number;
  receivedAt: Date;
}

export interface EventState {
  id: string;
  type: string;
  processed: boolean;
  parked: boolean;
  attempts: number;
  lastError: string | null;
}
