import { type Logger } from '@nestjs/common';
import { type WebhookInboxRepository } from './webhook-inbox.repository';

/** Most events one settling UPDATE marks processed. */
const SETTLE_BATCH = 256;

/**
 * Processed marks, written in batches: one UPDATE at a time, each taking all the marks that
 * queued while the previous one was written. A mark comes after its event's effects: were it
 * lost (a crash, a failed UPDATE), the event is processed again once its lease ends, which every
 * handler's idempotent effects allow.
 */
export class ProcessedMarkBatcher {
  private readonly queue: Array<{ id: string; outcome: string }> = [];
  private writing?: Promise<void>;

  constructor(
    private readonly repository: WebhookInboxRepository,
    private readonly logger: Logger,
  ) {}

  /** Marks waiting or being written (their events are still leased to this worker). */
  get pending(): boolean {
    return this.queue.length > 0 || this.writing !== undefined;
  }

  /** Marks the event processed with the next batch; resolves once that batch is written. */
  add(id: string, outcome: string): Promise<void> {
    this.queue.push({ id, outcome });
    return this.flush();
  }

  /** Writes the queued marks; resolves once every mark queued before the call is written. */
  flush(): Promise<void> {
    if (!this.writing) {
      this.writing = (async () => {
        let conflicts = 0;
        while (this.queue.length) {
          const batch = this.queue.splice(0, SETTLE_BATCH);
          const byId = new Map(batch.map((b) => [b.id, b.outcome]));
          try {
            await this.repository.markProcessed(byId);
          } catch (err) {
            const code = (err as { code?: string }).code;
            // A deadlock or serialization failure: try the same marks again (a few times).
            if ((code === '40P01' || code === '40001') && conflicts++ < 3) {
              this.queue.unshift(...batch);
              continue;
            }
            // The effects are in; unmarked, the events are processed again once their lease ends.
            this.logger.error(
              `could not mark ${byId.size} webhook events processed (they will be processed again): ${err instanceof Error ? err.message : err}`,
            );
          }
        }
      })().finally(() => {
        this.writing = undefined;
      });
      return this.writing;
    }
    // A batch is being written: the next round of the loop above takes this one.
    const current = this.writing;
    return current.then(() => (this.queue.length ? this.flush() : undefined));
  }
}
