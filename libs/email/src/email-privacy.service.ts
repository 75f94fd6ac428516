import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { EmailService } from './email.service';

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
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly emails: EmailService,
  ) {}

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
   * Replaces the address, subject and body of every email to one of `addresses` by "[erased]" and
   * deletes its attachments (EmailService.erase); answers how many.
   */
  scrub(addresses: string[], manager: EntityManager): Promise<number> {
    return this.emails.erase(addresses, manager);
  }
}
