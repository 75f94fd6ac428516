import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { createTransport, Transporter } from 'nodemailer';
import SMTPTransport from 'nodemailer/lib/smtp-transport';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';

/** How long a claimed email belongs to its worker; renewed while it is being sent. A crashed worker's emails are retried once it runs out. */
export const EMAIL_LEASE_SECONDS = 60;
/** Emails sent at once by one worker. */
const CONCURRENCY = 4;
/** Shortest sleep between two looks at the table (nothing due yet, or all due ones held by others). */
const MIN_IDLE_MS = 20;
/** Longest pause between two attempts of one email. */
const MAX_BACKOFF_MS = 3600_000;
/** Longest a shutdown waits for the sends in hand; past it, their leases run out and another worker retries them. */
const SHUTDOWN_WAIT_MS = 10_000;

/** The pause after failed attempt number `attempts` (1-based): `baseMs`, doubling each attempt, capped at an hour. */
export function emailRetryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
}

interface ClaimedEmail {
  id: string;
  to_address: string;
  subject: string;
  body: string;
  html: string | null;
  kind: string;
  attempts: number;
}

/** SMTP errors often quote the recipient: addresses stay out of the log (they are on the row). */
export function redactAddresses(text: string): string {
  return text.replace(/[^\s@<>"']+@[^\s@<>"']+/g, '[address]');
}

/**
 * Sends what the `emails` outbox holds. Rows are written by `EmailService.send` in the
 * transaction that causes them; this worker claims due `pending` rows with
 * `FOR UPDATE SKIP LOCKED` and a lease (`claimed_until`, `locked_by`), so several instances never
 * send one email twice, and sends them over SMTP with connection, greeting and socket timeouts.
 * A failure is recorded (`last_error`) and retried with exponential backoff
 * (EMAIL_RETRY_BASE_MS, doubling, capped at an hour); after EMAIL_MAX_ATTEMPTS the email is
 * `failed`. Woken right after a transaction that wrote an email commits, and polls every
 * EMAIL_POLL_INTERVAL_MS (0: no worker in this instance). On shutdown it stops claiming and lets
 * the sends in hand finish (each bounded by the timeouts), so no row stays claimed.
 */
@Injectable()
export class EmailOutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EmailOutbox');
  /** This worker's name on the rows it holds. */
  readonly id = randomUUID();
  private readonly transport: Transporter | null;
  private running?: Promise<void>;
  private stopping = false;
  private kicked = false;
  private wakeUp?: () => void;
  /** Emails being sent now (their leases are renewed). */
  private readonly inFlight = new Set<string>();
  /** Shutdown stopped waiting for the sends in hand: their leases are no longer renewed. */
  private abandoned = false;

  constructor(
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    // The transport itself, not createTransport({ url, … }): given a `url`, createTransport keeps
    // only what the URL says and silently drops every other option (the timeouts among them).
    this.transport = config.SMTP_URL
      ? createTransport(
          new SMTPTransport({
            url: config.SMTP_URL,
            dnsTimeout: config.SMTP_CONNECTION_TIMEOUT_MS,
            connectionTimeout: config.SMTP_CONNECTION_TIMEOUT_MS,
            greetingTimeout: config.SMTP_GREETING_TIMEOUT_MS,
            socketTimeout: config.SMTP_SOCKET_TIMEOUT_MS,
          }),
        )
      : null;
  }

  /** Whether emails written now are to be sent (SMTP_URL set) or only recorded. */
  get sends(): boolean {
    return this.transport !== null;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  /** Starts the worker (at boot; with SMTP_URL and EMAIL_POLL_INTERVAL_MS > 0). */
  start(): void {
    if (!this.transport || this.config.EMAIL_POLL_INTERVAL_MS === 0 || this.running) return;
    this.stopping = false;
    this.running = this.work().finally(() => (this.running = undefined));
  }

  /**
   * Stops claiming; resolves once the sends in hand are finished and recorded (each is bounded by
   * the SMTP timeouts). A send still going after SHUTDOWN_WAIT_MS is left to its lease, which is
   * no longer renewed: another worker retries it once the lease runs out.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    const running = this.running;
    if (running) {
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        running.then(() => true),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(false), SHUTDOWN_WAIT_MS))),
      ]);
      clearTimeout(timer);
      if (!finished) this.abandoned = true;
      if (!finished) {
        this.logger.warn(
          `stopped with ${this.inFlight.size} emails still being sent: retried once their lease runs out (${EMAIL_LEASE_SECONDS} s)`,
        );
      }
    }
    this.transport?.close();
  }

  /** Something was written (and committed): look now rather than at the next poll. */
  wake(): void {
    this.kicked = true;
    this.wakeUp?.();
  }

  private async work(): Promise<void> {
    const heartbeat = setInterval(() => void this.renewLeases(), (EMAIL_LEASE_SECONDS * 1000) / 3);
    heartbeat.unref();
    const lanes = new Set<Promise<void>>();
    try {
      while (!this.stopping) {
        this.kicked = false;
        const room = CONCURRENCY - lanes.size;
        if (room > 0) {
          let claimed: ClaimedEmail[];
          try {
            claimed = await this.claim(room);
          } catch (err) {
            this.logger.error(`could not claim emails: ${err instanceof Error ? err.message : err}`);
            await this.idle(1000);
            continue;
          }
          for (const row of claimed) {
            // A lane freed (an email sent or failed): look for more at once.
            const lane: Promise<void> = this.deliver(row).finally(() => {
              lanes.delete(lane);
              this.wake();
            });
            lanes.add(lane);
          }
          // All it asked for: there may be more due.
          if (claimed.length === room) continue;
        }
        if (this.kicked) continue;
        // Until woken (a write, a lane freed), the next retry falls due, or the poll.
        await this.idle(lanes.size === CONCURRENCY ? this.config.EMAIL_POLL_INTERVAL_MS : await this.untilNextDue());
      }
      // Stopping: the sends in hand finish and are recorded.
      await Promise.all(lanes);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Milliseconds until the earliest pending email falls due (or its lease runs out), at most the poll interval. */
  private async untilNextDue(): Promise<number> {
    const poll = this.config.EMAIL_POLL_INTERVAL_MS;
    try {
      const [row] = await this.dataSource.query(
        `SELECT EXTRACT(EPOCH FROM min(GREATEST(next_attempt_at, COALESCE(claimed_until, next_attempt_at))) - now()) * 1000 AS ms FROM emails WHERE status = 'pending'`,
      );
      return row?.ms == null ? poll : Math.max(MIN_IDLE_MS, Math.min(poll, Math.ceil(Number(row.ms))));
    } catch {
      return poll;
    }
  }

  /** Sleeps until woken, stopped, or `ms` passes. */
  private idle(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }

  /** Leases up to `limit` due emails (an attempt each), skipping rows another worker is claiming or holds. */
  private async claim(limit: number): Promise<ClaimedEmail[]> {
    // TypeORM answers an UPDATE as [rows, rowCount].
    const [rows]: [ClaimedEmail[], number] = await this.dataSource.query(
      `UPDATE emails e SET claimed_until = now() + make_interval(secs => $2), locked_by = $3, attempts = e.attempts + 1
        WHERE e.id IN (SELECT id FROM emails
                        WHERE status = 'pending' AND next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
                        ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING e.id, e.to_address, e.subject, e.body, e.html, e.kind, e.attempts`,
      [limit, EMAIL_LEASE_SECONDS, this.id],
    );
    return rows;
  }

  /** Sends one claimed email and records the outcome; never throws. */
  private async deliver(row: ClaimedEmail): Promise<void> {
    this.inFlight.add(row.id);
    try {
      try {
        const attachments = await this.attachmentsOf(row.id);
        await this.transport!.sendMail({
          from: this.config.EMAIL_FROM,
          to: row.to_address,
          subject: row.subject,
          text: row.body,
          // Both parts: multipart/alternative (plain text first, then HTML).
          ...(row.html ? { html: row.html } : {}),
          // One Message-ID per row: a copy that ever did arrive twice is recognisable as one message.
          messageId: `<${row.id}@${messageIdDomain(this.config.EMAIL_FROM)}>`,
          ...(attachments.length ? { attachments } : {}),
        });
      } catch (err) {
        await this.failed(row, err instanceof Error ? err.message : String(err));
        return;
      }
      await this.dataSource
        .query(
          `UPDATE emails SET status = 'sent', sent_at = now(), last_error = NULL, claimed_until = NULL, locked_by = NULL WHERE id = $1 AND locked_by = $2`,
          [row.id, this.id],
        )
        .catch((err) =>
          this.logger.error(
            `${row.kind} email ${row.id} was sent but could not be marked sent (it may be sent again once its lease runs out): ${err instanceof Error ? err.message : err}`,
          ),
        );
    } finally {
      this.inFlight.delete(row.id);
    }
  }

  /** The files stored with an email (`EmailService.send`'s `attachments`), as nodemailer takes them. */
  private async attachmentsOf(
    emailId: string,
  ): Promise<Array<{ filename: string; contentType: string; content: Buffer }>> {
    const rows: Array<{ filename: string; content_type: string; content: Buffer }> = await this.dataSource.query(
      `SELECT filename, content_type, content FROM email_attachments WHERE email_id = $1 ORDER BY id`,
      [emailId],
    );
    return rows.map((r) => ({ filename: r.filename, contentType: r.content_type, content: r.content }));
  }

  /** Records a failed attempt: retried after a backoff, or given up after EMAIL_MAX_ATTEMPTS. */
  private async failed(row: ClaimedEmail, message: string): Promise<void> {
    const delayMs = emailRetryDelayMs(row.attempts, this.config.EMAIL_RETRY_BASE_MS);
    const gaveUp = row.attempts >= this.config.EMAIL_MAX_ATTEMPTS;
    const safe = redactAddresses(message);
    if (gaveUp) {
      this.logger.error(`${row.kind} email ${row.id} not sent after ${row.attempts} attempts, given up: ${safe}`);
    } else {
      this.logger.warn(
        `${row.kind} email ${row.id} not sent (attempt ${row.attempts}, retry in ${Math.round(delayMs / 1000)} s): ${safe}`,
      );
    }
    try {
      await this.dataSource.query(
        `UPDATE emails SET last_error = $3, claimed_until = NULL, locked_by = NULL,
                status = CASE WHEN $4::boolean THEN 'failed' ELSE 'pending' END,
                next_attempt_at = now() + make_interval(secs => $5::double precision / 1000)
          WHERE id = $1 AND locked_by = $2`,
        [row.id, this.id, message.slice(0, 500), gaveUp, delayMs],
      );
    } catch (err) {
      this.logger.error(
        `could not record the failure of ${row.kind} email ${row.id} (retried once its lease runs out): ${err instanceof Error ? err.message : err}`,
      );
    }
  }

  /** Keeps the leases of the emails being sent (a slow server must not let another worker send them too). */
  private async renewLeases(): Promise<void> {
    if (!this.inFlight.size || this.abandoned) return;
    await this.dataSource
      .query(
        `UPDATE emails SET claimed_until = now() + make_interval(secs => $3) WHERE id = ANY($1::uuid[]) AND locked_by = $2 AND status = 'pending'`,
        [[...this.inFlight], this.id, EMAIL_LEASE_SECONDS],
      )
      .catch((err) =>
        this.logger.warn(
          `could not renew email leases (they run out in ${EMAIL_LEASE_SECONDS} s): ${err instanceof Error ? err.message : err}`,
        ),
      );
  }
}

/** The domain of EMAIL_FROM's address, for Message-IDs. */
function messageIdDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return match ? match[1] : 'localhost';
}
