import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';

/** A webhook endpoint that verifies every delivery with the real SDK, as an integrator's would. */
export class WebhookReceiver {
  /** Every verified delivery, in arrival order (redeliveries included). */
  readonly deliveries: Array<{ event: Stripe.Event; status: number; headers: http.IncomingHttpHeaders }> = [];
  readonly badSignatures: string[] = [];
  /** Decides the status to answer; 200 unless a test says otherwise. */
  respond: (event: Stripe.Event) => number = () => 200;
  private server?: http.Server;
  url = '';

  constructor(
    private readonly stripe: Stripe,
    private readonly secret: string,
  ) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        let event: Stripe.Event;
        try {
          event = this.stripe.webhooks.constructEvent(raw, String(req.headers['stripe-signature']), this.secret);
        } catch (err) {
          this.badSignatures.push((err as Error).message);
          res.writeHead(400).end();
          return;
        }
        const status = this.respond(event);
        this.deliveries.push({ event, status, headers: req.headers });
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhook`;
  }

  reset(): void {
    this.deliveries.length = 0;
    this.badSignatures.length = 0;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }

  /** Verified, acknowledged events whose object is (or belongs to) one of `ids`. */
  received(ids: string[]): Stripe.Event[] {
    return this.deliveries.filter((d) => d.status < 300 && relatesTo(d.event, ids)).map((d) => d.event);
  }

  /** Delivered, acknowledged events, in arrival order, optionally of one type. */
  events(type?: string): Stripe.Event[] {
    return this.deliveries
      .filter((d) => d.status < 300)
      .map((d) => d.event)
      .filter((e) => !type || e.type === type);
  }

  types(): string[] {
    return this.events().map((e) => e.type);
  }

  /** Polls until every type has arrived at least `count` times (deliveries are jittered). */
  async waitForTypes(types: string[], count = 1, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!types.every((t) => this.events(t).length >= count)) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${types.join(', ')}; got ${this.types().join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Polls until events of every type concerning `ids` have arrived; answers those events. */
  async waitFor(ids: string[], types: string[], timeoutMs = 5000): Promise<Stripe.Event[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = this.received(ids);
      if (types.every((t) => got.some((e) => e.type === t))) return got;
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${types.join(', ')}; got ${got.map((e) => e.type).join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export function relatesTo(event: Stripe.Event, ids: string[]): boolean {
  const obj = event.data.object as unknown as Record<string, unknown>;
  return ['id', 'payment_intent', 'charge', 'customer'].some(
    (k) => typeof obj[k] === 'string' && ids.includes(obj[k] as string),
  );
}
