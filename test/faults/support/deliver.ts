import Stripe from 'stripe';
import { type WireEvent } from './workload';

const signer = new Stripe('sk_test_signing_only');

/** One POST of one event to one endpoint (the same event may be several deliveries). */
export interface Delivery {
  url: string;
  event: WireEvent;
}

export interface Ack {
  eventId: string;
  type: string;
  duplicate: boolean;
  status: 'queued' | 'processed';
}

export interface DeliveryStats {
  /** Deliveries to make (each acknowledged once, or given up at the deadline). */
  total: number;
  /** HTTP requests made, retries included. */
  attempts: number;
  /** Deliveries answered 2xx. */
  acked: number;
  /** Requests answered non-2xx, by status. */
  statuses: Record<string, number>;
  /** Requests that got no answer (connection refused or reset, timeout), by error code. */
  errors: Record<string, number>;
  /** Acknowledgements per event id, and how many of them said `duplicate: false` (first stored). */
  acksByEvent: Map<string, number>;
  firstStored: Map<string, number>;
  /** Attempts per event id (every request, answered or not). */
  attemptsByEvent: Map<string, number>;
  /** Bodies of 2xx answers that are not the documented `{ eventId, type, duplicate, status }`. */
  malformed: string[];
  /** Deliveries still not acknowledged when the deadline passed. */
  givenUp: Delivery[];
}

export interface DeliveryOptions {
  secret: string;
  concurrency: number;
  /** Like Stripe: a non-2xx answer or no answer is retried after `retryDelayMs`, until `deadline`. Unset: no retries. */
  retryDelayMs?: number;
  deadline?: number;
  requestTimeoutMs?: number;
}

export interface DeliveryRun {
  stats: DeliveryStats;
  done: Promise<DeliveryStats>;
}

/**
 * Delivers events as Stripe does: each POSTed to `<url>/api/stripe/webhook` with a fresh
 * `Stripe-Signature` (the service's secret), `concurrency` requests in flight. With
 * `retryDelayMs`, a delivery that is not answered 2xx is queued again and retried after the delay,
 * until acknowledged or the deadline passes. `stats` fills in as it goes (a test may inject a
 * fault when enough is acknowledged).
 */
export function startDelivery(deliveries: readonly Delivery[], opts: DeliveryOptions): DeliveryRun {
  const stats: DeliveryStats = {
    total: deliveries.length,
    attempts: 0,
    acked: 0,
    statuses: {},
    errors: {},
    acksByEvent: new Map(),
    firstStored: new Map(),
    attemptsByEvent: new Map(),
    malformed: [],
    givenUp: [],
  };
  const payloads = new Map<string, string>();
  const payloadOf = (e: WireEvent) => {
    let p = payloads.get(e.id);
    if (!p) payloads.set(e.id, (p = JSON.stringify(e)));
    return p;
  };
  const ready: Delivery[] = [...deliveries];
  const waiting: Array<{ at: number; d: Delivery }> = [];
  let inFlight = 0;
  const timeout = opts.requestTimeoutMs ?? 10000;
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

  async function once(d: Delivery): Promise<boolean> {
    const payload = payloadOf(d.event);
    const signature = signer.webhooks.generateTestHeaderString({ payload, secret: opts.secret });
    stats.attempts++;
    bump(stats.attemptsByEvent, d.event.id);
    try {
      const res = await fetch(`${d.url}/api/stripe/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body: payload,
        signal: AbortSignal.timeout(timeout),
      });
      const text = await res.text();
      if (res.status < 200 || res.status >= 300) {
        stats.statuses[res.status] = (stats.statuses[res.status] ?? 0) + 1;
        return false;
      }
      stats.acked++;
      bump(stats.acksByEvent, d.event.id);
      let body: Ack | undefined;
      try {
        body = JSON.parse(text);
      } catch {
        // recorded below
      }
      const wellFormed =
        body &&
        body.eventId === d.event.id &&
        body.type === d.event.type &&
        typeof body.duplicate === 'boolean' &&
        (body.status === 'queued' || body.status === 'processed');
      if (!wellFormed) stats.malformed.push(`${res.status} ${text.slice(0, 200)}`);
      else if (!body!.duplicate) bump(stats.firstStored, d.event.id);
      return true;
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause;
      const code = cause?.code ?? (err as Error).name ?? 'error';
      stats.errors[code] = (stats.errors[code] ?? 0) + 1;
      return false;
    }
  }

  const done = (async () => {
    await Promise.all(
      Array.from({ length: opts.concurrency }, async () => {
        for (;;) {
          const now = Date.now();
          waiting.sort((a, b) => a.at - b.at);
          while (waiting.length && waiting[0].at <= now) ready.push(waiting.shift()!.d);
          const d = ready.shift();
          if (!d) {
            if (!waiting.length && inFlight === 0) return;
            await new Promise((r) => setTimeout(r, 20));
            continue;
          }
          inFlight++;
          const ok = await once(d);
          inFlight--;
          if (ok) continue;
          if (opts.retryDelayMs === undefined || (opts.deadline !== undefined && Date.now() > opts.deadline)) {
            stats.givenUp.push(d);
          } else waiting.push({ at: Date.now() + opts.retryDelayMs, d });
        }
      }),
    );
    return stats;
  })();
  return { stats, done };
}

export function deliver(deliveries: readonly Delivery[], opts: DeliveryOptions): Promise<DeliveryStats> {
  return startDelivery(deliveries, opts).done;
}

/** `{ 500: 3, 503: 10 }` and `{ ECONNREFUSED: 4 }` as one short text. */
export function failuresText(stats: DeliveryStats): string {
  const parts = [
    ...Object.entries(stats.statuses).map(([s, n]) => `${s}×${n}`),
    ...Object.entries(stats.errors).map(([c, n]) => `${c}×${n}`),
  ];
  return parts.length ? parts.join(' ') : 'none';
}
