import http, { type ClientRequest } from 'node:http';
import https from 'node:https';
import type { SimulatorConfig } from '../config';
import type { Scheduler } from '../core/scheduler';
import type { Store } from '../core/store';
import type { SimulatorEvent } from '../core/types';
import { signWebhookPayload } from './webhook-signature';

export interface WebhookEndpoint {
  url?: string;
  secret?: string;
  enabled: boolean;
}

/** What happened to one event's deliveries (shown by the controls, used by `delivery_success`). */
export interface DeliveryInfo {
  delivered: boolean;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  /** Real time (unix seconds) of the last attempt. */
  last_attempt_at: number | null;
  /** Real time (unix seconds) of the next scheduled retry, if any. */
  next_retry_at: number | null;
}

export interface AttemptResult {
  delivered: boolean;
  status: number | null;
  error: string | null;
}

const USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';

/**
 * Sends stored events to the configured endpoint like Stripe does: signed JSON, any 2xx is
 * success, anything else (or a connection error, or the timeout) is retried after
 * `retryDelaysMs[n]` until the list runs out. Each event's first attempt waits a random
 * 0..`deliveryJitterMs`, so the events of one flow arrive in varying order.
 */
export class WebhookDispatcher {
  private endpoint: WebhookEndpoint;
  private readonly deliveries = new Map<string, DeliveryInfo>();
  private readonly inFlight = new Set<ClientRequest>();
  /** Events that gave up (every retry failed). */
  private readonly gaveUp = new Set<string>();
  /**
   * A restored simulator's events still to be delivered, and those it makes before an endpoint is
   * configured (the service sets its URL once it listens): sent when delivery is first active.
   */
  private held: string[] | undefined;

  constructor(
    private readonly deps: { store: Store; scheduler: Scheduler; config: SimulatorConfig; log: (msg: string) => void },
    endpoint: WebhookEndpoint,
  ) {
    this.endpoint = WebhookDispatcher.validate(endpoint);
  }

  /** Changes the endpoint at run time; omitted fields keep their value. */
  configure(patch: Partial<WebhookEndpoint>): WebhookEndpoint {
    this.endpoint = WebhookDispatcher.validate({ ...this.endpoint, ...stripUndefined(patch) });
    this.deps.log(
      `webhooks ${this.endpoint.enabled ? 'enabled' : 'disabled'}${this.endpoint.url ? ` → ${this.endpoint.url}` : ' (no URL)'}`,
    );
    this.releaseHeld();
    return this.endpoint;
  }

  /** The endpoint without its secret. */
  describe(): { url: string | null; enabled: boolean; secret_set: boolean } {
    return { url: this.endpoint.url ?? null, enabled: this.endpoint.enabled, secret_set: !!this.endpoint.secret };
  }

  /** Whether new events will be sent. */
  get active(): boolean {
    return this.endpoint.enabled && !!this.endpoint.url && !!this.endpoint.secret;
  }

  /** Registers a new event and, when delivery is on, schedules its first attempt. */
  enqueue(event: SimulatorEvent): void {
    this.deliveries.set(event.id, {
      delivered: false,
      attempts: 0,
      last_status: null,
      last_error: null,
      last_attempt_at: null,
      next_retry_at: null,
    });
    if (!this.active) {
      this.held?.push(event.id);
      return;
    }
    const jitter = Math.floor(Math.random() * (this.deps.config.deliveryJitterMs + 1));
    this.scheduleAttempt(event.id, jitter, 0);
  }

  delivery(eventId: string): DeliveryInfo | undefined {
    const info = this.deliveries.get(eventId);
    return info && { ...info };
  }

  /** Sends an event again now, even if it was delivered; needs a URL and a secret, not `enabled`. */
  async resend(eventId: string): Promise<AttemptResult> {
    return this.deps.scheduler.track(this.attempt(eventId));
  }

  /** Delivery records, for a state file: every event's, and which gave up. */
  exportState(): { deliveries: Array<[string, DeliveryInfo]>; gaveUp: string[] } {
    return { deliveries: [...this.deliveries], gaveUp: [...this.gaveUp] };
  }

  /**
   * Takes the delivery records of a restored simulator. Events neither delivered nor given up
   * are sent again (their retry count goes on), now if delivery is active, else once it is.
   */
  restoreState(state: { deliveries: Array<[string, DeliveryInfo]>; gaveUp: string[] }): void {
    this.held = [];
    for (const id of state.gaveUp) this.gaveUp.add(id);
    for (const [id, info] of state.deliveries) {
      this.deliveries.set(id, { ...info, next_retry_at: null });
      if (!info.delivered && !this.gaveUp.has(id)) this.held.push(id);
    }
    this.releaseHeld();
  }

