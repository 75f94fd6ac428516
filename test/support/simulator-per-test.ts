import Stripe from 'stripe';
import { startStripeSimulator, type StripeSimulator } from '@app/stripe-simulator';
import { WebhookReceiver } from './webhook-receiver';

export interface SimulatorUnderTest {
  receiver: WebhookReceiver;
  sim: StripeSimulator;
  stripe: Stripe;
}

export type Control = <T = Record<string, unknown>>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: T }>;

/**
 * A fresh simulator for every test (each starts with an empty balance and its own clock),
 * delivering signed webhooks to one receiver that checks every signature; the real SDK as its
 * client. `use` hands the current ones to the suite; answers a caller of the test controls.
 */
export function simulatorPerTest(
  opts: { secret: string; apiKey: string; feeDelayMs: number },
  use: (s: SimulatorUnderTest) => void,
): Control {
  let receiver: WebhookReceiver;
  let sim: StripeSimulator | undefined;

  beforeAll(async () => {
    receiver = new WebhookReceiver(new Stripe('sk_test_receiver'), opts.secret);
    await receiver.start();
  });
  afterAll(async () => {
    await receiver?.close();
  });
  beforeEach(async () => {
    receiver.reset();
    sim = await startStripeSimulator({
      port: 0,
      webhookUrl: receiver.url,
      webhookSecret: opts.secret,
      feeDelayMs: opts.feeDelayMs,
      deliveryJitterMs: 20,
      retryDelaysMs: [50, 100],
    });
    const { hostname, port } = new URL(sim.url);
    use({
      receiver,
      sim,
      stripe: new Stripe(opts.apiKey, { host: hostname, port: Number(port), protocol: 'http', maxNetworkRetries: 0 }),
    });
  });
  afterEach(async () => {
    await sim?.close();
    expect(receiver.badSignatures).toEqual([]);
  });

  return async <T>(method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await fetch(`${sim!.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };
}
