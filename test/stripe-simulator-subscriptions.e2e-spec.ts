import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Stripe from 'stripe';
import type { StripeSimulator } from '@app/stripe-simulator';
import { simulatorPerTest } from './support/simulator-per-test';
import { type WebhookReceiver } from './support/webhook-receiver';

/** Stripe's own example objects: what every returned object must at least contain. */
const FIXTURES = (
  JSON.parse(readFileSync(join(__dirname, '../libs/stripe-simulator/src/fixtures/fixtures3.json'), 'utf8')) as {
    resources: Record<string, object>;
  }
).resources;

const WEBHOOK_SECRET = 'whsec_simulator_subscriptions_e2e';
const DAY = 86_400;

/** `unixSeconds` plus n calendar months, keeping the day (clamped to the month's end) and time, UTC. */
function addMonths(unixSeconds: number, n: number): number {
  const d = new Date(unixSeconds * 1000);
  const target = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.getTime() / 1000;
}

describe('Stripe simulator: subscriptions, invoices, billing portal (real stripe SDK, signed webhooks)', () => {
  let receiver: WebhookReceiver;
  let sim: StripeSimulator;
  let stripe: Stripe;

  // A simulator per test: advancing one test's clock must not renew another test's subscriptions.
  const control = simulatorPerTest(
    { secret: WEBHOOK_SECRET, apiKey: 'sk_test_e2e_subscriptions', feeDelayMs: 100 },
    (s) => {
      ({ receiver, sim, stripe } = s);
    },
  );

  const advance = (seconds: number) => control<{ now: number }>('POST', '/_simulator/clock/advance', { seconds });
  const simNow = async () => (await control<{ now: number }>('GET', '/_simulator/clock')).body.now;

  const expectFixtureFields = (resource: string, obj: object) => {
    expect(Object.keys(obj)).toEqual(expect.arrayContaining(Object.keys(FIXTURES[resource])));
  };

  const monthlyPrice = async (amount = 1000, extra: Partial<Stripe.PriceCreateParams> = {}) => {
    const product = await stripe.products.create({ name: 'Supporter membership', metadata: { tier: 'supporter' } });
    const price = await stripe.prices.create({
      currency: 'aud',
      unit_amount: amount,
      product: product.id,
      recurring: { interval: 'month' },
      metadata: { plan: 'supporter' },
      ...extra,
    });
    return { product, price };
  };

  const createSubscriptionSession = (price: string) =>
    stripe.checkout.sessions.create({
      mode: 'subscription',
      line_items: [{ price, quantity: 1 }],
      customer_email: 'sam@example.com',
      client_reference_id: 'member_1',
      metadata: { member_id: 'm1' },
      subscription_data: { metadata: { member_id: 'm1' }, description: 'Monthly support' },
      success_url: 'https://news.example/welcome?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'https://news.example/join',
    });

  /** A paid subscription checkout: its session, subscription and customer. */
  const subscribe = async (amount = 1000) => {
    const { product, price } = await monthlyPrice(amount);
    const session = await createSubscriptionSession(price.id);
    const { status, body } = await control<Stripe.Checkout.Session>(
      'POST',
      `/_simulator/checkout/sessions/${session.id}/complete`,
      { name: 'Sam Supporter' },
    );
    expect(status).toBe(200);
    const sub = await stripe.subscriptions.retrieve(body.subscription as string);
    return { product, price, session: body, sub, customer: body.customer as string };
  };

  describe('subscription checkout', () => {
    it('creates an open subscription-mode session, then on Pay the customer, card, active subscription and paid invoice, with their events', async () => {
      const { product, price } = await monthlyPrice(1000);
      const session = await createSubscriptionSession(price.id);
      expect(session).toMatchObject({
        object: 'checkout.session',
        mode: 'subscription',
        status: 'open',
        payment_status: 'unpaid',
        amount_total: 1000,
        currency: 'aud',
        payment_intent: null,
        subscription: null,
        invoice: null,
        customer: null,
        customer_email: 'sam@example.com',
        client_reference_id: 'member_1',
        metadata: { member_id: 'm1' },
      });
      const html = await (await fetch(session.url!)).text();
      expect(html).toContain('A$10.00');
      expect(html).toContain('per month');
      expect(html).toContain('Supporter membership');
      expect(html).toMatch(/<button[^>]*>\s*Pay\s*<\/button>/);

      const res = await fetch(`${session.url}/pay`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=sam%40example.com&name=Sam+Supporter',
      });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`https://news.example/welcome?session_id=${session.id}`);

      const paid = await stripe.checkout.sessions.retrieve(session.id);
      expect(paid).toMatchObject({ status: 'complete', payment_status: 'paid', payment_intent: null, url: null });
      expect(paid.subscription).toMatch(/^sub_/);
      expect(paid.invoice).toMatch(/^in_/);
      expect(paid.customer).toMatch(/^cus_/);

      await receiver.waitForTypes([
        'customer.created',
        'payment_method.attached',
        'customer.subscription.created',
        'invoice.created',
        'invoice.finalized',
        'invoice.paid',
        'invoice.payment_succeeded',
        'invoice_payment.paid',
        'payment_intent.created',
        'payment_intent.succeeded',
        'charge.succeeded',
        'checkout.session.completed',
        'charge.updated',
      ]);
      await sim.idle();
      expect(receiver.types().filter((t) => t !== 'charge.updated')).toHaveLength(12);

      const customer = (await stripe.customers.retrieve(paid.customer as string)) as Stripe.Customer;
      expect(customer).toMatchObject({ email: 'sam@example.com', name: 'Sam Supporter' });

      const sub = await stripe.subscriptions.retrieve(paid.subscription as string, {
        expand: ['latest_invoice', 'items.data.price.product'],
      });
      expectFixtureFields('subscription', sub);
      expect(sub).toMatchObject({
        object: 'subscription',
        status: 'active',
        customer: customer.id,
        currency: 'aud',
        metadata: { member_id: 'm1' },
        description: 'Monthly support',
        cancel_at_period_end: false,
        cancel_at: null,
        canceled_at: null,
        ended_at: null,
        collection_method: 'charge_automatically',
      });
      expect(sub.billing_cycle_anchor).toBe(sub.start_date);
      const pm = await stripe.paymentMethods.retrieve(sub.default_payment_method as string);
      expect(pm).toMatchObject({ type: 'card', customer: customer.id, card: { last4: '4242' } });

      const item = sub.items.data[0];
      expectFixtureFields('subscription_item', item);
      expect(item).toMatchObject({
        object: 'subscription_item',
        quantity: 1,
        subscription: sub.id,
        price: { id: price.id, type: 'recurring' },
      });
      expect((item.price.product as Stripe.Product).name).toBe('Supporter membership');
      expect(item.current_period_start).toBe(sub.start_date);
      expect(item.current_period_end).toBe(addMonths(sub.start_date, 1));
      expect(await stripe.subscriptionItems.retrieve(item.id)).toMatchObject({
        id: item.id,
        current_period_end: item.current_period_end,
      });

      const invoice = sub.latest_invoice as Stripe.Invoice;
      expectFixtureFields('invoice', invoice);
      expect(invoice).toMatchObject({
        id: paid.invoice,
        object: 'invoice',
        billing_reason: 'subscription_create',
        status: 'paid',
        amount_due: 1000,
        amount_paid: 1000,
        amount_remaining: 0,
        currency: 'aud',
        customer: customer.id,
        customer_email: 'sam@example.com',
        attempt_count: 1,
        parent: {
          type: 'subscription_details',
          subscription_details: { subscription: sub.id, metadata: { member_id: 'm1' } },
        },
      });
      expect((invoice as unknown as Record<string, unknown>).subscription ?? null).toBeNull();
      for (const gone of ['charge', 'payment_intent', 'paid']) expect(invoice).not.toHaveProperty(gone);
      expect(invoice.number).toMatch(new RegExp(`^${customer.invoice_prefix}-0001$`));
      expect(invoice.status_transitions.paid_at).toEqual(expect.any(Number));
      expect(invoice.lines.data).toHaveLength(1);
      expect(invoice.lines.data[0]).toMatchObject({
        object: 'line_item',
        amount: 1000,
        period: { start: item.current_period_start, end: item.current_period_end },
        pricing: { type: 'price_details', price_details: { price: price.id, product: product.id } },
        parent: {
          type: 'subscription_item_details',
          subscription_item_details: { subscription: sub.id, subscription_item: item.id, proration: false },
        },
      });

      // Its payment: an invoice_payment pointing at the payment intent, whose charge carries the customer.
      const withPayments = await stripe.invoices.retrieve(invoice.id, { expand: ['payments'] });
      expect(withPayments.payments!.data).toHaveLength(1);
      const payment = withPayments.payments!.data[0];
      expectFixtureFields('invoice_payment', payment);
      expect(payment).toMatchObject({
        object: 'invoice_payment',
        invoice: invoice.id,
        status: 'paid',
        amount_paid: 1000,
        payment: { type: 'payment_intent' },
      });
      const listed = await stripe.invoicePayments.list({ invoice: invoice.id });
      expect(listed.data.map((p) => p.id)).toEqual([payment.id]);
      const pi = await stripe.paymentIntents.retrieve(payment.payment.payment_intent as string, {
        expand: ['latest_charge.balance_transaction'],
      });
      expect(pi).toMatchObject({
        status: 'succeeded',
        amount: 1000,
        customer: customer.id,
        description: 'Subscription creation',
      });
      const charge = pi.latest_charge as Stripe.Charge;
      expect(charge).toMatchObject({ status: 'succeeded', customer: customer.id, amount: 1000 });
      expect(charge.balance_transaction).toMatchObject({ amount: 1000, fee: 47, net: 953 });

      // Event snapshots: the invoice as draft, open, paid; the fee late.
      const snapshot = (type: string) => receiver.events(type)[0].data.object as unknown as Record<string, unknown>;
      expect(snapshot('invoice.created')).toMatchObject({ status: 'draft', number: null });
      expect(snapshot('invoice.finalized')).toMatchObject({ status: 'open', number: invoice.number });
      expect(snapshot('invoice.paid')).toMatchObject({
        status: 'paid',
        parent: { subscription_details: { subscription: sub.id } },
      });
      expect(snapshot('customer.subscription.created')).toMatchObject({
        id: sub.id,
        status: 'active',
        latest_invoice: invoice.id,
      });
      expect(snapshot('charge.succeeded')).toMatchObject({ balance_transaction: null, customer: customer.id });
      expect(snapshot('checkout.session.completed')).toMatchObject({
        id: session.id,
        subscription: sub.id,
        invoice: invoice.id,
        customer: customer.id,
        payment_intent: null,
      });
      expect(snapshot('payment_method.attached')).toMatchObject({ id: pm.id, customer: customer.id });
      expect(receiver.events('charge.updated')[0].data.previous_attributes).toEqual({ balance_transaction: null });

      expect((await stripe.subscriptions.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([sub.id]);
      expect((await stripe.subscriptions.list({ customer: customer.id, status: 'active' })).data).toHaveLength(1);
      expect((await stripe.invoices.list({ subscription: sub.id })).data.map((i) => i.id)).toEqual([invoice.id]);
      expect((await stripe.invoices.list({ customer: customer.id, status: 'paid' })).data).toHaveLength(1);
      expect((await fetch(invoice.hosted_invoice_url!)).status).toBe(200);
    });

    it('subscribes an existing customer with an inline recurring price_data; a declined attempt creates nothing', async () => {
      const customer = await stripe.customers.create({ email: 'kim@example.com', name: 'Kim' });
      const session = await stripe.checkout.sessions.create({
        mode: 'subscription',
        customer: customer.id,
        line_items: [
          {
            quantity: 1,
            price_data: {
              currency: 'aud',
              unit_amount: 500,
              recurring: { interval: 'month' },
              product_data: { name: 'Friend' },
            },
          },
        ],
        success_url: 'https://news.example/ok',
      });
      expect(session).toMatchObject({ customer: customer.id, amount_total: 500, subscription: null });

      const declined = await fetch(`${session.url}/decline`, { method: 'POST', redirect: 'manual' });
      expect(declined.status).toBe(303);
      expect(await (await fetch(session.url!)).text()).toContain('Your card was declined');
      await sim.idle();
      expect(receiver.types().filter((t) => t !== 'customer.created')).toEqual([]);
      expect((await stripe.subscriptions.list({ customer: customer.id })).data).toEqual([]);

      const { body } = await control<Stripe.Checkout.Session>(
        'POST',
        `/_simulator/checkout/sessions/${session.id}/complete`,
      );
      expect(body).toMatchObject({ status: 'complete', customer: customer.id });
      const sub = await stripe.subscriptions.retrieve(body.subscription as string);
      expect(sub.items.data[0].price).toMatchObject({
        unit_amount: 500,
        type: 'recurring',
        recurring: { interval: 'month', interval_count: 1 },
      });
      await sim.idle();
      expect(receiver.events('customer.created')).toHaveLength(1); // the one stripe.customers.create made
    });

    it('an inline price_data on a product with its own id: retrievable, inactive, never listed; the subscription renews at its amount', async () => {
      const product = await stripe.products.create({ id: 'monthly_gift', name: 'Monthly gift' });
      expect(product.id).toBe('monthly_gift');
      await expect(stripe.products.create({ id: 'monthly_gift', name: 'Again' })).rejects.toMatchObject({
        statusCode: 400,
        code: 'resource_already_exists',
        param: 'id',
      });
      const session = await stripe.checkout.sessions.create({
        mode: 'subscription',
        customer_email: 'gift@example.com',
        line_items: [
          {
            quantity: 1,
            price_data: { currency: 'aud', unit_amount: 777, recurring: { interval: 'month' }, product: product.id },
          },
        ],
        success_url: 'https://news.example/ok',
      });
      const { body } = await control<Stripe.Checkout.Session>(
        'POST',
        `/_simulator/checkout/sessions/${session.id}/complete`,
      );
      const sub = await stripe.subscriptions.retrieve(body.subscription as string);
      const inline = sub.items.data[0].price;
      expect(inline).toMatchObject({
        active: false,
        product: 'monthly_gift',
        unit_amount: 777,
        recurring: { interval: 'month' },
      });
      expect(await stripe.prices.retrieve(inline.id)).toMatchObject({ id: inline.id, active: false });
      const listed = [
        ...(await stripe.prices.list({ limit: 100 })).data,
        ...(await stripe.prices.list({ limit: 100, active: false })).data,
        ...(await stripe.prices.list({ product: 'monthly_gift' })).data,
      ];
      expect(listed.map((p) => p.id)).not.toContain(inline.id);
      await advance(32 * DAY);
      await sim.idle();
      const invoices = (await stripe.invoices.list({ subscription: sub.id })).data;
      expect(invoices.map((i) => [i.billing_reason, i.amount_paid])).toEqual([
        ['subscription_cycle', 777],
        ['subscription_create', 777],
      ]);
    });

    it('validates modes and their parameters', async () => {
      const { price: monthly } = await monthlyPrice(1000);
      const oneTime = await stripe.prices.create({
        currency: 'aud',
        unit_amount: 1000,
        product_data: { name: 'Gift' },
      });
      await expect(
        stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: oneTime.id, quantity: 1 }] }),
      ).rejects.toMatchObject({
        type: 'StripeInvalidRequestError',
        statusCode: 400,
        param: 'mode',
      });
      await expect(
        stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: monthly.id, quantity: 1 }] }),
      ).rejects.toMatchObject({
        param: 'line_items[0][price]',
      });
      await expect(
        stripe.checkout.sessions.create({
          mode: 'subscription',
          line_items: [{ price: monthly.id, quantity: 1 }],
          payment_intent_data: { metadata: { a: 'b' } },
        }),
      ).rejects.toMatchObject({ param: 'payment_intent_data' });
      await expect(
        stripe.checkout.sessions.create({
          mode: 'payment',
          line_items: [{ price: oneTime.id, quantity: 1 }],
          subscription_data: { metadata: { a: 'b' } },
        }),
      ).rejects.toMatchObject({ param: 'subscription_data' });
    });
  });

  describe('renewals on the simulated clock', () => {
    it('advancing about three months renews three times, each paid invoice for the next period, stamped at its own date', async () => {
      const { sub, customer } = await subscribe(1000);
      const start = sub.start_date;
      await sim.idle();
      receiver.reset();

      const { body: clock } = await advance(93 * DAY);
      expect(clock.now).toBeGreaterThanOrEqual(start + 93 * DAY);

      const invoices = (await stripe.invoices.list({ subscription: sub.id, limit: 100 })).data.reverse();
      expect(invoices.map((i) => i.billing_reason)).toEqual([
        'subscription_create',
        'subscription_cycle',
        'subscription_cycle',
        'subscription_cycle',
      ]);
      expect(invoices.every((i) => i.status === 'paid' && i.amount_paid === 1000 && i.customer === customer)).toBe(
        true,
      );
      const cycles = invoices.slice(1);
      cycles.forEach((inv, i) => {
        const periodStart = addMonths(start, i + 1);
        expect(inv.created).toBe(periodStart);
        expect(inv.lines.data[0].period).toEqual({ start: periodStart, end: addMonths(start, i + 2) });
        // Stripe's quirk: the invoice's own period is the one that just ended.
        expect({ start: inv.period_start, end: inv.period_end }).toEqual({
          start: addMonths(start, i),
          end: periodStart,
        });
        expect(inv.parent?.subscription_details?.subscription).toBe(sub.id);
        expect(inv.number).toMatch(new RegExp(`-000${i + 2}$`));
      });

      const renewed = await stripe.subscriptions.retrieve(sub.id);
      expect(renewed).toMatchObject({ status: 'active', latest_invoice: cycles[2].id });
      expect(renewed.items.data[0]).toMatchObject({
        current_period_start: addMonths(start, 3),
        current_period_end: addMonths(start, 4),
      });

      await sim.idle();
      const updates = receiver.events('customer.subscription.updated').sort((a, b) => a.created - b.created);
      expect(updates).toHaveLength(3);
      updates.forEach((e, i) => {
        expect(e.created).toBe(addMonths(start, i + 1));
        const previous = e.data.previous_attributes as { items: Stripe.ApiList<Stripe.SubscriptionItem> };
        expect(previous.items.data[0]).toMatchObject({
          current_period_start: addMonths(start, i),
          current_period_end: addMonths(start, i + 1),
        });
        expect((e.data.object as Stripe.Subscription).items.data[0].current_period_end).toBe(addMonths(start, i + 2));
      });
      for (const type of [
        'invoice.created',
        'invoice.finalized',
        'invoice.paid',
        'invoice.payment_succeeded',
        'invoice_payment.paid',
        'payment_intent.succeeded',
        'charge.succeeded',
        'charge.updated',
      ]) {
        expect([type, receiver.events(type).length]).toEqual([type, 3]);
      }
      expect(
        receiver
          .events('invoice.created')
          .every((e) => (e.data.object as Stripe.Invoice).billing_reason === 'subscription_cycle'),
      ).toBe(true);
      const renewalPi = await stripe.paymentIntents.retrieve(
        (await stripe.invoicePayments.list({ invoice: cycles[0].id })).data[0].payment.payment_intent as string,
      );
      expect(renewalPi).toMatchObject({ customer, status: 'succeeded', payment_method: sub.default_payment_method });
    });

    it('a failing card: payment_failed and past_due; paying the open invoice once the card works makes it active again', async () => {
      const { sub, customer } = await subscribe(1000);
      await sim.idle();
      receiver.reset();
      const { status, body } = await control<{ fail: boolean; payment_methods: string[] }>(
        'POST',
        `/_simulator/customers/${customer}/card`,
        { fail: true },
      );
      expect(status).toBe(200);
      expect(body.payment_methods).toEqual([sub.default_payment_method]);

      const renew = await control<{ subscription: Stripe.Subscription }>(
        'POST',
        `/_simulator/subscriptions/${sub.id}/renew`,
      );
      expect(renew.status).toBe(200);
      expect(renew.body.subscription.status).toBe('past_due');
      const invoice = await stripe.invoices.retrieve(renew.body.subscription.latest_invoice as string);
      expect(invoice).toMatchObject({
        status: 'open',
        billing_reason: 'subscription_cycle',
        attempt_count: 1,
        attempted: true,
        amount_paid: 0,
        amount_remaining: 1000,
      });
      expect(invoice.next_payment_attempt).toBe(invoice.created + 3 * DAY);
      // A past_due subscription's period moved on all the same.
      expect(renew.body.subscription.items.data[0].current_period_start).toBe(sub.items.data[0].current_period_end);

      await receiver.waitForTypes(
        ['charge.failed', 'payment_intent.payment_failed', 'invoice.payment_failed', 'customer.subscription.updated'],
        1,
      );
      await sim.idle();
      const statusChanges = () =>
        receiver
          .events('customer.subscription.updated')
          .filter((e) => e.data.previous_attributes && 'status' in e.data.previous_attributes);
      expect(
        statusChanges().map((e) => [e.data.previous_attributes, (e.data.object as Stripe.Subscription).status]),
      ).toEqual([[{ status: 'active' }, 'past_due']]);
      expect(receiver.events('invoice.paid')).toEqual([]);

      // Paying while the card still fails: 402 card_declined, another failed attempt.
      const declined = await stripe.invoices.pay(invoice.id).catch((e: unknown) => e);
      expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
      expect(declined).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
      expect((await stripe.invoices.retrieve(invoice.id)).attempt_count).toBe(2);

      await control('POST', `/_simulator/customers/${customer}/card`, { fail: false });
      const paid = await stripe.invoices.pay(invoice.id);
      expect(paid).toMatchObject({
        status: 'paid',
        amount_paid: 1000,
        amount_remaining: 0,
        next_payment_attempt: null,
      });
      expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
      await receiver.waitForTypes(['invoice.paid', 'invoice.payment_succeeded']);
      await sim.idle();
      expect(
        statusChanges().map((e) => [e.data.previous_attributes, (e.data.object as Stripe.Subscription).status]),
      ).toEqual([
        [{ status: 'active' }, 'past_due'],
        [{ status: 'past_due' }, 'active'],
      ]);
      await expect(stripe.invoices.pay(invoice.id)).rejects.toMatchObject({ statusCode: 400 });

      // The retry that was due is stale now: nothing more is charged for that invoice.
      const failures = receiver.events('invoice.payment_failed').length;
      await advance(4 * DAY);
      await sim.idle();
      expect(receiver.events('invoice.payment_failed')).toHaveLength(failures);
      const payments = await stripe.invoicePayments.list({ invoice: invoice.id });
      expect(payments.data.map((p) => p.status)).toEqual(['paid']);
    });

    it('retries every 3 days; after the fourth failed attempt the subscription is canceled', async () => {
      const { sub, customer } = await subscribe(1000);
      await control('POST', `/_simulator/customers/${customer}/card`, { fail: true });
      const { body } = await control<{ subscription: Stripe.Subscription }>(
        'POST',
        `/_simulator/subscriptions/${sub.id}/renew`,
      );
      const invoiceId = body.subscription.latest_invoice as string;
      const firstAttempt = (await stripe.invoices.retrieve(invoiceId)).created;

      await advance(6 * DAY + 60);
      expect(await stripe.invoices.retrieve(invoiceId)).toMatchObject({
        status: 'open',
        attempt_count: 3,
        next_payment_attempt: firstAttempt + 9 * DAY,
      });
      expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('past_due');

      await advance(3 * DAY);
      const invoice = await stripe.invoices.retrieve(invoiceId);
      expect(invoice).toMatchObject({ status: 'open', attempt_count: 4, next_payment_attempt: null });
      const ended = await stripe.subscriptions.retrieve(sub.id);
      expect(ended).toMatchObject({
        status: 'canceled',
        ended_at: firstAttempt + 9 * DAY,
        cancellation_details: { reason: 'payment_failed' },
      });

      await sim.idle();
      const failed = receiver
        .events('invoice.payment_failed')
        .filter((e) => (e.data.object as Stripe.Invoice).id === invoiceId);
      expect(failed.map((e) => e.created).sort()).toEqual([0, 3, 6, 9].map((d) => firstAttempt + d * DAY));
      expect(receiver.events('charge.failed')).toHaveLength(4);
      expect(
        receiver.events('customer.subscription.deleted').map((e) => (e.data.object as Stripe.Subscription).id),
      ).toEqual([sub.id]);
      // Ended: no more renewals.
      await advance(40 * DAY);
      expect((await stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(2);
    });
  });

  describe('cancellation and changes', () => {
    it('cancel_at_period_end: still active until the period ends, then deleted (no renewal invoice)', async () => {
      const { sub } = await subscribe(1000);
      const periodEnd = sub.items.data[0].current_period_end;
      await sim.idle();
      receiver.reset();

      const updated = await stripe.subscriptions.update(sub.id, {
        cancel_at_period_end: true,
        metadata: { reason: 'moving' },
      });
      expect(updated).toMatchObject({
        status: 'active',
        cancel_at_period_end: true,
        cancel_at: periodEnd,
        metadata: { member_id: 'm1', reason: 'moving' },
      });
      expect(updated.canceled_at).toEqual(expect.any(Number));
      await receiver.waitForTypes(['customer.subscription.updated']);
      expect(receiver.events('customer.subscription.updated')[0].data.previous_attributes).toMatchObject({
        cancel_at_period_end: false,
        cancel_at: null,
        metadata: { member_id: 'm1' },
      });

      const now = await simNow();
      await advance(periodEnd - now - 60);
      expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
      await advance(120);
      const ended = await stripe.subscriptions.retrieve(sub.id);
      expect(ended).toMatchObject({
        status: 'canceled',
        ended_at: periodEnd,
        cancellation_details: { reason: 'cancellation_requested' },
      });
      await receiver.waitForTypes(['customer.subscription.deleted']);
      expect(receiver.events('customer.subscription.deleted')[0].created).toBe(periodEnd);
      expect((await stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1);
      expect((await stripe.subscriptions.list({ customer: sub.customer as string })).data).toEqual([]);
      expect(
        (await stripe.subscriptions.list({ customer: sub.customer as string, status: 'canceled' })).data.map(
          (s) => s.id,
        ),
      ).toEqual([sub.id]);
    });

    it('cancel (DELETE) ends it at once; a canceled subscription does not renew and only takes metadata', async () => {
      const { sub } = await subscribe(1000);
      const canceled = await stripe.subscriptions.cancel(sub.id);
      const now = await simNow();
      expect(canceled).toMatchObject({ status: 'canceled', cancel_at_period_end: false });
      expect(Math.abs(canceled.ended_at! - now)).toBeLessThanOrEqual(1);
      expect(canceled.canceled_at).toBe(canceled.ended_at);
      await receiver.waitForTypes(['customer.subscription.deleted']);
      await expect(stripe.subscriptions.update(sub.id, { cancel_at_period_end: true })).rejects.toMatchObject({
        statusCode: 400,
      });
      expect(await stripe.subscriptions.update(sub.id, { metadata: { note: 'x' } })).toMatchObject({
        metadata: { member_id: 'm1', note: 'x' },
      });
      await expect(stripe.subscriptions.cancel(sub.id)).rejects.toMatchObject({ statusCode: 400 });
      await advance(62 * DAY);
      expect((await stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1);
      expect((await stripe.subscriptions.list({ status: 'all' })).data.map((s) => s.id)).toEqual([sub.id]);
    });

    it('deleting a customer (DELETE /v1/customers/:id) answers the deleted stub, ends its subscriptions and sends customer.deleted', async () => {
      const { sub, customer, price } = await subscribe(1000);
      receiver.reset();
      const deleted = await stripe.customers.del(customer);
      expect(deleted).toEqual({ id: customer, object: 'customer', deleted: true });
      // A later retrieve answers the deleted stub, as Stripe does; updates and a second delete: no such customer.
      expect(await stripe.customers.retrieve(customer)).toEqual({ id: customer, object: 'customer', deleted: true });
      await expect(stripe.customers.update(customer, { name: 'x' })).rejects.toMatchObject({
        statusCode: 404,
        code: 'resource_missing',
      });
      await expect(stripe.customers.del(customer)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
      expect((await stripe.customers.list({ email: 'sam@example.com' })).data).toEqual([]);
      await expect(
        stripe.checkout.sessions.create({
          mode: 'subscription',
          customer,
          line_items: [{ price: price.id, quantity: 1 }],
          success_url: 'https://news.example/welcome',
        }),
      ).rejects.toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'customer' });
      expect(await stripe.subscriptions.retrieve(sub.id)).toMatchObject({ status: 'canceled' });
      await receiver.waitForTypes(['customer.subscription.deleted', 'customer.deleted']);
      const [event] = receiver.events('customer.deleted');
      expect(event.data.object).toMatchObject({ id: customer, object: 'customer', email: 'sam@example.com' });
      await advance(62 * DAY);
      expect((await stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1);
    });

    it('changes the price: none bills nothing now, the next renewal bills the new price; always_invoice bills the difference', async () => {
      const { sub, product } = await subscribe(1000);
      const itemId = sub.items.data[0].id;
      const bigger = await stripe.prices.create({
        currency: 'aud',
        unit_amount: 2000,
        product: product.id,
        recurring: { interval: 'month' },
      });
      await sim.idle();
      receiver.reset();

      const changed = await stripe.subscriptions.update(sub.id, {
        items: [{ id: itemId, price: bigger.id }],
        proration_behavior: 'none',
      });
      expect(changed.items.data).toHaveLength(1);
      expect(changed.items.data[0]).toMatchObject({
        id: itemId,
        price: { id: bigger.id, unit_amount: 2000 },
        plan: { id: bigger.id, amount: 2000 },
      });
      await receiver.waitForTypes(['customer.subscription.updated']);
      const previous = receiver.events('customer.subscription.updated')[0].data.previous_attributes as {
        items: Stripe.ApiList<Stripe.SubscriptionItem>;
      };
      expect(previous.items.data[0].price.id).toBe(sub.items.data[0].price.id);
      expect((await stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1);

      await control('POST', `/_simulator/subscriptions/${sub.id}/renew`);
      const renewal = (await stripe.invoices.list({ subscription: sub.id, limit: 1 })).data[0];
      expect(renewal).toMatchObject({ billing_reason: 'subscription_cycle', amount_paid: 2000, status: 'paid' });

      const biggest = await stripe.prices.create({
        currency: 'aud',
        unit_amount: 3000,
        product: product.id,
        recurring: { interval: 'month' },
      });
      await advance(10 * DAY);
      await sim.idle();
      receiver.reset();
      const upgraded = await stripe.subscriptions.update(sub.id, {
        items: [{ id: itemId, price: biggest.id }],
        proration_behavior: 'always_invoice',
      });
      await receiver.waitForTypes(['customer.subscription.updated', 'invoice.paid']);
      expect(Object.keys(receiver.events('customer.subscription.updated')[0].data.previous_attributes!).sort()).toEqual(
        ['items', 'latest_invoice'],
      );
      const proration = await stripe.invoices.retrieve(upgraded.latest_invoice as string);
      expect(proration).toMatchObject({ billing_reason: 'subscription_update', status: 'paid' });
      expect(proration.amount_paid).toBeGreaterThan(0);
      expect(proration.amount_paid).toBeLessThan(1000);
      expect(
        proration.lines.data.map((l) => [Math.sign(l.amount), l.parent?.subscription_item_details?.proration]),
      ).toEqual([
        [-1, true],
        [1, true],
      ]);

      const oneTime = await stripe.prices.create({ currency: 'aud', unit_amount: 500, product: product.id });
      await expect(
        stripe.subscriptions.update(sub.id, { items: [{ id: itemId, price: oneTime.id }] }),
      ).rejects.toMatchObject({ param: 'items[0][price]' });
    });
  });

  describe('billing portal', () => {
    it('renders the customer’s subscriptions; Cancel sets cancel_at_period_end; Update card pays the open invoice', async () => {
      const { sub, customer } = await subscribe(1500);
      const portal = await stripe.billingPortal.sessions.create({
        customer,
        return_url: 'https://news.example/account',
      });
      expect(portal).toMatchObject({
        object: 'billing_portal.session',
        customer,
        return_url: 'https://news.example/account',
        livemode: false,
      });
      expect(portal.url).toBe(`${sim.url}/billing-portal/${portal.id}`);
      expectFixtureFields('billing_portal.session', portal);
      await receiver.waitForTypes(['billing_portal.session.created']);

      let html = await (await fetch(portal.url)).text();
      expect(html).toContain('Supporter membership');
      expect(html).toContain('A$15.00');
      expect(html).toContain('active');
      expect(html).toContain('Renews on');
      expect(html).toContain('href="https://news.example/account"');
      expect(html).toContain(`action="${portal.url}/subscriptions/${sub.id}/cancel"`);
      expect(html).toMatch(/>\s*Update card\s*</);

      const cancel = await fetch(`${portal.url}/subscriptions/${sub.id}/cancel`, {
        method: 'POST',
        redirect: 'manual',
      });
      expect(cancel.status).toBe(303);
      expect(cancel.headers.get('location')).toContain(portal.url);
      expect(await stripe.subscriptions.retrieve(sub.id)).toMatchObject({
        status: 'active',
        cancel_at_period_end: true,
      });
      await receiver.waitForTypes(['customer.subscription.updated']);
      html = await (await fetch(portal.url)).text();
      expect(html).toContain('Cancels on');
      expect(html).toMatch(/>\s*Don't cancel\s*</);

      // Take the cancellation back, then let the card fail at renewal and fix it in the portal.
      await fetch(`${portal.url}/subscriptions/${sub.id}/renew`, { method: 'POST', redirect: 'manual' });
      expect((await stripe.subscriptions.retrieve(sub.id)).cancel_at_period_end).toBe(false);
      await control('POST', `/_simulator/customers/${customer}/card`, { fail: true });
      await control('POST', `/_simulator/subscriptions/${sub.id}/renew`);
      const pastDue = await stripe.subscriptions.retrieve(sub.id);
      expect(pastDue.status).toBe('past_due');
      expect(await (await fetch(portal.url)).text()).toContain('past_due');

      await sim.idle();
      receiver.reset();
      const update = await fetch(`${portal.url}/card`, { method: 'POST', redirect: 'manual' });
      expect(update.status).toBe(303);
      const active = await stripe.subscriptions.retrieve(sub.id);
      expect(active.status).toBe('active');
      expect(active.default_payment_method).not.toBe(sub.default_payment_method);
      expect(await stripe.invoices.retrieve(pastDue.latest_invoice as string)).toMatchObject({
        status: 'paid',
        amount_paid: 1500,
      });
      const updatedCustomer = (await stripe.customers.retrieve(customer)) as Stripe.Customer;
      expect(updatedCustomer.invoice_settings.default_payment_method).toBe(active.default_payment_method);
      await receiver.waitForTypes([
        'payment_method.attached',
        'customer.updated',
        'invoice.paid',
        'invoice.payment_succeeded',
        'customer.subscription.updated',
      ]);
      // The next renewal charges the new card.
      await control('POST', `/_simulator/subscriptions/${sub.id}/renew`);
      expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe('active');
    });
  });

  describe('catalog', () => {
    it('lists prices by lookup key, deactivates them, and moves a lookup key only with transfer_lookup_key', async () => {
      const product = await stripe.products.create({ name: 'Memberships', metadata: { kind: 'membership' } });
      expect(await stripe.products.retrieve(product.id)).toMatchObject({
        name: 'Memberships',
        metadata: { kind: 'membership' },
      });
      const monthly = await stripe.prices.create({
        currency: 'aud',
        unit_amount: 1000,
        product: product.id,
        recurring: { interval: 'month' },
        lookup_key: 'member_monthly',
      });
      const yearly = await stripe.prices.create({
        currency: 'aud',
        unit_amount: 10000,
        product: product.id,
        recurring: { interval: 'year' },
        lookup_key: 'member_yearly',
      });
      const pack = await stripe.prices.create({
        currency: 'aud',
        unit_amount: 5000,
        product: product.id,
        lookup_key: 'prepaid_pack',
        metadata: { credits: '10' },
      });
      expect(monthly).toMatchObject({
        type: 'recurring',
        recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
        lookup_key: 'member_monthly',
      });
      expect(pack).toMatchObject({ type: 'one_time', recurring: null, metadata: { credits: '10' } });
      expectFixtureFields('price', monthly);

      const found = await stripe.prices.list({ lookup_keys: ['member_monthly', 'prepaid_pack'], active: true });
      expect(found.data.map((p) => p.id).sort()).toEqual([monthly.id, pack.id].sort());
      expect((await stripe.prices.list({ type: 'recurring', product: product.id })).data.map((p) => p.id)).toEqual([
        yearly.id,
        monthly.id,
      ]);

      expect(await stripe.prices.update(monthly.id, { active: false })).toMatchObject({ active: false });
      expect((await stripe.prices.list({ lookup_keys: ['member_monthly'], active: true })).data).toEqual([]);
      expect((await stripe.prices.retrieve(monthly.id)).active).toBe(false);

      await expect(
        stripe.prices.create({
          currency: 'aud',
          unit_amount: 1200,
          product: product.id,
          recurring: { interval: 'month' },
          lookup_key: 'member_monthly',
        }),
      ).rejects.toMatchObject({
        statusCode: 400,
        param: 'lookup_key',
      });
      const replacement = await stripe.prices.create({
        currency: 'aud',
        unit_amount: 1200,
        product: product.id,
        recurring: { interval: 'month' },
        lookup_key: 'member_monthly',
        transfer_lookup_key: true,
      });
      expect((await stripe.prices.list({ lookup_keys: ['member_monthly'] })).data.map((p) => p.id)).toEqual([
        replacement.id,
      ]);
      expect((await stripe.prices.retrieve(monthly.id)).lookup_key).toBeNull();
    });

    it('sells a prepaid one-time price in payment mode, carrying payment_intent_data.metadata', async () => {
      const product = await stripe.products.create({ name: 'Prepaid year' });
      const price = await stripe.prices.create({
        currency: 'aud',
        unit_amount: 12000,
        product: product.id,
        metadata: { months: '12' },
      });
      const session = await stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [{ price: price.id, quantity: 1 }],
        customer_email: 'pat@example.com',
        metadata: { purchase: 'prepaid' },
        payment_intent_data: { metadata: { purchase_id: 'pp_1' } },
        success_url: 'https://news.example/thanks',
      });
      expect(session).toMatchObject({ mode: 'payment', amount_total: 12000, subscription: null });
      const { body } = await control<Stripe.Checkout.Session>(
        'POST',
        `/_simulator/checkout/sessions/${session.id}/complete`,
      );
      expect(body).toMatchObject({ status: 'complete', payment_status: 'paid', subscription: null, invoice: null });
      const pi = await stripe.paymentIntents.retrieve(body.payment_intent as string);
      expect(pi).toMatchObject({ amount: 12000, metadata: { purchase_id: 'pp_1' }, status: 'succeeded' });
      const items = await stripe.checkout.sessions.listLineItems(session.id);
      expect(items.data[0].price).toMatchObject({ id: price.id, type: 'one_time' });
      await receiver.waitForTypes(['checkout.session.completed', 'charge.updated']);
    });
  });

  it('lists the new controls', async () => {
    const { body } = await control<{ routes: string[] }>('GET', '/_simulator');
    expect(body.routes.join('\n')).toContain('/_simulator/customers/:id/card');
    expect(body.routes.join('\n')).toContain('/_simulator/subscriptions/:id/renew');
  });
});
