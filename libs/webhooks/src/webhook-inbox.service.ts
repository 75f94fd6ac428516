import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type Stripe from 'stripe';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { assertStripeEventShape, StripeGateway } from '@app/stripe';
import { InboxNotificationListener } from './inbox-notification-listener';
import { type Stored, StoreBatcher } from './store-batcher';
import { type StripeWebhookHandler } from './webhook-handler';
import { WebhookHandlerRegistry } from './webhook-handler-registry';
import { type InboxObserver, WebhookWorker } from './webhook-worker';

export interface ReceiveResult {
  eventId: string;
  type: string;
  duplicate: boolean;
  /** `queued`: stored, the worker will process it; `processed`: it already was. */
  status: 'queued' | 'processed';
}

/**
 * The webhook inbox, as the rest of the service sees it. Receiving verifies the signature and
 * stores the event once by id: that is all the HTTP request waits for, so Stripe gets its 2xx in
 * a few milliseconds and an event acknowledged is an event on disk. The parts:
 *
 * - `WebhookInboxRepository`: every statement on `stripe_events` (store, claim, lease renewal,
 *   release, settle, record a failure, notify);
 * - `StoreBatcher`: group commit (one multi-row INSERT and one durable commit for the deliveries
 *   that arrive together), leasing events to this instance's worker at insert;
 * - `InboxNotificationListener`: wakes the worker when another instance stores an event without
 *   a lease (PostgreSQL LISTEN);
 * - `WebhookWorker`: processes leased and claimed events in lanes, ordered by the handlers'
 *   ordering keys, renews leases, settles (processed marks in batches) or records failures;
 * - `retry-policy.ts`: when a failure is tried again, or parked (pure functions).
 *
 * Handlers register here (`register`); an event type no handler takes is stored already settled.
 */
@Injectable()
export class WebhookInboxService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly stripe: StripeGateway,
    private readonly config: AppConfig,
    private readonly handlers: WebhookHandlerRegistry,
    private readonly batcher: StoreBatcher,
    private readonly worker: WebhookWorker,
    private readonly listener: InboxNotificationListener,
  ) {}

  register(handler: StripeWebhookHandler): void {
    this.handlers.register(handler);
  }

  /** The event types some handler processes (the rest are stored and marked ignored). */
  handledTypes(): string[] {
    return this.handlers.types();
  }

  /** What the event is about, for ordering in the worker (its handlers say; null: no ordering). */
  orderingKey(event: Stripe.Event): string | null {
    return this.handlers.orderingKey(event);
  }

  observe(observer: InboxObserver): void {
    this.worker.observer = observer;
  }

  onApplicationBootstrap(): void {
    if (this.config.WEBHOOK_WORKER_CONCURRENCY === 0) return;
    this.worker.start();
    // Events stored by another instance (one that only receives, or one with no room) wake this
    // worker through PostgreSQL's notifications. Not on the embedded database: one process.
    if (this.config.DATABASE_URL) this.listener.start(this.config.DATABASE_URL);
  }

  /** Stops taking events, lets those in hand finish (no event is left half-done), hands the rest back. */
  async beforeApplicationShutdown(): Promise<void> {
    const listening = this.listener.stop();
    await this.worker.stop();
    await listening;
  }

  /** Verifies and stores the event; the worker processes it. The verified raw body is stored as it came. */
  async receive(rawBody: Buffer, signature: string | string[] | undefined): Promise<ReceiveResult> {
    const event = this.stripe.constructEvent(rawBody, signature);
    assertStripeEventShape(event);
    // No Stripe event carries a NUL character, and no text column could hold one.
    if (rawBody.includes('\\u0000')) {
      throw new DomainError('WEBHOOK_PAYLOAD_INVALID', 'the signed body contains a NUL character', 'body');
    }
    let stored: Stored;
    try {
      stored = await this.store(event, rawBody.toString('utf8'));
    } catch (err) {
      // Refused by PostgreSQL (\u0000, a lone surrogate): a body no Stripe event has.
      if (['22P02', '22P05'].includes((err as { code?: string }).code ?? '')) {
        throw new DomainError('WEBHOOK_PAYLOAD_INVALID', 'the signed body is not valid JSON for an event', 'body');
      }
      throw err;
    }
    const { processed, inserted } = stored;
    this.worker.observer?.received(event.type, !inserted);
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

  /** An event type no handler processes is stored already settled: the worker never sees it. */
  private store(event: Stripe.Event, payload: string, deliveries = 1): Promise<Stored> {
    const ignored = this.handlers.handles(event.type) ? null : `ignored: no handler for ${event.type}`;
    return this.batcher.store(event, payload, deliveries, ignored);
  }

  /** Wakes the worker (new work). */
  kick(): void {
    this.worker.kick();
  }

  /**
   * Processes every event that is due now, in this call (tests use it; the worker does the same
   * on its own). Answers how many were processed.
   */
  sweep(limit = 1000): Promise<number> {
    return this.worker.sweep(limit);
  }
}
