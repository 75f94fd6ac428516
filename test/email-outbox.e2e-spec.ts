import { type AddressInfo, createServer, type Server, Socket } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { type AppConfig } from '@app/config';
import { EmailOutboxWorker, EmailService } from '@app/email';
import { lookupKeyFor } from '@app/stripe';
import { SelfServiceService } from '@app/subscriptions';
import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { simControl, startTestApp, type TestContext, waitFor } from './support/test-app';
import { followEmailedLink } from './support/emailed-link';

interface Received {
  mail: ParsedMail;
  to: string[];
  at: number;
}

/**
 * A real SMTP server (smtp-server; what arrives is parsed with mailparser), behind a front door
 * the test controls: `ok` passes connections through, `silent` accepts TCP and never greets.
 * `refuse` makes the server answer 550 to every recipient.
 */
class TestSmtp {
  readonly received: Received[] = [];
  /** Every RCPT TO the server was asked, with when. */
  readonly rcpts: Array<{ address: string; at: number }> = [];
  /** When each connection reached the front door (in either mode). */
  readonly connections: number[] = [];
  mode: 'ok' | 'silent' = 'ok';
  refuse = false;
  private readonly smtp: SMTPServer;
  private front!: Server;
  private readonly sockets = new Set<Socket>();
  private readonly silent = new Set<Socket>();
  private smtpPort = 0;
  port = 0;

  constructor() {
    this.smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, cb) => {
        this.rcpts.push({ address: address.address, at: Date.now() });
        if (this.refuse) return cb(Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 }));
        cb();
      },
      onData: (stream, session, cb) => {
        simpleParser(stream).then(
          (mail) => {
            this.received.push({ mail, to: session.envelope.rcptTo.map((r) => r.address), at: Date.now() });
            cb();
          },
          (err) => cb(err),
        );
      },
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((r) => this.smtp.listen(0, '127.0.0.1', () => r()));
    const smtpPort = (this.smtp.server.address() as AddressInfo).port;
    this.front = createServer((sock) => {
      this.connections.push(Date.now());
      this.sockets.add(sock);
      sock.on('close', () => this.sockets.delete(sock));
      sock.on('error', () => undefined);
      if (this.mode === 'silent') {
        // Accepted, never greeted (until `greetHeld`).
        this.silent.add(sock);
        sock.on('close', () => this.silent.delete(sock));
        return;
      }
      this.passThrough(sock, smtpPort);
    });
    this.smtpPort = smtpPort;
    await new Promise<void>((r) => this.front.listen(0, '127.0.0.1', () => r()));
    this.port = (this.front.address() as AddressInfo).port;
  }

  private passThrough(sock: Socket, smtpPort: number): void {
    const up = new Socket();
    up.on('error', () => sock.destroy());
    sock.on('error', () => up.destroy());
    up.connect(smtpPort, '127.0.0.1', () => sock.pipe(up).pipe(sock));
    this.sockets.add(up);
    up.on('close', () => this.sockets.delete(up));
  }

  /** The connections held silent get the real server (its greeting) after all. */
  greetHeld(): void {
    for (const sock of this.silent) this.passThrough(sock, this.smtpPort);
    this.silent.clear();
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Messages received for `address`. */
  to(address: string): Received[] {
    return this.received.filter((r) => r.to.includes(address));
  }

  /** Drops every open connection (the ones held silent included). */
  hangUp(): void {
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    this.hangUp();
    await new Promise<void>((r) => this.front.close(() => r()));
    await new Promise<void>((r) => this.smtp.close(() => r()));
  }
}

interface EmailRow {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
  claimed_until: Date | null;
  locked_by: string | null;
  next_attempt_at: Date;
}

const rowsTo = (t: TestContext, address: string) =>
  t.query<EmailRow>(
    `SELECT id, status, attempts, last_error, sent_at, claimed_until, locked_by, next_attempt_at FROM emails WHERE to_address = $1 ORDER BY created_at, id`,
    [address],
  );

