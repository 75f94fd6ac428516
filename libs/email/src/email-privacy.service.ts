import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

/** What is kept of an email in place of its address, subject and body once its recipient is erased. */
export const ERASED_EMAIL_TEXT = '[erased]';

/** One email written to a supporter, as exported to them. */
export interface SupporterEmail {
  id: string;
  kind: string;
  to: string;
  subject: string;
  body: string;
  status: string;
  createdAt: Date;
  sentAt: Date | null;
}

/** The `emails` table's side of privacy requests: the emails sent to some addresses, and scrubbing them. */
@Injectable()
export class EmailPrivacyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every email to one of `addresses` (compared case-insensitively), oldest first. */
  async emailsTo(addresses: string[]): Promise<SupporterEmail[]> {
    if (!addresses.length) return [];
    return this.dataSource.query(
      `SELECT id, kind, to_address AS "to", subject, body, status, created_at AS "createdAt", sent_at AS "sentAt"
         FROM emails WHERE lower(to_address) = ANY($1::text[]) ORDER BY created_at, id`,
      [addresses.map((a) => a.toLowerCase())],
    );
  }

  /** The latest `limit` emails to any of `addresses`, newest first, without their bodies. */
  async latestTo(addresses: string[], limit: number): Promise<Array<Omit<SupporterEmail, 'body'>>> {
    if (!addresses.length) return [];
    return this.dataSource.query(
      `SELECT id, kind, to_address AS "to", subject, status, created_at AS "createdAt", sent_at AS "sentAt"
         FROM emails WHERE lower(to_address) = ANY($1::text[]) ORDER BY created_at DESC, id DESC LIMIT $2`,
      [addresses.map((a) => a.toLowerCase()), limit],
    );
  }

  /**
   * Replaces the address, subject and body of every email to one of `addresses` by "[erased]",
   * drops its HTML part and deletes its attachments (the row, its kind and dates stay: that an email
   * was sent is not personal). One
   * not sent yet never will be: it becomes `failed` ("recipient erased"). Answers how many.
   */
  async scrub(addresses: string[], manager: EntityManager): Promise<number> {
    if (!addresses.length) return 0;
    // The files sent to them (a statement names them and lists their payments) go entirely.
    await manager.query(
      `DELETE FROM email_attachments WHERE email_id IN (SELECT id FROM emails WHERE lower(to_address) = ANY($1::text[]))`,
      [addresses.map((a) => a.toLowerCase())],
    );
    const [, count] = await manager.query(
      `UPDATE emails SET to_address = $2, subject = $2, body = $2, html = NULL,
              status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END,
              last_error = CASE WHEN status = 'pending' THEN 'recipient erased' ELSE last_error END
        WHERE lower(to_address) = ANY($1::text[])`,
      [addresses.map((a) => a.toLowerCase()), ERASED_EMAIL_TEXT],
    );
    return Number(count);
  }
}
