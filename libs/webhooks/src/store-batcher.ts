import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { AppConfig } from '@app/config';
import { type Claimed, WebhookInboxRepository } from './webhook-inbox.repository';
import { WebhookWorker } from './webhook-worker';

export interface Stored {
  processed: boolean;
  inserted: boolean;
}

/** An event waiting to be stored by the next batch INSERT. */
interface StoreRequest {
  event: Stripe.Event;
  payload: string;
  deliveries: number;
  ignored: string | null;
  /** Leased to this worker at insert and handed to it in memory (no claim round trip). */
  lease: boolean;
  resolve: (stored: Stored) => void;
  reject: (err: unknown) => void;
}

/** Most events one INSERT stores (each is 9 parameters). */
const STORE_BATCH = 128;
/** Batch INSERTs in flight at once: while one waits for its commit to reach the disk, the next fills. */
const STORES_IN_FLIGHT = 2;

/**
 * Group commit: concurrent stores go to the database together, one multi-row INSERT and one
 * durable commit for all that arrived meanwhile, and each caller is answered once that commit
 * is durable. A row the database refuses fails only its own store. An event some handler takes
 * is leased to this instance's worker in the same INSERT when the worker has room, and handed
 * to it in memory; otherwise it waits in the table to be claimed, and listening instances are
 * told.
 */
@Injectable()
export class StoreBatcher {
  private readonly queue: StoreRequest[] = [];
  private inFlight = 0;

  constructor(
    private readonly repository: WebhookInboxRepository,
    private readonly worker: WebhookWorker,
    private readonly config: AppConfig,
  ) {}

  /**
   * Queues the event for the next batch INSERT and resolves once that batch has committed.
   * `ignored` (no handler takes the type): stored already settled with that outcome, never leased.
   */
  store(event: Stripe.Event, payload: string, deliveries: number, ignored: string | null): Promise<Stored> {
    const lease = ignored === null && this.worker.reserveLease();
    return new Promise<Stored>((resolve, reject) => {
      this.queue.push({ event, payload, deliveries, ignored, lease, resolve, reject });
      this.flush();
    });
  }

  /** Sends the next batch of stores if fewer than STORES_IN_FLIGHT are on their way. */
  private flush(): void {
    while (this.queue.length && this.inFlight < STORES_IN_FLIGHT) {
      const batch = this.queue.splice(0, STORE_BATCH);
      this.inFlight++;
      void this.storeBatch(batch).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  private async storeBatch(batch: StoreRequest[]): Promise<void> {
    // One row per event id (a delivery and its redelivery may arrive together), in id order so
    // that two batches holding the same ids lock them in the same order.
    const byId = new Map<string, StoreRequest[]>();
    for (const r of batch) byId.set(r.event.id, [...(byId.get(r.event.id) ?? []), r]);
    const ids = [...byId.keys()].sort();
    let rows: Awaited<ReturnType<WebhookInboxRepository['insert']>>;
    try {
      rows = await this.repository.insert(
        ids.map((id) => {
          const requests = byId.get(id)!;
          const { event, payload, ignored } = requests[0];
          return {
            event,
            payload,
            ignored,
            deliveries: requests.reduce((n, r) => n + r.deliveries, 0),
            lease: requests.some((r) => r.lease),
          };
        }),
      );
    } catch (err) {
      if (ids.length === 1) {
        this.worker.afterStore(batch.filter((r) => r.lease).length, [], false);
        for (const r of batch) r.reject(err);
        return;
      }
      // One bad body (say, JSON PostgreSQL refuses) must not fail the others: store one by one.
      await Promise.all(ids.map((id) => this.storeBatch(byId.get(id)!)));
      return;
    }
    let reservations = 0;
    let unleased = false;
    const leased: Claimed[] = [];
    for (const id of ids) {
      const requests = byId.get(id)!;
      const row = rows.get(id)!;
      for (const r of requests) if (r.lease) reservations++;
      if (row.leased) leased.push({ id, payload: requests[0].event, attempts: 1 });
      else if (row.inserted && !row.processed) unleased = true; // stored without a lease: to be claimed
      requests.forEach((r, i) => r.resolve({ processed: row.processed, inserted: row.inserted && i === 0 }));
    }
    this.worker.afterStore(reservations, leased, unleased);
    // Stored for whichever worker claims it first: tell the listening instances.
    if (unleased && this.config.DATABASE_URL) await this.repository.notifyStored().catch(() => undefined);
  }
}
