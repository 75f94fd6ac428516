import { Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { NOTIFY_CHANNEL } from './webhook-inbox.repository';
import { WebhookWorker } from './webhook-worker';

/**
 * Wakes this instance's worker when another instance (one that only receives, or one with no
 * room) stores an event without a lease: PostgreSQL's LISTEN, on a connection of its own,
 * reconnecting after a second while the service runs. Not on the embedded database (one process).
 */
@Injectable()
export class InboxNotificationListener {
  private readonly logger = new Logger('Webhooks');
  private client?: Client;
  private stopped = false;

  constructor(private readonly worker: WebhookWorker) {}

  /** LISTEN on its own connection; reconnects (after a second) until stopped. */
  start(url: string): void {
    if (this.stopped) return;
    const client = new Client({ connectionString: url });
    const retry = () => {
      if (this.client !== client) return;
      this.client = undefined;
      void client.end().catch(() => undefined);
      setTimeout(() => this.start(url), 1000).unref();
    };
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', () => this.worker.tableHasWork());
    this.client = client;
    client
      .connect()
      .then(() => client.query(`LISTEN ${NOTIFY_CHANNEL}`))
      // Whatever was stored while not listening.
      .then(() => this.worker.kick())
      .catch((err) => {
        this.logger.warn(
          `could not listen for new webhook events (retrying): ${err instanceof Error ? err.message : err}`,
        );
        retry();
      });
  }

  /** Stops listening (no reconnection after this). */
  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