describe('email outbox: emails are written with what causes them and sent by a worker (real SMTP server)', () => {
  const smtp = new TestSmtp();
  let t: TestContext;
  let phone: string;
  const RETRY_BASE_MS = 100;
  const MAX_ATTEMPTS = 5;

  beforeAll(async () => {
    await smtp.start();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      EMAIL_FROM: 'Supporters <supporters@news.example.org>',
      SMTP_CONNECTION_TIMEOUT_MS: '3000',
      SMTP_GREETING_TIMEOUT_MS: '1000',
      SMTP_SOCKET_TIMEOUT_MS: '5000',
      EMAIL_RETRY_BASE_MS: String(RETRY_BASE_MS),
      EMAIL_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      // Far beyond every wait below: what is sent is sent because the write woke the worker (or
      // because a retry or a lease fell due), never because a poll happened to come round.
      EMAIL_POLL_INTERVAL_MS: '60000',
    });
    phone = await signedIn(t, 'phone');
  });
  afterAll(async () => {
    await t?.close();
    await smtp.stop();
  });
  beforeEach(() => {
    smtp.mode = 'ok';
    smtp.refuse = false;
  });

  let keys = 0;
  const cashDonation = (email: string, amount = 2500) =>
    t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', `outbox-test-${++keys}`)
      .send({ supporter: { name: 'Robin Reader', email }, amount, method: 'cash' });

  it('a phone cash donation answers 201 and its receipt arrives: right recipient, subject and amount', async () => {
    const email = 'receipt.reader@example.com';
    const res = await cashDonation(email).expect(201);
    const [got] = await waitFor(
      async () => (smtp.to(email).length ? smtp.to(email) : undefined),
      10000,
      'receipt delivered',
    );
    expect(got.mail.subject).toBe('Receipt for your donation of $25.00');
    expect(got.mail.text).toContain('$25.00');
    // Numbered in the receipts' own sequence (not the ledger id), in text and HTML alike.
    const [{ number }] = await t.query<{ number: string }>(`SELECT number FROM receipts WHERE ledger_entry_id = $1`, [
      res.body.id,
    ]);
    expect(got.mail.text).toContain(`Receipt number: ${number}\n`);
    expect(got.mail.html).toMatch(new RegExp(`Receipt number</th><td>${number}</td>`));
    expect(got.mail.from?.value[0].address).toBe('supporters@news.example.org');
    expect((Array.isArray(got.mail.to) ? got.mail.to[0] : got.mail.to)?.value[0].address).toBe(email);
    const rows = await waitFor(
      async () => {
        const r = await rowsTo(t, email);
        return r[0]?.status === 'sent' && r;
      },
      5000,
      'marked sent',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'sent',
      attempts: 1,
      last_error: null,
      claimed_until: null,
      locked_by: null,
    });
    expect(got.mail.messageId).toBe(`<${rows[0].id}@news.example.org>`);
  });

  it('a self-service link arrives by SMTP and works when followed', async () => {
    const email = 'link.reader@example.com';
    await paidDonation(t, 1500, { email });
    await t.http.post('/api/self-service/links').send({ email }).expect(202);
    const [got] = await waitFor(
      async () => {
        const links = smtp.to(email).filter((r) => r.mail.subject === 'Manage your support');
        return links.length ? links : undefined;
      },
      10000,
      'link delivered',
    );
    const url = new URL(got.mail.text!.match(/https?:\/\/\S+/)![0]);
    const { post: portal } = await followEmailedLink(t.baseUrl, `${url.pathname}${url.search}`);
    expect(portal.status).toBe(303);
    expect(portal.headers.get('location')!.startsWith(t.sim.url)).toBe(true);
  });

  it('a server that accepts TCP but never greets: the request answers, the greeting timeout is recorded and retried with backoff, and once it greets the email arrives exactly once', async () => {
    const email = 'silent.server@example.com';
    smtp.mode = 'silent';
    const connectionsBefore = smtp.connections.length;
    await cashDonation(email, 4200).expect(201);
    // Failed at least once (the greeting timeout), and claimed again.
    const failed = await waitFor(
      async () => {
        const [row] = await rowsTo(t, email);
        return row?.last_error && row.attempts >= 2 ? row : undefined;
      },
      10000,
      'a failed attempt recorded and a retry under way',
    );
    expect(failed.status).toBe('pending');
    expect(failed.last_error).toMatch(/greeting/i);
    expect(smtp.connections.length - connectionsBefore).toBeGreaterThanOrEqual(2);
    expect(smtp.to(email)).toHaveLength(0);

    smtp.mode = 'ok';
    await waitFor(async () => smtp.to(email).length, 10000, 'delivered once the server greets');
    const [row] = await waitFor(
      async () => {
        const r = await rowsTo(t, email);
        return r[0]?.status === 'sent' && r;
      },
      5000,
      'marked sent',
    );
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    expect(row.attempts).toBeLessThanOrEqual(MAX_ATTEMPTS);
    // Give any duplicate the time to show: still exactly one.
    await new Promise((r) => setTimeout(r, 600));
    expect(smtp.to(email)).toHaveLength(1);
    expect(smtp.to(email)[0].mail.subject).toBe('Receipt for your donation of $42.00');
  });

  it('a server that refuses (550): the error is recorded and retried with growing pauses, then the email is given up (failed)', async () => {
    const email = 'refused.reader@example.com';
    smtp.refuse = true;
    await cashDonation(email, 1000).expect(201);
    const [row] = await waitFor(
      async () => {
        const r = await rowsTo(t, email);
        return r[0]?.status === 'failed' && r;
      },
      15000,
      'given up',
    );
    expect(row).toMatchObject({
      status: 'failed',
      attempts: MAX_ATTEMPTS,
      sent_at: null,
      claimed_until: null,
      locked_by: null,
    });
    expect(row.last_error).toMatch(/550/);
    const tries = smtp.rcpts.filter((r) => r.address === email).map((r) => r.at);
    expect(tries).toHaveLength(MAX_ATTEMPTS);
    // Backoff: each pause at least the base, doubling (never earlier than scheduled).
    for (let i = 1; i < tries.length; i++) {
      expect(tries[i] - tries[i - 1]).toBeGreaterThanOrEqual(RETRY_BASE_MS * 2 ** (i - 1) - 20);
    }
    // Given up: no further attempt.
    await new Promise((r) => setTimeout(r, 1000));
    expect(smtp.rcpts.filter((r) => r.address === email)).toHaveLength(MAX_ATTEMPTS);
    expect(smtp.to(email)).toHaveLength(0);
  });

  it("an email written inside a webhook's transaction (digital → print on Stripe asks for an address) is sent once that transaction commits", async () => {
    const email = 'upgrader.smtp@example.com';
    const { id } = (
      await t.http
        .post('/api/subscriptions')
        .send({ tier: 'digital', billing: 'monthly', email, name: 'Up Grader' })
        .expect(201)
    ).body;
    const [{ stripe_session_id: sessionId }] = await t.query<{ stripe_session_id: string }>(
      `SELECT stripe_session_id FROM checkouts WHERE id = $1`,
      [id],
    );
    await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${sessionId}/complete`);
    const [{ stripe_subscription_id: subId }] = await waitFor(
      async () => {
        const r = await t.query<{ stripe_subscription_id: string }>(
          `SELECT stripe_subscription_id FROM subscriptions WHERE checkout_id = $1 AND status = 'active'`,
          [id],
        );
        return r.length ? r : undefined;
      },
      10000,
      'active',
    );
    // Someone else's print checkout makes the print price exist on Stripe.
    await t.http
      .post('/api/subscriptions')
      .send({
        tier: 'print',
        billing: 'monthly',
        email: 'print.reader@example.com',
        name: 'Print Reader',
        deliveryAddress: { line1: '1 Example St', city: 'Sydney', state: 'NSW', postalCode: '2000', country: 'AU' },
      })
      .expect(201);
    const [printPrice] = (
      await t.stripe.prices.list({
        lookup_keys: [lookupKeyFor({ purpose: 'tier_print_monthly', amount: 1000, currency: 'AUD', recurring: true })],
      })
    ).data;
    const stripeSub = await t.stripe.subscriptions.retrieve(subId);
    await t.stripe.subscriptions.update(subId, {
      items: [{ id: stripeSub.items.data[0].id, price: printPrice.id }],
      proration_behavior: 'none',
    });
    // Woken when the webhook worker's transaction ends (the poll is a minute away).
    const [got] = await waitFor(
      async () => {
        const mails = smtp.to(email).filter((r) => /^Where should we post your /.test(r.mail.subject ?? ''));
        return mails.length ? mails : undefined;
      },
      10000,
      'address request delivered',
    );
    expect(got.mail.text).toMatch(/\/delivery-address\?subscription=[0-9a-f-]{36}&token=/);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.to(email).filter((r) => /^Where should we post your /.test(r.mail.subject ?? ''))).toHaveLength(1);
  });

  it('an email written in a transaction is sent as soon as it commits (the worker is woken then, not before)', async () => {
    const email = 'after.commit@example.com';
    let committedAt = 0;
    await t.app.get(DataSource).transaction(async (m) => {
      await t.app.get(EmailService).send({ to: email, kind: 'test', subject: 'after commit', body: 'x' }, m);
      // The transaction goes on a while after writing the email (the poll is a minute away).
      await new Promise((r) => setTimeout(r, 500));
      committedAt = Date.now();
    });
    await waitFor(async () => smtp.to(email).length, 10000, 'sent after the commit');
    expect(smtp.to(email)[0].at).toBeGreaterThanOrEqual(committedAt);
  });

  it('an email written in a transaction that rolls back is never sent', async () => {
    const email = 'rolled.back@example.com';
    const dataSource = t.app.get(DataSource);
    await expect(
      dataSource.transaction(async (m) => {
        await t.app.get(EmailService).send({ to: email, kind: 'test', subject: 'never', body: 'never' }, m);
        throw new Error('the effect failed');
      }),
    ).rejects.toThrow('the effect failed');
    await new Promise((r) => setTimeout(r, 500));
    expect(await rowsTo(t, email)).toHaveLength(0);
    expect(smtp.to(email)).toHaveLength(0);
  });

  it('several workers on one database (as several instances) never send one email twice', async () => {
    const dataSource = t.app.get(DataSource);
    // Two more workers on the same database, besides the app's own: they poll, the app's is woken.
    // They look every 20 ms, so all three keep claiming at once.
    const eager = { ...t.config, EMAIL_POLL_INTERVAL_MS: 20 } as AppConfig;
    const others = [new EmailOutboxWorker(eager, dataSource), new EmailOutboxWorker(eager, dataSource)];
    for (const w of others) w.start();
    try {
      const emails = Array.from({ length: 40 }, (_, i) => `many.${i}@example.com`);
      const service = t.app.get(EmailService);
      await Promise.all(
        emails.map((to, i) => service.send({ to, kind: 'test', subject: `message ${i}`, body: `body ${i}` })),
      );
      await waitFor(async () => emails.every((e) => smtp.to(e).length > 0), 20000, 'all 40 delivered');
      await waitFor(
        async () =>
          (
            await t.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM emails WHERE to_address LIKE 'many.%' AND status = 'sent'`,
            )
          )[0].n === 40,
        5000,
        'all marked sent',
      );
      await new Promise((r) => setTimeout(r, 600));
      for (const e of emails) expect(smtp.to(e)).toHaveLength(1);
      const ids = smtp.received.filter((r) => r.to[0]?.startsWith('many.')).map((r) => r.mail.messageId);
      expect(new Set(ids).size).toBe(ids.length);
      // Each claimed once (a second claim would count a second attempt).
      expect(
        await t.query(
          `SELECT to_address, attempts, last_error FROM emails WHERE to_address LIKE 'many.%' AND attempts <> 1`,
        ),
      ).toEqual([]);
    } finally {
      await Promise.all(others.map((w) => w.beforeApplicationShutdown()));
    }
  });

  it("a crashed sender's email waits for its lease to run out, then is sent once", async () => {
    const email = 'crashed.sender@example.com';
    // As a worker leaves a row it claimed (attempt counted) when its process dies mid-send.
    const [{ claimed_until: leaseEnd }] = await t.query<{ claimed_until: Date }>(
      `INSERT INTO emails (to_address, subject, body, kind, transport, status, attempts, claimed_until, locked_by)
       VALUES ($1, 'left behind', 'by a dead worker', 'test', 'smtp', 'pending', 1, now() + interval '1500 milliseconds', 'a-dead-worker') RETURNING claimed_until`,
      [email],
    );
    // Written behind the service's back: tell the worker the table changed (as any write does). It
    // finds the row held, and sleeps until the lease runs out rather than until the next poll.
    t.app.get(EmailOutboxWorker).wake();
    await waitFor(async () => smtp.to(email).length, 10000, 'sent after the lease');
    expect(smtp.to(email)[0].at).toBeGreaterThanOrEqual(leaseEnd.getTime() - 50);
    const [row] = await waitFor(
      async () => {
        const r = await rowsTo(t, email);
        return r[0]?.status === 'sent' && r;
      },
      5000,
      'marked sent',
    );
    expect(row).toMatchObject({ attempts: 2, locked_by: null, claimed_until: null });
    await new Promise((r) => setTimeout(r, 400));
    expect(smtp.to(email)).toHaveLength(1);
  });

  it('shutdown (app.close, as on SIGTERM) stops the worker with nothing left claimed', async () => {
    const email = 'shutdown.reader@example.com';
    smtp.mode = 'silent';
    await t.app.get(EmailService).send({ to: email, kind: 'test', subject: 'in flight at shutdown', body: 'x' });
    await waitFor(async () => (await rowsTo(t, email))[0]?.locked_by, 5000, 'claimed (a send in flight)');
    const worker = t.app.get(EmailOutboxWorker);
    await worker.beforeApplicationShutdown();
    const [row] = await rowsTo(t, email);
    // The send in hand finished (its greeting timed out) and was recorded; nothing is held.
    expect(row).toMatchObject({ status: 'pending', attempts: 1, claimed_until: null, locked_by: null });
    expect(row.last_error).toMatch(/greeting/i);
    // Stopped: nothing is claimed any more, even when due.
    await t.query(`UPDATE emails SET next_attempt_at = now() WHERE to_address = $1`, [email]);
    smtp.mode = 'ok';
    await new Promise((r) => setTimeout(r, 600));
    expect(await rowsTo(t, email)).toMatchObject([{ status: 'pending', attempts: 1, locked_by: null }]);
    expect(smtp.to(email)).toHaveLength(0);
    // Started again (a new instance), it sends it.
    worker.start();
    await waitFor(async () => smtp.to(email).length, 5000, 'sent after restart');
  });
});

