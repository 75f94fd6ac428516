import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common';
import { type Actor, AuditService } from '@app/staff';
import { type ParkedWebhookEventDto, type WebhookBacklogDto, type WebhookReplayDto } from './webhook-admin.dto';
import { WebhookInboxRepository } from './webhook-inbox.repository';
import { WebhookWorker } from './webhook-worker';

/** Parked events listed, at most. */
const PARKED_LIST_LIMIT = 200;

/**
 * The inbox for administrators (the console's Webhooks screen): the backlog, the parked events,
 * and replaying one, as `npm run webhooks:replay` does, audited. Every statement on
 * `stripe_events` is the repository's.
 */
@Injectable()
export class WebhookAdminService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly inbox: WebhookInboxRepository,
    private readonly worker: WebhookWorker,
    private readonly audit: AuditService,
  ) {}

  async backlog(): Promise<WebhookBacklogDto> {
    const [counts, parked] = await Promise.all([this.inbox.backlog(), this.inbox.parked(PARKED_LIST_LIMIT)]);
    return {
      ...counts,
      parkedEvents: parked.map((p): ParkedWebhookEventDto => ({
        ...p,
        receivedAt: new Date(p.receivedAt).toISOString(),
      })),
    };
  }

  /**
   * Makes a parked event due again (attempts from 0) and wakes this instance's worker. Idempotent:
   * an event that is not parked any more (replayed already, processed) is answered as it is, with
   * `replayed: false`, and nothing is recorded.
   */
  async replay(id: string, actor: Actor): Promise<WebhookReplayDto> {
    const answer = await this.dataSource.transaction(async (m) => {
      const event = await this.inbox.state(id, m);
      if (!event) throw new DomainError('NOT_FOUND', `no webhook event ${id}`, 'id');
      if (!event.parked) return { id, type: event.type, replayed: false, processed: event.processed };
      if (!(await this.inbox.replayParked(id, m))) {
        return { id, type: event.type, replayed: false, processed: event.processed };
      }
      await this.audit.record(
        actor,
        {
          action: 'webhook.replay',
          entityType: 'stripe_event',
          entityId: id,
          before: { type: event.type, attempts: event.attempts, lastError: event.lastError, parked: true },
          after: { parked: false, attempts: 0 },
        },
        m,
      );
      return { id, type: event.type, replayed: true, processed: false };
    });
    // Wake the workers whenever the event still waits, not only after reviving it: while this
    // replay held the row (a double click's second request), the first replay's wake may have
    // claimed with SKIP LOCKED and passed over it, and nothing else would come back for it before
    // the retry poll (never, with the poll off).
    if (!answer.processed) {
      this.worker.tableHasWork();
      await this.inbox.notifyStored();
    }
    return answer;
  }
}