  /** Aborts deliveries in flight (their events stay undelivered). */
  close(): void {
    for (const req of this.inFlight) req.destroy(new Error('simulator closed'));
    this.inFlight.clear();
  }

  private releaseHeld(): void {
    if (!this.held || !this.active) return;
    const held = this.held;
    this.held = undefined;
    for (const id of held) {
      const info = this.deliveries.get(id);
      if (!info || info.delivered) continue;
      const jitter = Math.floor(Math.random() * (this.deps.config.deliveryJitterMs + 1));
      this.scheduleAttempt(id, jitter, info.attempts);
    }
  }

  private scheduleAttempt(eventId: string, delayMs: number, retryIndex: number): void {
    const info = this.deliveries.get(eventId);
    if (info) info.next_retry_at = retryIndex > 0 ? Math.floor((Date.now() + delayMs) / 1000) : null;
    this.deps.scheduler.schedule(delayMs, `deliver ${eventId}`, async () => {
      const current = this.deliveries.get(eventId);
      if (current) current.next_retry_at = null;
      // Turned off meanwhile, or delivered by a manual resend: nothing to do.
      if (!this.active || current?.delivered) return;
      const result = await this.attempt(eventId);
      if (result.delivered) return;
      const nextDelay = this.deps.config.retryDelaysMs[retryIndex];
      if (nextDelay === undefined) {
        this.gaveUp.add(eventId);
        this.deps.log(`webhook ${eventId}: giving up after ${current?.attempts ?? 0} attempts`);
        return;
      }
      this.scheduleAttempt(eventId, nextDelay, retryIndex + 1);
    });
  }

  private async attempt(eventId: string): Promise<AttemptResult> {
    const event = this.deps.store.get('event', eventId);
    const info = this.deliveries.get(eventId);
    const { url, secret } = this.endpoint;
    if (!event || !info) return { delivered: false, status: null, error: `no such event ${eventId}` };
    if (!url || !secret) return { delivered: false, status: null, error: 'no webhook URL and secret configured' };

    const payload = JSON.stringify(event, null, 2);
    const headers = {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(Buffer.byteLength(payload)),
      'User-Agent': USER_AGENT,
      'Stripe-Signature': signWebhookPayload(payload, secret),
      'Cache-Control': 'no-cache',
      Accept: '*/*; q=0.5, application/xml',
    };
    info.attempts += 1;
    info.last_attempt_at = Math.floor(Date.now() / 1000);
    const { status, error } = await this.post(url, payload, headers);
    const delivered = status !== null && status >= 200 && status < 300;
    info.last_status = status;
    info.last_error = error;
    if (delivered) {
      info.delivered = true;
      event.pending_webhooks = 0;
    }
    this.deps.log(`webhook ${event.type} ${event.id} → ${status ?? error} (attempt ${info.attempts})`);
    return { delivered, status, error };
  }

  private post(
    url: string,
    payload: string,
    headers: Record<string, string>,
  ): Promise<{ status: number | null; error: string | null }> {
    return new Promise((resolve) => {
      let settled = false;
      let statusCode: number | null = null;
      // eslint-disable-next-line prefer-const -- read by finish(), which may run before the timer is set
      let timer: NodeJS.Timeout | undefined;
      const finish = (status: number | null, error: string | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status, error });
      };
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        finish(null, `invalid webhook URL ${url}`);
        return;
      }
      const transport = target.protocol === 'https:' ? https : http;
      const req = transport.request(target, { method: 'POST', headers, agent: false }, (res) => {
        statusCode = res.statusCode ?? null;
        res.resume();
        res.on('end', () => finish(statusCode, null));
        res.on('error', (err) => finish(statusCode, err.message));
      });
      timer = setTimeout(
        () => req.destroy(new Error(`timed out after ${this.deps.config.deliveryTimeoutMs} ms`)),
        this.deps.config.deliveryTimeoutMs,
      );
      this.inFlight.add(req);
      req.on('error', (err) => finish(null, err.message));
      req.on('close', () => {
        this.inFlight.delete(req);
        finish(statusCode, statusCode === null ? 'connection closed' : null);
      });
      req.end(payload);
    });
  }

  private static validate(endpoint: WebhookEndpoint): WebhookEndpoint {
    if (endpoint.url && !endpoint.secret) {
      throw new Error('Stripe simulator: a webhook secret (whsec_...) is required to send webhooks');
    }
    if (endpoint.url) new URL(endpoint.url); // throws on a malformed URL
    return endpoint;
  }
}

function stripUndefined<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