describe('no answer waits on SMTP: a server that never greets, with a long greeting timeout', () => {
  const smtp = new TestSmtp();
  let t: TestContext;

  beforeAll(async () => {
    await smtp.start();
    smtp.mode = 'silent';
    t = await startTestApp({ SMTP_URL: smtp.url, SMTP_GREETING_TIMEOUT_MS: '60000', EMAIL_POLL_INTERVAL_MS: '200' });
  });
  afterAll(async () => {
    // The server greets at last: the sends in hand finish, and shutdown does not wait for them
    // (hanging up instead would leave nodemailer's 60 s greeting timer holding the process).
    smtp.mode = 'ok';
    smtp.greetHeld();
    await waitFor(
      async () =>
        (
          await t.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM emails WHERE status = 'pending' AND claimed_until > now()`,
          )
        )[0].n === 0,
      10000,
      'sends in hand finished',
    ).catch(() => undefined);
    await t?.close();
    await smtp.stop();
  });

  /** The email is still waiting for the server's greeting: no attempt has finished. */
  const stillGreeting = async (email: string, kind: string) => {
    const rows = await t.query<EmailRow>(
      `SELECT id, status, attempts, last_error, sent_at FROM emails WHERE to_address = $1 AND kind = $2`,
      [email, kind],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending', last_error: null, sent_at: null });
  };

  it('self-service links: a known and an unknown address both answer 202, the known one while its email waits for the greeting', async () => {
    const known = 'known.reader@example.com';
    await paidDonation(t, 2000, { email: known });
    const connections = smtp.connections.length;
    const [a, b] = await Promise.all([
      t.http.post('/api/self-service/links').send({ email: known }),
      t.http.post('/api/self-service/links').send({ email: 'unknown.reader@example.com' }),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body).toEqual(b.body);
    await stillGreeting(known, 'self_service_link');
    expect(await t.query(`SELECT 1 FROM emails WHERE to_address = 'unknown.reader@example.com'`)).toHaveLength(0);
    // The worker is talking to the server meanwhile (the answer did not wait for it).
    await waitFor(async () => smtp.connections.length > connections, 5000, 'the worker connected');
    await stillGreeting(known, 'self_service_link');
  });

  it('the fresh-link page route answers while its email waits for the greeting', async () => {
    const email = 'fresh.reader@example.com';
    await paidDonation(t, 2000, { email });
    const [{ id }] = await t.query<{ id: string }>(`SELECT id FROM supporters WHERE email = $1`, [email]);
    const token = t.app.get(SelfServiceService).tokenFor(id);
    const res = await t.http.post('/self-service/new-link').type('form').send({ token }).expect(200);
    expect(res.text).toContain('Check your email');
    await stillGreeting(email, 'self_service_link');
  });

  it('a phone donation answers 201 while its receipt waits for the greeting', async () => {
    const phone = await signedIn(t, 'phone');
    const email = 'phone.silent@example.com';
    await t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', 'outbox-silent-1')
      .send({ supporter: { name: 'Sam', email }, amount: 3000, method: 'cheque' })
      .expect(201);
    await stillGreeting(email, 'receipt');
  });
});
