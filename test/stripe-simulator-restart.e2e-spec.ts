import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { startStripeSimulator, type StripeSimulator, type StripeSimulatorOptions } from '@app/stripe-simulator';
import { WebhookReceiver } from './support/webhook-receiver';

const SECRET = 'whsec_simulator_restart_e2e';
const DAY = 86_400;

describe('Stripe simulator with a state file: what it made survives a restart (real stripe SDK)', () => {
  let dir: string;
  let receiver: WebhookReceiver;
  const running: StripeSimulator[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-state-'));
    receiver = new WebhookReceiver(new Stripe('sk_test_receiver'), SECRET);
    await receiver.start();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => s.close()));
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (opts: StripeSimulatorOptions = {}) => {
    const sim = await startStripeSimulator({
      port: 0,
      stateFile: join(dir, 'stripe-simulator', 'state.json'),
      webhookUrl: receiver.url,
      webhookSecret: SECRET,
      feeDelayMs: 50,
      deliveryJitterMs: 10,
      retryDelaysMs: [50, 100],
      ...opts,
    });
    running.push(sim);
    const { hostname, port } = new URL(sim.url);
    const stripe = new Stripe('sk_test_restart', {
      host: hostname,
      port: Number(port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
    const control = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${sim.url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const stop = async () => {
      await sim.close();
      running.splice(running.indexOf(sim), 1);
    };
    return { sim, stripe, control, stop };
  };

  it('customers, a paid charge, a subscription and the clock are there after a restart: the old charge refunds and the old subscription renews', async () => {
    const first = await start();
    // A one-off payment with a customer.
    const payment = await first.stripe.checkout.sessions.create({
      mode: 'payment',
      customer_creation: 'always',
      customer_email: 'once@example.com',
      line_items: [
        { quantity: 1, price_data: { currency: 'aud', unit_amount: 2500, product_data: { name: 'Donation' } } },
      ],
      success_url: 'https://news.example/ok',
    });
    const paid = await first.control<Stripe.Checkout.Session>(
      'POST',
      `/_simulator/checkout/sessions/${payment.id}/complete`,
      { name: 'Once Giver' },
    );
    const chargeId = (await first.stripe.paymentIntents.retrieve(paid.payment_intent as string))
      .latest_charge as string;
    // A monthly subscription.
    const product = await first.stripe.products.create({ name: 'Digital edition' });
    const price = await first.stripe.prices.create({
      product: product.id,
      currency: 'aud',
      unit_amount: 500,
      recurring: { interval: 'month' },
    });
    const subSession = await first.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer_email: 'monthly@example.com',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'https://news.example/ok',
    });
    const subscribed = await first.control<Stripe.Checkout.Session>(
      'POST',
      `/_simulator/checkout/sessions/${subSession.id}/complete`,
    );
    const subBefore = await first.stripe.subscriptions.retrieve(subscribed.subscription as string);
    // Time moved on by 3 days; then a session left open, which must still expire on time.
    const clockBefore = await first.control<{ now: number; offset: number }>('POST', '/_simulator/clock/advance', {
      seconds: 3 * DAY,
    });
    const open = await first.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ quantity: 1, price_data: { currency: 'aud', unit_amount: 900, product_data: { name: 'Later' } } }],
      success_url: 'https://news.example/ok',
    });
    await first.sim.idle();
    // An event made while delivery is off is still to be delivered.
    first.sim.configureWebhook({ enabled: false });
    const late = await first.stripe.customers.create({ email: 'late@example.com' });
    await first.stop();
    expect(readdirSync(join(dir, 'stripe-simulator'))).toEqual(['state.json']);

    receiver.reset();
    const second = await start();
    // The clock kept its offset.
    const clockAfter = await second.control<{ now: number; offset: number }>('GET', '/_simulator/clock');
    expect(clockAfter.offset).toBe(clockBefore.offset);
    expect(clockAfter.now).toBeGreaterThanOrEqual(clockBefore.now);
    // The objects are there, as they were.
    const customerId = paid.customer as string;
    expect(await second.stripe.customers.retrieve(customerId)).toMatchObject({
      id: customerId,
      email: 'once@example.com',
      name: 'Once Giver',
    });
    const charge = await second.stripe.charges.retrieve(chargeId, { expand: ['balance_transaction'] });
    expect(charge).toMatchObject({ id: chargeId, amount: 2500, status: 'succeeded', refunded: false });
    expect((charge.balance_transaction as Stripe.BalanceTransaction).fee).toBeGreaterThan(0);
    expect(await second.stripe.subscriptions.retrieve(subBefore.id)).toEqual(subBefore);
    expect((await second.stripe.checkout.sessions.retrieve(open.id)).status).toBe('open');
    // The event that was not delivered before the restart is delivered now.
    await receiver.waitFor([late.id], ['customer.created']);

    // The old charge refunds.
    const refund = await second.stripe.refunds.create({ charge: chargeId, amount: 1000 });
    expect(refund).toMatchObject({ status: 'succeeded', amount: 1000, charge: chargeId });
    expect(await second.stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 1000 });

    // The old subscription renews when its period ends, with its invoice.paid webhook; the
    // session left open expires at its time.
    await second.control('POST', '/_simulator/clock/advance', { seconds: 31 * DAY });
    await second.sim.idle();
    const renewed = await second.stripe.subscriptions.retrieve(subBefore.id);
    expect(renewed.status).toBe('active');
    expect(renewed.items.data[0].current_period_start).toBe(subBefore.items.data[0].current_period_end);
    // Its item is one object with the subscription's, as before the restart.
    expect((await second.stripe.subscriptionItems.retrieve(renewed.items.data[0].id)).current_period_end).toBe(
      renewed.items.data[0].current_period_end,
    );
    const paidInvoices = receiver.events('invoice.paid').map((e) => e.data.object as Stripe.Invoice);
    expect(
      paidInvoices.map((i) => [i.parent?.subscription_details?.subscription, i.billing_reason, i.amount_paid]),
    ).toEqual([[subBefore.id, 'subscription_cycle', 500]]);
    expect((await second.stripe.checkout.sessions.retrieve(open.id)).status).toBe('expired');
  });

  it('without a state file nothing is written, and a second simulator starts empty', async () => {
    const first = await start({ stateFile: undefined });
    const customer = await first.stripe.customers.create({ email: 'gone@example.com' });
    await first.stop();
    expect(existsSync(join(dir, 'stripe-simulator'))).toBe(false);
    const second = await start({ stateFile: undefined });
    await expect(second.stripe.customers.retrieve(customer.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('a state file it cannot read stops the start with a message naming the file', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"version":1,"store":');
    await expect(start({ stateFile: file })).rejects.toThrow(/cannot read its state file .*broken\.json/);
  });
});
