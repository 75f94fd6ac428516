import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { EmailOutboxWorker } from './email-outbox.worker';

export interface OutgoingEmail {
  to: string;
  subject: string;
  /** The plain-text part. */
  body: string;
  /** The HTML part (`EmailTemplates.render` gives both). */
  html?: string | null;
  /** What it is (`self_service_link`, `receipt`, …), for the outbox and for tests. */
  kind: string;
  /** Files sent with it (a statement's PDF), stored with the email in the same transaction. */
  attachments?: EmailAttachment[];
  /**
   * Makes the email once-only: a second email with the same key (a webhook retried, two
   * instances running one reminder) is not written. Answered by `send` as false.
   */
  key?: string;
}

/** A file attached to an email. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** What is kept of an email in place of its address, subject and body once its recipient is erased. */
export const ERASED_EMAIL_TEXT = '[erased]';

/**
 * The one seam for email. `send` only writes the message to the `emails` outbox, in the caller's
 * transaction when given its manager (the email exists exactly when the effect that causes it
 * commits); nothing here waits on SMTP. With SMTP_URL set the row is `pending` and the outbox
 * worker (`EmailOutboxWorker`) sends it, woken as soon as the transaction that wrote it ends;
 * without SMTP_URL it is only recorded (status `recorded`, transport `outbox`: development and
 * tests read it from the table).
 */
@Injectable()
export class EmailService {
  private readonly logger = new Logger('Email');
  /** Transactions that wrote an email: the worker is woken when their connection is released (after COMMIT or ROLLBACK). */
  private readonly watched = new WeakSet<QueryRunner>();

  constructor(
    private readonly outbox: EmailOutboxWorker,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Writes the email to the outbox. Pass the transaction's manager when inside one (the row
   * commits with it). Answers false when an email with the same `key` was written before.
   */
  async send(email: OutgoingEmail, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const sends = this.outbox.sends;
    const [row] = await manager.query(
      `INSERT INTO emails (to_address, subject, body, html, kind, transport, status, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [
        email.to,
        email.subject,
        email.body,
        email.html ?? null,
        email.kind,
        sends ? 'smtp' : 'outbox',
        sends ? 'pending' : 'recorded',
        email.key ?? null,
      ],
    );
    if (!row) return false;
    for (const a of email.attachments ?? []) {
      await manager.query(
        `INSERT INTO email_attachments (email_id, filename, content_type, content) VALUES ($1, $2, $3, $4)`,
        [row.id, a.filename, a.contentType, a.content],
      );
    }
    if (!sends) {
      this.logger.debug(`recorded ${email.kind} email ${row.id} (no SMTP_URL; the address stays out of the log)`);
      return true;
    }
    const runner = manager.queryRunner;
    if (runner && runner.isTransactionActive && !runner.isReleased) this.wakeAfter(runner);
    else this.outbox.wake();
    return true;
  }

  /**
   * Wakes the worker once the transaction ends. Every transaction (TypeORM's own, and the webhook
   * worker's hand-made BEGIN … COMMIT) releases its connection after COMMIT or ROLLBACK, so the
   * release is the one moment that follows both; after a rollback the worker simply finds nothing.
   */
  private wakeAfter(runner: QueryRunner): void {
    if (this.watched.has(runner)) return;
    this.watched.add(runner);
    const release = runner.release.bind(runner);
    runner.release = async () => {
      try {
        return await release();
      } finally {
        this.outbox.wake();
      }
    };
  }

  /**
   * Erasure: replaces the address, subject and body of every email to one of `addresses` by
   * "[erased]", drops its HTML part and deletes its attachments (the row, its kind and dates stay:
   * that an email was sent is not personal). One not sent yet never will be: it becomes `failed`
   * ("recipient erased"). Answers how many.
   */
  async erase(addresses: string[], manager: EntityManager = this.dataSource.manager): Promise<number> {
    if (!addresses.length) return 0;
    // The files sent to them (a statement names them and lists their payments) go entirely.
    await manager.query(
      `DELETE FROM email_attachments WHERE email_id IN (SELECT id FROM emails WHERE lower(to_address) = ANY($1::text[]))`,
      [addresses.map((a) => a.toLowerCase())],
    );
    const [, count] = (await manager.query(
      `UPDATE emails SET to_address = $2, subject = $2, body = $2, html = NULL,
              status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END,
              last_error = CASE WHEN status = 'pending' THEN 'recipient erased' ELSE last_error END
        WHERE lower(to_address) = ANY($1::text[])`,
      [addresses.map((a) => a.toLowerCase()), ERASED_EMAIL_TEXT],
    )) as [unknown, number];
    return Number(count);
  }
}
