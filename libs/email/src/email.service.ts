import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createTransport, Transporter } from 'nodemailer';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';

export interface OutgoingEmail {
  to: string;
  subject: string;
  body: string;
  /** What it is (`self_service_link`, `receipt`, …), for the outbox and for tests. */
  kind: string;
}

/**
 * The one seam for email. Every message is written to the `emails` outbox; with SMTP_URL set it
 * is also sent over SMTP (production), otherwise it is only recorded (development and tests:
 * read it from the outbox, or from the log at debug level).
 */
@Injectable()
export class EmailService {
  private readonly logger = new Logger('Email');
  private readonly transport: Transporter | null;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    this.transport = config.SMTP_URL ? createTransport(config.SMTP_URL) : null;
  }

  /** Pass the transaction's manager when sending from inside one (the outbox row commits with it). */
  async send(email: OutgoingEmail, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const [row] = await manager.query(
      `INSERT INTO emails (to_address, subject, body, kind, transport) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [email.to, email.subject, email.body, email.kind, this.transport ? 'smtp' : 'outbox'],
    );
    if (!this.transport) {
      this.logger.debug(`recorded ${email.kind} email to ${email.to} (no SMTP_URL): ${email.subject}`);
      return;
    }
    try {
      await this.transport.sendMail({ from: this.config.EMAIL_FROM, to: email.to, subject: email.subject, text: email.body });
      await manager.query(`UPDATE emails SET sent_at = now() WHERE id = $1`, [row.id]);
    } catch (err) {
      this.logger.error(`email ${row.id} to ${email.to} not sent: ${(err as Error).message}`);
      await manager.query(`UPDATE emails SET error = $2 WHERE id = $1`, [row.id, (err as Error).message.slice(0, 500)]);
    }
  }
}
