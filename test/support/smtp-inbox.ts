import { type AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './test-app';

/**
 * A real SMTP server (smtp-server) started by the test; what arrives is parsed with mailparser.
 * Point the app at it with `SMTP_URL: inbox.smtpUrl`.
 */
export class SmtpInbox {
  readonly received: Array<{ mail: ParsedMail; to: string[] }> = [];
  private readonly smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, cb) => {
      simpleParser(stream).then(
        (mail) => {
          this.received.push({ mail, to: session.envelope.rcptTo.map((r) => r.address) });
          cb();
        },
        (err) => cb(err),
      );
    },
  });
  port = 0;

  async start(): Promise<void> {
    await new Promise<void>((r) => this.smtp.listen(0, '127.0.0.1', () => r()));
    this.port = (this.smtp.server.address() as AddressInfo).port;
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    return new Promise<void>((r) => this.smtp.close(() => r()));
  }

  /** What arrived for `address`, oldest first; only subjects matching `subject` when given. */
  to(address: string, subject?: RegExp): ParsedMail[] {
    return this.received
      .filter((r) => r.to.includes(address) && (!subject || subject.test(r.mail.subject ?? '')))
      .map((r) => r.mail);
  }

  /** Waits until `n` messages to `address` (whose subject matches, when given) have arrived; answers them. */
  async awaitCount(address: string, n: number, subject?: RegExp, timeoutMs = 15000): Promise<ParsedMail[]> {
    const mine = () => this.to(address, subject);
    return waitFor(async () => mine().length >= n && mine(), timeoutMs, `${n} emails to ${address}`);
  }
}

/** The links in an email's plain text. */
export function linksIn(mail: ParsedMail): string[] {
  return mail.text?.match(/https?:\/\/\S+/g) ?? [];
}
