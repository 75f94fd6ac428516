import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';
import { startStripeSimulator, type StripeSimulator } from '@app/stripe-simulator';
import { relatesTo, WebhookReceiver } from './support/webhook-receiver';

/** Stripe's own example objects: what every returned object must at least contain. */
const FIXTURES = (
  JSON.parse(readFileSync(join(__dirname, '../libs/stripe-simulator/src/fixtures/fixtures3.json'), 'utf8')) as {
    resources: Record<string, object>;
  }
).resources;

const WEBHOOK_SECRET = 'whsec_simulator_e2e_secret';
const FEE_DELAY_MS = 150;

interface SimulatorEventWithDelivery {
  id: string;
  type: string;
  data: { object: { id: string } };
  delivery: { delivered: boolean; attempts: number; last_status: number | null };
}

describe('Stripe simulator (real stripe SDK over HTTP, signed webhooks)', () => {
  let sim: StripeSimulator;
  let stripe: Stripe;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = new WebhookReceiver(new Stripe('sk_test_receiver'), WEBHOOK_SECRET);
    await receiver.start();
    sim = await startStripeSimulator({
      port: 0,
      webhookUrl: receiver.url,
      webhookSecret: WEBHOOK_SECRET,
      feeDelayMs: FEE_DELAY_MS,
      deliveryJitterMs: 20,
      retryDelaysMs: [50, 100],
    });
    const { hostname, port } = new URL(sim.url);
    stripe = new Stripe('sk_test_e2e_simulator', {
      host: hostname,
      port: Number(port),
      protocol: 'http',
      maxNetworkRetries: 0,
    });
  });

  afterAll(async () => {
    await sim?.close();
    await receiver?.close();
  });

  afterEach(() => {
    receiver.respond = () => 200;
    sim.configureWebhook({ enabled: true });
  });

  const control = async <T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  const createSession = (amount = 2500, extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) =>
    stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [
        { quantity: 1, price_data: { currency: 'AUD', unit_amount: amount, product_data: { name: 'Donation' } } },
      ],
      customer_email: 'jenny@example.com',
      client_reference_id: 'chk_1',
      submit_type: 'donate',
      metadata: { checkout_id: 'chk_1' },
      payment_intent_data: { metadata: { checkout_id: 'chk_1' }, description: 'Donation' },
      success_url: 'https://news.example/thanks?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://news.example/cancelled',
      ...extra,
    });

  /** A session paid through the control, with its payment intent and charge. */
  const paidCharge = async (amount = 2500) => {
    const session = await createSession(amount);
    await control('POST', `/_simulator/checkout/sessions/${session.id}/complete`);
    const paid = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    const pi = paid.payment_intent as Stripe.PaymentIntent;
    return { session: paid, pi, charge: await stripe.charges.retrieve(pi.latest_charge as string) };
  };

  const expectFixtureFields = (resource: string, obj: object) => {
    const expected = Object.keys(FIXTURES[resource]);
    expect(Object.keys(obj)).toEqual(expect.arrayContaining(expected));
  };

  describe('checkout sessions', () => {
    it('creates an open payment session in Stripe’s shape, with line items and a hosted page', async () => {
      const session = await createSession(2500);
      expect(session).toMatchObject({
        object: 'checkout.session',
        mode: 'payment',
        status: 'open',
        payment_status: 'unpaid',
        amount_subtotal: 2500,
        amount_total: 2500,
        currency: 'aud',
        payment_intent: null,
        customer: null,
        customer_email: 'jenny@example.com',
        client_reference_id: 'chk_1',
        submit_type: 'donate',
        metadata: { checkout_id: 'chk_1' },
        livemode: false,
        url: `${sim.url}/checkout/${session.id}`,
        shipping_cost: null,
        total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
        success_url: 'https://news.example/thanks?session_id={CHECKOUT_SESSION_ID}',
      });
      expect(session.id).toMatch(/^cs_test_[A-Za-z0-9]{58}$/);
      expect(session.expires_at - session.created).toBe(24 * 3600);
      expectFixtureFields('checkout.session', session);

      const items = await stripe.checkout.sessions.listLineItems(session.id);
      expect(items.data).toHaveLength(1);
      expect(items.data[0]).toMatchObject({
        object: 'item',
        description: 'Donation',
        quantity: 1,
        amount_total: 2500,
        currency: 'aud',
      });
      expect(items.data[0].price).toMatchObject({ object: 'price', unit_amount: 2500, type: 'one_time' });
      const expanded = await stripe.checkout.sessions.retrieve(session.id, {
        expand: ['line_items.data.price.product'],
      });
      expect(((expanded.line_items!.data[0].price as Stripe.Price).product as Stripe.Product).name).toBe('Donation');

      const page = await fetch(session.url!);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('A$25.00');
      expect(html).toContain('Donation');
      expect(html).toContain('jenny@example.com');
      expect(html).toMatch(/<button[^>]*>\s*Pay\s*<\/button>/);
      expect(html).toContain(`formaction="${session.url}/decline"`);
      expect(html).toContain(`action="${session.url}/pay"`);
    });

    it('stamps created and expires_at from one reading of the clock, even when a second ticks meanwhile', async () => {
      // Every read of the time moves it on a second: a session whose created and expires_at came
      // from two readings would be 86399 or less seconds long (CI once caught that by chance).
      const realNow = Date.now.bind(Date);
      let ticks = 0;
      const spy = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 1000 * ticks++);
      try {
        const session = await stripe.checkout.sessions.create({
          mode: 'payment',
          line_items: [
            { price_data: { currency: 'aud', unit_amount: 500, product_data: { name: 'Donation' } }, quantity: 1 },
          ],
          success_url: 'https://news.example/thanks',
        });
        expect(ticks).toBeGreaterThan(1);
        expect(session.expires_at - session.created).toBe(24 * 3600);
      } finally {
        spy.mockRestore();
      }
    });

    it('formats other currencies on the page', async () => {
      const session = await createSession(2500, {
        line_items: [
          { quantity: 2, price_data: { currency: 'usd', unit_amount: 1250, product_data: { name: 'Print edition' } } },
        ],
      });
      expect(session.amount_total).toBe(2500);
      const html = await (await fetch(session.url!)).text();
      expect(html).toContain('$25.00');
      expect(html).not.toContain('A$25.00');
      expect(html).toContain('Print edition × 2');
    });

    it('completing a session (control): the four events, then charge.updated carrying the fee', async () => {
      const session = await createSession(2500);
      const { status, body: completed } = await control<Stripe.Checkout.Session>(
        'POST',
        `/_simulator/checkout/sessions/${session.id}/complete`,
      );
      expect(status).toBe(200);
      expect(completed).toMatchObject({ status: 'complete', payment_status: 'paid', customer: null, url: null });
      expect(completed.customer_details).toMatchObject({ email: 'jenny@example.com' });
      const piId = completed.payment_intent as string;
      expect(piId).toMatch(/^pi_/);

      const first = await receiver.waitFor(
        [session.id, piId],
        ['payment_intent.created', 'payment_intent.succeeded', 'charge.succeeded', 'checkout.session.completed'],
      );
      const byType = (type: string) =>
        first.find((e) => e.type === type)!.data.object as unknown as Record<string, unknown>;
      expect(byType('payment_intent.created')).toMatchObject({
        status: 'requires_payment_method',
        amount: 2500,
        currency: 'aud',
      });
      expect(byType('payment_intent.succeeded')).toMatchObject({
        status: 'succeeded',
        amount_received: 2500,
        metadata: { checkout_id: 'chk_1' },
      });
      expect(byType('charge.succeeded')).toMatchObject({
        status: 'succeeded',
        paid: true,
        captured: true,
        amount: 2500,
        amount_captured: 2500,
        balance_transaction: null,
        payment_intent: piId,
        metadata: { checkout_id: 'chk_1' },
        billing_details: { email: 'jenny@example.com' },
        payment_method_details: { type: 'card', card: { brand: 'visa', last4: '4242' } },
        source: null,
        transfer_data: null,
      });
      expect(byType('checkout.session.completed')).toMatchObject({
        id: session.id,
        status: 'complete',
        payment_intent: piId,
      });

      const all = await receiver.waitFor([session.id, piId], ['charge.updated']);
      const updated = all.find((e) => e.type === 'charge.updated')!;
      expect(updated.data.previous_attributes).toEqual({ balance_transaction: null });
      const charge = updated.data.object as Stripe.Charge;
      expect(charge.balance_transaction).toMatch(/^txn_/);

      const txn = await stripe.balanceTransactions.retrieve(charge.balance_transaction as string);
      expect(txn).toMatchObject({
        type: 'charge',
        reporting_category: 'charge',
        amount: 2500,
        fee: 73,
        net: 2427,
        currency: 'aud',
        status: 'pending',
        source: charge.id,
        fee_details: [
          { amount: 73, currency: 'aud', description: 'Stripe processing fees', type: 'stripe_fee', application: null },
        ],
      });
      expect(txn.available_on - txn.created).toBe(2 * 86400);
      expect(receiver.badSignatures).toEqual([]);
      const delivery = receiver.deliveries.find((d) => d.event.id === updated.id)!;
      expect(delivery.headers['user-agent']).toBe('Stripe/1.0 (+https://stripe.com/docs/webhooks)');
      expect(delivery.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(updated.api_version).toBe(Stripe.API_VERSION);

      const expanded = await stripe.checkout.sessions.retrieve(session.id, {
        expand: ['payment_intent.latest_charge.balance_transaction'],
      });
      const pi = expanded.payment_intent as Stripe.PaymentIntent;
      const latest = pi.latest_charge as Stripe.Charge;
      expect((latest.balance_transaction as Stripe.BalanceTransaction).fee).toBe(73);
      expectFixtureFields('payment_intent', pi);
      expectFixtureFields('charge', latest);
      expectFixtureFields('balance_transaction', latest.balance_transaction as object);
      expectFixtureFields('event', updated);

      const charges = await stripe.charges.list({ payment_intent: piId, expand: ['data.balance_transaction'] });
      expect(charges.data.map((c) => (c.balance_transaction as Stripe.BalanceTransaction).net)).toEqual([2427]);
      const sessions = await stripe.checkout.sessions.list({ payment_intent: piId });
      expect(sessions.data.map((s) => s.id)).toEqual([session.id]);
    });

    it('Pay on the hosted page completes the session and redirects (303) to the success URL', async () => {
      const session = await createSession(1000);
      const res = await fetch(`${session.url}/pay`, { method: 'POST', redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`https://news.example/thanks?session_id=${session.id}`);
      const paid = await stripe.checkout.sessions.retrieve(session.id);
      expect(paid).toMatchObject({ status: 'complete', payment_status: 'paid' });
      const html = await (await fetch(`${sim.url}/checkout/${session.id}`)).text();
      expect(html).toContain('Payment complete');
      expect(html).not.toMatch(/>\s*Pay\s*</);
      await receiver.waitFor(
        [session.id, paid.payment_intent as string],
        ['checkout.session.completed', 'charge.updated'],
      );
    });

    it("creates a customer only when asked (customer_creation: 'always')", async () => {
      const session = await createSession(1500, { customer_creation: 'always' });
      const { body } = await control<Stripe.Checkout.Session>(
        'POST',
        `/_simulator/checkout/sessions/${session.id}/complete`,
        { name: 'Jenny Rosen' },
      );
      const customer = await stripe.customers.retrieve(body.customer as string);
      expect(customer).toMatchObject({ object: 'customer', email: 'jenny@example.com', name: 'Jenny Rosen' });
      const pi = await stripe.paymentIntents.retrieve(body.payment_intent as string);
      expect(pi.customer).toBe(customer.id);
      await receiver.waitFor([customer.id], ['customer.created']);
    });

    it('a declined card leaves the session open with a failed charge; paying again succeeds on the same payment intent', async () => {
      const session = await createSession(2000);
      const declined = await fetch(`${session.url}/decline`, { method: 'POST', redirect: 'manual' });
      expect(declined.status).toBe(303);
      expect(declined.headers.get('location')).toBe(session.url);
      const html = await (await fetch(session.url!)).text();
      expect(html).toContain('Your card was declined');
      expect(html).toMatch(/>\s*Pay\s*</);

      const open = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent.latest_charge'] });
      expect(open.status).toBe('open');
      const pi = open.payment_intent as Stripe.PaymentIntent;
      expect(pi.status).toBe('requires_payment_method');
      expect(pi.last_payment_error).toMatchObject({
        code: 'card_declined',
        decline_code: 'generic_decline',
        type: 'card_error',
      });
      expect(pi.latest_charge).toMatchObject({
        status: 'failed',
        paid: false,
        failure_code: 'card_declined',
        balance_transaction: null,
      });
      await receiver.waitFor([pi.id], ['payment_intent.payment_failed', 'charge.failed']);

      const again = await control<Stripe.Checkout.Session>('POST', `/_simulator/checkout/sessions/${session.id}/fail`);
      expect(again.body.status).toBe('open');
      await control('POST', `/_simulator/checkout/sessions/${session.id}/complete`);
      const paid = await stripe.paymentIntents.retrieve(pi.id);
      expect(paid).toMatchObject({ status: 'succeeded', last_payment_error: null });
      const charges = await stripe.charges.list({ payment_intent: pi.id });
      expect(charges.data.map((c) => c.status)).toEqual(['succeeded', 'failed', 'failed']);
      await sim.idle();
      const created = receiver.received([pi.id]).filter((e) => e.type === 'payment_intent.created');
      expect(created).toHaveLength(1);
    });

    it("the Card number field takes Stripe's test cards: 0002 is declined as Decline is, a non-test number is refused, 5126 pays with that card", async () => {
      const session = await createSession(1800);
      const pay = (cardNumber: string) =>
        fetch(`${session.url}/pay`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ email: '', name: '', card_number: cardNumber }).toString(),
        });
      expect(await (await fetch(session.url!)).text()).toContain('name="card_number"');

      const declined = await pay('4000-0000-0000-0002');
      expect(declined.status).toBe(303);
      expect(declined.headers.get('location')).toBe(session.url);
      expect(await (await fetch(session.url!)).text()).toContain('Your card was declined');

      const refused = await pay('4111 1111 1111 1111');
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('non test card');
      const open = await stripe.checkout.sessions.retrieve(session.id);
      expect(open.status).toBe('open');
      // Only the declined attempt made a charge.
      const attempts = await stripe.charges.list({ payment_intent: open.payment_intent as string });
      expect(attempts.data.map((c) => c.status)).toEqual(['failed']);

      const paid = await pay('4000 0000 0000 5126');
      expect(paid.status).toBe(303);
      const charges = await stripe.charges.list({ payment_intent: open.payment_intent as string });
      expect(charges.data.map((c) => [c.status, c.payment_method_details?.card?.last4])).toEqual([
        ['succeeded', '5126'],
        ['failed', '0002'],
      ]);
    });

    it('expires an open session once; an expired session cannot be paid', async () => {
      const session = await createSession(1500);
      const expired = await stripe.checkout.sessions.expire(session.id);
      expect(expired).toMatchObject({ status: 'expired', payment_status: 'unpaid', url: null });
      await receiver.waitFor([session.id], ['checkout.session.expired']);

      await expect(stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({
        type: 'StripeInvalidRequestError',
        statusCode: 400,
      });
      const html = await (await fetch(`${sim.url}/checkout/${session.id}`)).text();
      expect(html).toContain('expired');
      expect(html).not.toMatch(/>\s*Pay\s*</);
      expect((await control('POST', `/_simulator/checkout/sessions/${session.id}/complete`)).status).toBe(400);
      expect(
        (await fetch(`${sim.url}/checkout/${session.id}/pay`, { method: 'POST', redirect: 'manual' })).status,
      ).toBe(409);
    });

    it('expires a session at expires_at when the clock is advanced', async () => {
      const session = await createSession(1500);
      const { body } = await control<{ offset: number }>('POST', '/_simulator/clock/advance', { seconds: 24 * 3600 });
      expect(body.offset).toBeGreaterThanOrEqual(24 * 3600);
      expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe('expired');
      await receiver.waitFor([session.id], ['checkout.session.expired']);
    });

    it('lists sessions newest first with cursors and filters', async () => {
      const a = await createSession(1100);
      const b = await createSession(1200);
      const c = await createSession(1300);
      const page1 = await stripe.checkout.sessions.list({ limit: 2, status: 'open' });
      expect(page1.data.map((s) => s.id)).toEqual([c.id, b.id]);
      expect(page1.has_more).toBe(true);
      const page2 = await stripe.checkout.sessions.list({ limit: 1, starting_after: b.id });
      expect(page2.data.map((s) => s.id)).toEqual([a.id]);
      const before = await stripe.checkout.sessions.list({ limit: 5, ending_before: a.id });
      expect(before.data.map((s) => s.id)).toEqual([c.id, b.id]);
      const recent = await stripe.checkout.sessions.list({ created: { gte: a.created }, limit: 100 });
      expect(recent.data.map((s) => s.id)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));
    });
  });

  describe('refunds', () => {
    it('refunds part then the rest; too much or twice is refused', async () => {
      const { pi, charge } = await paidCharge(2500);
      const first = await stripe.refunds.create({
        payment_intent: pi.id,
        amount: 1000,
        reason: 'requested_by_customer',
        metadata: { note: 'partial' },
      });
      expect(first).toMatchObject({
        object: 'refund',
        status: 'succeeded',
        amount: 1000,
        charge: charge.id,
        payment_intent: pi.id,
        currency: 'aud',
        reason: 'requested_by_customer',
      });
      expectFixtureFields('refund', first);
      const txn = await stripe.balanceTransactions.retrieve(first.balance_transaction as string);
      expect(txn).toMatchObject({
        type: 'refund',
        reporting_category: 'refund',
        amount: -1000,
        fee: 0,
        net: -1000,
        source: first.id,
      });
      expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 1000, refunded: false });

      const tooMuch = await stripe.refunds.create({ charge: charge.id, amount: 1600 }).catch((e: unknown) => e);
      expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(tooMuch).toMatchObject({ code: 'amount_too_large', param: 'amount', statusCode: 400 });

      const rest = await control<Stripe.Refund>('POST', `/_simulator/charges/${charge.id}/refund`, {});
      expect(rest).toMatchObject({ status: 200, body: { amount: 1500, status: 'succeeded' } });
      expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ amount_refunded: 2500, refunded: true });
      await expect(stripe.refunds.create({ charge: charge.id })).rejects.toMatchObject({
        code: 'charge_already_refunded',
      });

      const list = await stripe.refunds.list({ charge: charge.id });
      expect(list.data.map((r) => r.id)).toEqual([rest.body.id, first.id]);

      await receiver.waitFor([charge.id], ['refund.created', 'charge.refunded']);
      await sim.idle();
      const refundedEvents = receiver.received([charge.id]).filter((e) => e.type === 'charge.refunded');
      expect(
        refundedEvents
          .map((e) => e.data.previous_attributes)
          .sort(
            (x, y) =>
              (x as { amount_refunded: number }).amount_refunded - (y as { amount_refunded: number }).amount_refunded,
          ),
      ).toEqual([
        expect.objectContaining({ amount_refunded: 0 }),
        expect.objectContaining({ amount_refunded: 1000, refunded: false }),
      ]);
      expect(receiver.received([charge.id]).filter((e) => e.type === 'refund.created')).toHaveLength(2);
    });
  });

  describe('disputes', () => {
    it('a dispute withdraws the amount and a fee; winning it reinstates both', async () => {
      const { charge } = await paidCharge(3000);
      const { body: dispute } = await control<Stripe.Dispute>('POST', `/_simulator/charges/${charge.id}/dispute`, {});
      expect(dispute).toMatchObject({
        object: 'dispute',
        amount: 3000,
        charge: charge.id,
        currency: 'aud',
        reason: 'fraudulent',
        status: 'needs_response',
      });
      expect(dispute.balance_transactions).toHaveLength(1);
      expect(dispute.balance_transactions[0]).toMatchObject({
        type: 'adjustment',
        reporting_category: 'dispute',
        amount: -3000,
        fee: 2500,
        net: -5500,
      });
      expectFixtureFields('dispute', dispute);
      expect((await stripe.charges.retrieve(charge.id)).disputed).toBe(true);
      await receiver.waitFor([dispute.id], ['charge.dispute.created', 'charge.dispute.funds_withdrawn']);

      const { body: won } = await control<Stripe.Dispute>('POST', `/_simulator/disputes/${dispute.id}/close`, {
        status: 'won',
      });
      expect(won.status).toBe('won');
      const retrieved = await stripe.disputes.retrieve(dispute.id);
      expect(retrieved.balance_transactions.map((t) => [t.reporting_category, t.amount, t.fee, t.net])).toEqual([
        ['dispute', -3000, 2500, -5500],
        ['dispute_reversal', 3000, -2500, 5500],
      ]);
      await receiver.waitFor([dispute.id], ['charge.dispute.closed', 'charge.dispute.funds_reinstated']);
      expect((await control('POST', `/_simulator/disputes/${dispute.id}/close`, { status: 'lost' })).status).toBe(400);
    });

    it('a lost dispute keeps the money withdrawn', async () => {
      const { charge } = await paidCharge(2000);
      const { body: dispute } = await control<Stripe.Dispute>('POST', `/_simulator/charges/${charge.id}/dispute`, {
        amount: 1500,
        reason: 'product_not_received',
      });
      expect(dispute).toMatchObject({ amount: 1500, reason: 'product_not_received' });
      const { body: lost } = await control<Stripe.Dispute>('POST', `/_simulator/disputes/${dispute.id}/close`, {
        status: 'lost',
      });
      expect(lost.status).toBe('lost');
      expect(lost.balance_transactions).toHaveLength(1);
      const events = await receiver.waitFor([dispute.id], ['charge.dispute.created', 'charge.dispute.closed']);
      await sim.idle();
      expect(receiver.received([dispute.id]).some((e) => e.type === 'charge.dispute.funds_reinstated')).toBe(false);
      expect(events.find((e) => e.type === 'charge.dispute.closed')!.data.object).toMatchObject({ status: 'lost' });
    });
  });

  describe('webhook delivery', () => {
    it('retries a delivery the endpoint answered 500, until it is acknowledged', async () => {
      const session = await createSession(1800);
      const failedOnce = new Set<string>();
      receiver.respond = (event) => {
        if (
          event.type !== 'checkout.session.completed' ||
          (event.data.object as { id: string }).id !== session.id ||
          failedOnce.has(event.id)
        ) {
          return 200;
        }
        failedOnce.add(event.id);
        return 500;
      };
      await control('POST', `/_simulator/checkout/sessions/${session.id}/complete`);
      await receiver.waitFor([session.id], ['checkout.session.completed']);
      const attempts = receiver.deliveries.filter(
        (d) =>
          d.event.type === 'checkout.session.completed' && (d.event.data.object as { id: string }).id === session.id,
      );
      expect(attempts.map((a) => a.status)).toEqual([500, 200]);
      expect(attempts[0].event.id).toBe(attempts[1].event.id);

      const { body: events } = await control<SimulatorEventWithDelivery[]>(
        'GET',
        '/_simulator/events?type=checkout.session.completed',
      );
      const ours = events.find((e) => e.data.object.id === session.id)!;
      expect(ours.delivery).toMatchObject({ delivered: true, attempts: 2, last_status: 200 });
    });

    it('gives up after the retry delays run out', async () => {
      const session = await createSession(1900);
      receiver.respond = (event) => ((event.data.object as { id: string }).id === session.id ? 503 : 200);
      await control('POST', `/_simulator/checkout/sessions/${session.id}/complete`);
      await sim.idle();
      const { body: events } = await control<SimulatorEventWithDelivery[]>(
        'GET',
        '/_simulator/events?type=checkout.session.completed',
      );
      expect(events.find((e) => e.data.object.id === session.id)!.delivery).toMatchObject({
        delivered: false,
        attempts: 3,
        last_status: 503,
      });
    });

    it('with delivery disabled, events are stored, listed with delivery_success=false, and can be resent', async () => {
      const start = Math.floor(Date.now() / 1000) - 1;
      sim.configureWebhook({ enabled: false });
      const session = await createSession(2200);
      const { body } = await control<Stripe.Checkout.Session>(
        'POST',
        `/_simulator/checkout/sessions/${session.id}/complete`,
      );
      await control('POST', '/_simulator/flush', { fast_forward: true });
      const piId = body.payment_intent as string;
      expect(receiver.received([session.id, piId])).toEqual([]);

      const missed = await stripe.events.list({
        delivery_success: false,
        created: { gte: start },
        types: ['checkout.session.completed', 'charge.updated'],
        limit: 100,
      });
      const ours = missed.data.filter((e) => relatesTo(e, [session.id, piId]));
      expect(ours.map((e) => e.type).sort()).toEqual(['charge.updated', 'checkout.session.completed']);
      const fee = ours.find((e) => e.type === 'charge.updated')!;
      expect(fee.pending_webhooks).toBe(0);
      expect(await stripe.events.retrieve(fee.id)).toMatchObject({ id: fee.id, type: 'charge.updated' });

      sim.configureWebhook({ enabled: true });
      const { body: resent } = await control<{ delivered: boolean; status: number }>(
        'POST',
        `/_simulator/events/${fee.id}/resend`,
      );
      expect(resent).toMatchObject({ delivered: true, status: 200 });
      expect(receiver.received([piId]).map((e) => e.id)).toEqual([fee.id]);
      const delivered = await stripe.events.list({
        delivery_success: true,
        type: 'charge.*',
        created: { gte: start },
        limit: 100,
      });
      expect(delivered.data.map((e) => e.id)).toContain(fee.id);
    });
  });

  describe('API conventions', () => {
    it('replays an idempotent request and refuses the same key with other parameters', async () => {
      const key = `idem-${Date.now()}`;
      const first = await stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: key });
      const second = await stripe.customers.create({ email: 'a@example.com' }, { idempotencyKey: key });
      expect(second.id).toBe(first.id);
      expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
      const mismatch = await stripe.customers
        .create({ email: 'b@example.com' }, { idempotencyKey: key })
        .catch((e: unknown) => e);
      expect(mismatch).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
      expect(mismatch).toMatchObject({ statusCode: 400, type: 'StripeIdempotencyError' });
    });

    it('answers 404 resource_missing for unknown ids and 401 without a test key', async () => {
      const missing = await stripe.checkout.sessions.retrieve('cs_test_nope').catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(missing).toMatchObject({
        statusCode: 404,
        code: 'resource_missing',
        message: "No such checkout.session: 'cs_test_nope'",
      });

      const res = await fetch(`${sim.url}/v1/charges/ch_x`);
      expect(res.status).toBe(401);
      expect((await res.json()) as unknown).toMatchObject({ error: { type: 'invalid_request_error' } });
      expect(res.headers.get('request-id')).toMatch(/^req_/);
      expect(res.headers.get('stripe-version')).toBe(Stripe.API_VERSION);
      const { hostname, port } = new URL(sim.url);
      const live = new Stripe('sk_live_nope', {
        host: hostname,
        port: Number(port),
        protocol: 'http',
        maxNetworkRetries: 0,
      });
      await expect(live.charges.retrieve('ch_x')).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    });

    it('validates parameters like Stripe: invalid integers, missing and unknown parameters', async () => {
      const post = async (body: string) => {
        const res = await fetch(`${sim.url}/v1/checkout/sessions`, {
          method: 'POST',
          headers: { authorization: 'Bearer sk_test_raw', 'content-type': 'application/x-www-form-urlencoded' },
          body,
        });
        return { status: res.status, error: ((await res.json()) as { error: Record<string, string> }).error };
      };
      const base =
        'mode=payment&line_items[0][price_data][currency]=aud&line_items[0][price_data][product_data][name]=Gift';
      expect(await post(`${base}&line_items[0][quantity]=1&line_items[0][price_data][unit_amount]=12.5`)).toMatchObject(
        {
          status: 400,
          error: {
            code: 'parameter_invalid_integer',
            param: 'line_items[0][price_data][unit_amount]',
            type: 'invalid_request_error',
          },
        },
      );
      expect(await post(`${base}&line_items[0][price_data][unit_amount]=500`)).toMatchObject({
        status: 400,
        error: { code: 'parameter_missing', param: 'line_items[0][quantity]' },
      });
      expect(
        await post(`${base}&line_items[0][quantity]=1&line_items[0][price_data][unit_amount]=500&tip=1`),
      ).toMatchObject({
        status: 400,
        error: { code: 'parameter_unknown', param: 'tip' },
      });
      expect(await post('line_items[0][quantity]=1')).toMatchObject({
        status: 400,
        error: { code: 'parameter_missing', param: 'mode' },
      });
      expect(
        await post(
          `mode=subscription&${base.slice('mode=payment&'.length)}&line_items[0][quantity]=1&line_items[0][price_data][unit_amount]=500`,
        ),
      ).toMatchObject({
        status: 400,
        error: { param: 'mode' },
      });
      const ok = await fetch(`${sim.url}/v1/checkout/sessions`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk_test_raw' },
        body: `${base}&line_items[0][quantity]=3&line_items[0][price_data][unit_amount]=500&expand[]=line_items`,
      });
      const session = (await ok.json()) as Stripe.Checkout.Session;
      expect(ok.status).toBe(200);
      expect(session.amount_total).toBe(1500);
      expect(session.line_items?.data[0]).toMatchObject({ quantity: 3, amount_total: 1500 });
    });
  });
});
