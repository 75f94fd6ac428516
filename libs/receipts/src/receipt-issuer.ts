import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ReceiptsRepository } from './receipts.repository';
import { ReceiptsService } from './receipts.service';

/** How often an idle issuer looks at the queue (one indexed `LIMIT 1` read). */
export const RECEIPT_POLL_MS = 250;

/**
 * Works through `receipt_queue` in every instance: a batch at a time, each in one transaction
 * (`ReceiptsService.issueQueued`), until it is empty, then looks again every RECEIPT_POLL_MS.
 * Instances skip each other's rows (`SKIP LOCKED`) and queue on the receipt counter, so numbers
 * stay gapless; a batch that fails rolls back whole (numbers, receipts and emails) and is retried.
 */
@Injectable()
export class ReceiptIssuer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = new Logger('ReceiptIssuer');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly receipts: ReceiptsService,
    private readonly repository: ReceiptsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Works the queue until it is empty (tests call it to have receipts now). */
  async drain(): Promise<void> {
    while (!this.stopped && (await this.repository.anyQueued())) {
      if ((await this.receipts.issueQueued()) === 0) return;
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      let failed = false;
      this.running = this.drain()
        .catch((err) => {
          failed = true;
          this.log.error(`receipts not issued (retried): ${err instanceof Error ? err.message : err}`);
        })
        .finally(() => {
          this.running = undefined;
          this.schedule(failed ? 2000 : RECEIPT_POLL_MS);
        });
    }, ms);
    this.timer.unref();
  }
}
