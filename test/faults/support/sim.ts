import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { startStripeSimulator, type StripeSimulator } from '@app/stripe-simulator';

export const STRIPE_KEY = 'sk_test_faults';

export interface Sim {
  sim: StripeSimulator;
  url: string;
  /** The `whsec_` the service verifies with; the suite signs every delivery itself. */
  secret: string;
  /** The real SDK against the simulator (lists, refunds, subscription updates). */
  stripe: Stripe;
  control<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

/**
 * A Stripe simulator that delivers nothing by itself: every event is only stored, and the suite
 * collects them from `GET /_simulator/events` to deliver them its own way (repeated, shuffled,
 * concurrent, into a failing service). The fee comes 20 ms after a charge, so that by the time
 * anything is delivered Stripe's state is final.
 */
export async function startSim(): Promise<Sim> {
  const secret = `whsec_${randomBytes(16).toString('hex')}`;
  const sim = await startStripeSimulator({
    port: 0,
    webhookSecret: secret,
    feeDelayMs: 20,
    deliveryJitterMs: 0,
    retryDelaysMs: [],
  });
  sim.configureWebhook({ enabled: false });
  const { hostname, port } = new URL(sim.url);
  return {
    sim,
    url: sim.url,
    secret,
    stripe: new Stripe(STRIPE_KEY, { host: hostname, port: Number(port), protocol: 'http', maxNetworkRetries: 2 }),
    async control<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
      const res = await fetch(`${sim.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`simulator ${method} ${path} -> ${res.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    close: () => sim.close(),
  };
}
