import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { rowsOf } from '@app/database';
import { StripeGateway } from '@app/stripe';
import { ApplyEffects, StripeWebhookHandler } from './webhook-handler';

export interface ReceiveResult {
  eventId: string;
  type: string;
  duplicate: boolean;
  processed: boolean;
}

/** Lease on an event while one worker processes it; a crash frees it when the lease runs out. */
const LEASE_SECONDS = 60;

/** Backoff after the n-th failed attempt: base, 2×base, 4×base … capped at an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(attempts - 1, 0), 3_600_000);
}

/**
 * The webhook inbox: verify, store once by event id, then process in a transaction.
 * A failure is recorded on the row and retried by a sweep with backoff; a redelivery of an
 * unprocessed event also triggers processing. Processing the same event twice is harmless:
 * every effect is guarded by unique constraints.
 */
@Injectable()
export class WebhookInboxService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly handlers = new Map<string, StripeWebhookHandler[]>();
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<number>;
  private inFlight = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly stripe: StripeGateway,
    private readonly config: AppConfig,
  ) {}

  register(handler: StripeWebhookHandler): void {
    for (const type of handler.eventTypes) this.handlers.set(type, [...(this.handlers.get(type) ?? []), handler]);
  }

  onApplicationBootstrap(): void {
    const every = this.config.WEBHOOK_RETRY_INTERVAL_MS;
    if (every > 0) {
      this.timer = setInterval(() => void this.sweep().catch((e) => this.logger.error(`sweep failed: ${e}`)), every);
      this.timer.unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.inFlight, this.sweeping]);
  }

  /** Verifies and stores the event (2xx from here on), then processes it. The verified raw body is stored as it came. */
  async receive(rawBody: Buffer, signature: string | string[] | undefined): Promise<ReceiveResult> {
    const event = this.stripe.constructEvent(rawBody, signature);
    const rows: Array<{ processed: boolean; inserted: boolean }> = await this.dataSource.query(
      `INSERT INTO stripe_events (id, type, api_version, livemode, stripe_created_at, payload, next_attempt_at)
       VALUES ($1, $2, $3, $4, to_timestamp($5), $6::jsonb, now() + interval '30 seconds')
       ON CONFLICT (id) DO UPDATE SET deliveries = stripe_events.deliveries + 1
       RETURNING processed_at IS NOT NULL AS processed, (xmax = 0) AS inserted`,
      [event.id, event.type, event.api_version ?? null, event.livemode, event.created, rawBody.toString('utf8')],
    );
    const { processed, inserted } = rows[0];
    if (processed) return { eventId: event.id, type: event.type, duplicate: !inserted, processed: true };
    const done = await this.track(this.process(event.id));
    return { eventId: event.id, type: event.type, duplicate: !inserted, processed: done };
  }

  /**
   * Processes one stored event if nobody else is; returns whether it is processed now.
   * Never throws: a failure is recorded for a later retry.
   */
  async process(eventId: string): Promise<boolean> {
    const claimed = rowsOf<{ payload: Stripe.Event; attempts: number }>(await this.dataSource.query(
      `UPDATE stripe_events SET locked_until = now() + make_interval(secs => $2), attempts = attempts + 1
        WHERE id = $1 AND processed_at IS NULL AND (locked_until IS NULL OR locked_until < now())
        RETURNING payload, attempts`,
      [eventId, LEASE_SECONDS],
    ));
    if (!claimed.length) return false;
    const { payload: event, attempts } = claimed[0];
    try {
      const handlers = this.handlers.get(event.type) ?? [];
      const applies: ApplyEffects[] = [];
      for (const handler of handlers) applies.push(await handler.prepare(event));
      await this.dataSource.transaction(async (manager) => {
        const outcomes: string[] = [];
        for (const apply of applies) outcomes.push(await apply(manager));
        const outcome = outcomes.length ? outcomes.join(' | ') : `ignored: no handler for ${event.type}`;
        await manager.query(
          `UPDATE stripe_events SET processed_at = now(), outcome = $2, last_error = NULL, locked_until = NULL WHERE id = $1`,
          [eventId, outcome.slice(0, 500)],
        );
      });
      return true;
    } catch (err) {
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

  /** Processes every stored event that is due (failed earlier, or never processed after a crash). */
  sweep(limit = 100): Promise<number> {
    if (this.sweeping) return this.sweeping;
    const run = async () => {
      const due: Array<{ id: string }> = await this.dataSource.query(
        `SELECT id FROM stripe_events
          WHERE processed_at IS NULL AND next_attempt_at <= now() AND (locked_until IS NULL OR locked_until < now())
          ORDER BY stripe_created_at, id LIMIT $1`,
        [limit],
      );
      let done = 0;
      for (const { id } of due) {
        if (this.stopping) break;
        if (await this.process(id)) done++;
      }
      return done;
    };
    this.sweeping = run().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** Marks events for processing again (replay). Effects are idempotent, so a replay never doubles money. */
  async replay(eventIds: string[]): Promise<number> {
    const rows = rowsOf<{ id: string }>(await this.dataSource.query(
      `UPDATE stripe_events SET processed_at = NULL, locked_until = NULL, attempts = 0, next_attempt_at = now() WHERE id = ANY($1::text[]) RETURNING id`,
      [eventIds],
    ));
    for (const { id } of rows) await this.track(this.process(id));
    return rows.length;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }
}
