import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUuid } from '@app/common';

/** One email as the development mailbox lists it. */
export interface MailboxEntry {
  id: string;
  to: string;
  subject: string;
  kind: string;
  status: string;
  createdAt: Date;
  attachments: number;
}

/** One email with its text, its HTML (when it has one) and its attachments' names. */
export interface MailboxMessage extends MailboxEntry {
  body: string;
  html: string | null;
  files: Array<{ id: string; filename: string; contentType: string; size: number }>;
}

/**
 * Reads the `emails` outbox for the development mailbox (/dev/mailbox): what the service would
 * send, newest first. Read only; the controller serves it only when `config.devMailbox`.
 */
@Injectable()
export class EmailMailboxService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The newest `limit` emails. */
  list(limit = 200): Promise<MailboxEntry[]> {
    return this.db.query(
      `SELECT e.id, e.to_address AS "to", e.subject, e.kind, e.status, e.created_at AS "createdAt",
              (SELECT count(*)::int FROM email_attachments a WHERE a.email_id = e.id) AS attachments
         FROM emails e ORDER BY e.created_at DESC, e.id DESC LIMIT $1`,
      [limit],
    );
  }

  /** One email, or null. */
  async get(id: string): Promise<MailboxMessage | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.db.query(
      `SELECT e.id, e.to_address AS "to", e.subject, e.body, e.kind, e.status, e.created_at AS "createdAt",
              e.html
         FROM emails e WHERE e.id = $1`,
      [id],
    );
    if (!row) return null;
    const files = await this.db.query(
      `SELECT id::text AS id, filename, content_type AS "contentType", octet_length(content) AS size
         FROM email_attachments WHERE email_id = $1 ORDER BY id`,
      [id],
    );
    return { ...row, attachments: files.length, files };
  }

  /** One attachment of an email, or null. */
  async attachment(
    emailId: string,
    attachmentId: string,
  ): Promise<{ filename: string; contentType: string; content: Buffer } | null> {
    if (!isUuid(emailId) || !/^\d{1,18}$/.test(attachmentId)) return null;
    const [row] = await this.db.query(
      `SELECT filename, content_type AS "contentType", content FROM email_attachments WHERE email_id = $1 AND id = $2`,
      [emailId, attachmentId],
    );
    return row ?? null;
  }
}
