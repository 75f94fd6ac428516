import { cardProcessingFee } from '@app/stripe-simulator';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { lookupKeyFor } from '@app/stripe';
import type { LedgerRow, SubscriptionRow } from './support/rows';
import { signedIn } from './support/staff';
import { eventuallyEqual, simControl, startTestApp, type TestContext, waitFor } from './support/test-app';
import { followEmailedLink } from './support/emailed-link';

const DAY = 86400;
const API_KEY = 'paywall_test_key_0123456789';
const address = { line1: '1 Example St', city: 'Sydney', state: 'NSW', postalCode: '2000', country: 'AU' };

describe('recurring money: subscriptions, monthly donations, prepaid periods, entitlements', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp({ ENTITLEMENTS_API_KEYS: API_KEY });
  });
  afterAll(async () => {
    await t?.close();
  });

  const simNow = async () => (await simControl<{ now: number }>(t.sim, 'GET', '/_simulator/clock')).now;
  const advance = async (seconds: number) => {
    await simControl(t.sim, 'POST', '/_simulator/clock/advance', { seconds });
    await t.sim.idle();
  };
  const sessionOf = async (checkoutId: string) =>
    (
      await t.query<{ stripe_session_id: string }>(`SELECT stripe_session_id FROM checkouts WHERE id = $1`, [
        checkoutId,
      ])
    )[0].stripe_session_id;
  const subOf = async (checkoutId: string) =>
    (await t.query<SubscriptionRow>(`SELECT * FROM subscriptions WHERE checkout_id = $1`, [checkoutId]))[0];
  const ledgerOf = (checkoutId: string) =>
    t.query<LedgerRow>(
      `SELECT * FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment' ORDER BY occurred_at, id`,
      [checkoutId],
    );
  const entitlements = async (email: string, at?: Date) =>
    (
      await t.http
        .post('/api/entitlements')
        .send({ email, ...(at ? { at: at.toISOString() } : {}) })
        .set('x-api-key', API_KEY)
        .expect(200)
    ).body;

  async function subscribe(body: Record<string, unknown>) {
    const res = await t.http.post('/api/subscriptions').send(body).expect(201);
    return res.body as { id: string; checkoutUrl: string; outcome: string; replaces?: string };
  }

  async function pay(checkoutId: string) {
    await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${await sessionOf(checkoutId)}/complete`);
    await t.sim.idle();
  }

  it('lists the tiers with their prices and prepaid options', async () => {
    const tiers = (await t.http.get('/api/tiers').expect(200)).body;
    expect(tiers).toEqual([
      expect.objectContaining({
        code: 'digital',
        monthlyAmount: 500,
        currency: 'AUD',
        prepaidOptions: [{ months: 12, amount: 6000 }],
        requiresDeliveryAddress: false,
      }),
      expect.objectContaining({
        code: 'print',
        monthlyAmount: 1000,
        currency: 'AUD',
        prepaidOptions: [{ months: 12, amount: 12000 }],
        requiresDeliveryAddress: true,
        includes: ['print', 'digital'],
      }),
    ]);
  });

  it('print monthly: paid, renewed three times, cancelled at period end, access until then and none after', async () => {
    const email = 'print.reader@example.com';
    const { id } = await subscribe({
      tier: 'print',
      billing: 'monthly',
      email,
      name: 'Print Reader',
      deliveryAddress: address,
    });
    await pay(id);
    const sub = await waitFor(
      async () => (await subOf(id))?.status === 'active' && subOf(id),
      10000,
      'active subscription',
    );
    expect(sub).toMatchObject({
      kind: 'subscription',
      billing: 'monthly',
      tier_code: 'print',
      amount: '1000',
      delivery_address: address,
    });
    expect(await entitlements(email)).toMatchObject({ digital: true, print: true });
    await waitFor(async () => (await ledgerOf(id)).length === 1, 10000, 'first invoice in the ledger');

    for (let month = 0; month < 3; month++) await advance(31 * DAY);
    const rows = await waitFor(
      async () => ((await ledgerOf(id)).length === 4 ? ledgerOf(id) : null),
      10000,
      'three renewals',
    );
    expect(rows.map((r) => [r.type, Number(r.gross)])).toEqual(Array(4).fill(['subscription', 1000]));
    expect(new Set(rows.map((r) => r.stripe_invoice_id)).size).toBe(4);
    expect(await entitlements(email)).toMatchObject({ digital: true, print: true });

    // The reader cancels on the customer portal, reached through the emailed link.
    await t.http.post('/api/self-service/links').send({ email }).expect(202);
    const [mail] = await t.query<{ body: string }>(
      `SELECT body FROM emails WHERE to_address = $1 AND kind = 'self_service_link' ORDER BY created_at DESC LIMIT 1`,
      [email],
    );
    const link = new URL(mail.body.match(/https?:\/\/\S+/)![0]);
    const { post: portal } = await followEmailedLink(t.baseUrl, `${link.pathname}${link.search}`);
    expect(portal.status).toBe(303);
    const portalUrl = portal.headers.get('location')!;
    expect(portalUrl.startsWith(t.sim.url)).toBe(true);
    const stripeSub = (await subOf(id)).stripe_subscription_id!;
    await t.stripe.subscriptions.update(stripeSub, { cancel_at_period_end: true });
    await t.sim.idle();
    const cancelling = await waitFor(
      async () => ((await subOf(id)).cancel_at_period_end ? subOf(id) : null),
      10000,
      'cancel at period end',
    );
    expect(cancelling.status).toBe('active');
    const access = await entitlements(email);
    expect(access.print).toBe(true);
    expect(new Date(access.entitlements[0].until).getTime()).toBeGreaterThanOrEqual(
      cancelling.current_period_end!.getTime(),
    );

    await advance(32 * DAY);
    await waitFor(async () => (await subOf(id)).status === 'canceled', 10000, 'subscription ended');
    expect(await entitlements(email)).toMatchObject({ digital: false, print: false, entitlements: [] });
    expect(await ledgerOf(id)).toHaveLength(4);
  });

  it('a monthly donation of 7.50 renews twice and counts toward the campaign', async () => {
    const before = (await t.http.get('/api/campaigns/current/progress').expect(200)).body.raised;
    const res = await t.http
      .post('/api/donations')
      .send({ amount: 750, frequency: 'monthly', email: 'monthly@example.com', name: 'Monthly Giver' })
      .expect(201);
    await pay(res.body.id);
    await waitFor(async () => (await ledgerOf(res.body.id)).length === 1, 10000, 'first gift');
    await advance(31 * DAY);
    await advance(31 * DAY);
    const rows = await waitFor(
      async () => ((await ledgerOf(res.body.id)).length === 3 ? ledgerOf(res.body.id) : null),
      10000,
      'two renewals',
    );
    expect(rows.map((r) => [r.type, Number(r.gross)])).toEqual(Array(3).fill(['monthly_donation', 750]));
    expect(await subOf(res.body.id)).toMatchObject({ kind: 'monthly_donation', status: 'active', tier_code: null });
    await eventuallyEqual(
      async () => (await t.http.get('/api/campaigns/current/progress').expect(200)).body.raised - before,
      2250,
    );
    // The amount is an inline price of the subscription (Checkout's price_data): inactive, not in the catalogue.
    const price = await t.stripe.prices.retrieve((await subOf(res.body.id)).stripe_price_id!);
    expect(price).toMatchObject({
      active: false,
      unit_amount: 750,
      currency: 'aud',
      product: 'monthly_donation',
      recurring: { interval: 'month', interval_count: 1 },
    });
    expect(
      (await t.stripe.prices.list({ limit: 100 }).autoPagingToArray({ limit: 10000 })).map((p) => p.id),
    ).not.toContain(price.id);
  });

  it("monthly donations of 8 different amounts add no product and no price to Stripe's catalogue", async () => {
    const catalogue = async () => ({
      products: (await t.stripe.products.list({ limit: 100 }).autoPagingToArray({ limit: 10000 }))
        .map((p) => p.id)
        .sort(),
      prices: [
        ...(await t.stripe.prices.list({ limit: 100 }).autoPagingToArray({ limit: 10000 })),
        ...(await t.stripe.prices.list({ limit: 100, active: false }).autoPagingToArray({ limit: 10000 })),
      ]
        .map((p) => p.id)
        .sort(),
    });
    // The first monthly donation ever may create the one shared product; none after that.
    await t.http
      .post('/api/donations')
      .send({ amount: 1234, frequency: 'monthly', email: 'catalogue0@example.com' })
      .expect(201);
    const before = await catalogue();
    const amounts = [101, 202, 303, 404, 505, 606, 707, 808];
    const created = [];
    for (const [i, amount] of amounts.entries()) {
      created.push(
        (
          await t.http
            .post('/api/donations')
            .send({ amount, frequency: 'monthly', email: `catalogue${i + 1}@example.com` })
            .expect(201)
        ).body as { id: string; checkoutUrl: string },
      );
    }
    expect(await catalogue()).toEqual(before);
    // Each checkout charges its own amount, every month.
    for (const [i, { id }] of created.entries()) {
      const session = await t.stripe.checkout.sessions.retrieve(await sessionOf(id), { expand: ['line_items'] });
      expect(session.line_items!.data[0].price).toMatchObject({
        unit_amount: amounts[i],
        active: false,
        recurring: { interval: 'month' },
      });
    }
  });

  it('a failed renewal: past due with a grace period, then recovered', async () => {
    const email = 'late.payer@example.com';
    const { id } = await subscribe({ tier: 'digital', billing: 'monthly', email, name: 'Late Payer' });
    await pay(id);
    const sub = await waitFor(async () => (await subOf(id))?.status === 'active' && subOf(id), 10000, 'active');
    await simControl(t.sim, 'POST', `/_simulator/customers/${sub.stripe_customer_id}/card`, { fail: true });
    await advance(31 * DAY);
    const pastDue = await waitFor(
      async () =>
        (await subOf(id)).status === 'past_due'
          ? t.query<{ past_due_since: Date }>(`SELECT past_due_since FROM subscriptions WHERE checkout_id = $1`, [id])
          : null,
      10000,
      'past due',
    );
    const since = pastDue[0].past_due_since;
    expect(await ledgerOf(id)).toHaveLength(1);
    // Within the grace period (7 days) the reader keeps access; after it, not.
    expect((await entitlements(email, new Date(since.getTime() + 6 * DAY * 1000))).digital).toBe(true);
    expect((await entitlements(email, new Date(since.getTime() + 8 * DAY * 1000))).digital).toBe(false);

    await simControl(t.sim, 'POST', `/_simulator/customers/${sub.stripe_customer_id}/card`, { fail: false });
    const open = await t.stripe.invoices.list({ subscription: sub.stripe_subscription_id!, status: 'open' });
    expect(open.data).toHaveLength(1);
    await t.stripe.invoices.pay(open.data[0].id!);
    await t.sim.idle();
    // The status (customer.subscription.updated) and the payment (invoice.paid) come by separate
    // events, processed in either order: wait for both.
    await waitFor(
      async () => (await subOf(id)).status === 'active' && (await ledgerOf(id)).length === 2,
      10000,
      'recovered and the renewal paid',
    );
    expect(await ledgerOf(id)).toHaveLength(2);
    expect((await entitlements(email)).digital).toBe(true);
  });

  it('12 months prepaid digital: one entry, access for 12 months, no renewal', async () => {
    const email = 'prepaid@example.com';
    const { id } = await subscribe({ tier: 'digital', billing: 'prepaid', months: 12, email, name: 'Prepaid Reader' });
    await pay(id);
    const sub = await waitFor(async () => subOf(id), 10000, 'prepaid period');
    expect(sub).toMatchObject({
      billing: 'prepaid',
      tier_code: 'digital',
      status: 'active',
      stripe_subscription_id: null,
    });
    const rows = await waitFor(
      async () => ((await ledgerOf(id)).length === 1 ? ledgerOf(id) : null),
      10000,
      'prepaid payment',
    );
    expect(rows.map((r) => [r.type, Number(r.gross)])).toEqual([['prepaid_subscription', 6000]]);
    // The period starts when Stripe took the payment: on the simulator's clock, which earlier tests moved on.
    const paidAt = new Date((await simNow()) * 1000);
    const access = await entitlements(email, paidAt);
    expect(access.digital).toBe(true);
    const until = new Date(access.entitlements[0].until);
    const months = (until.getUTCFullYear() - paidAt.getUTCFullYear()) * 12 + until.getUTCMonth() - paidAt.getUTCMonth();
    expect(months).toBe(12);
    await advance(31 * DAY);
    expect(await ledgerOf(id)).toHaveLength(1);
    expect((await entitlements(email, new Date(until.getTime() + 1000))).digital).toBe(false);

    // Refunded in full, the period grants nothing any more.
    const [payment] = await t.query<{ stripe_charge_id: string }>(
      `SELECT stripe_charge_id FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`,
      [id],
    );
    await t.stripe.refunds.create({ charge: payment.stripe_charge_id, amount: 1000 });
    await t.sim.idle();
    await waitFor(
      async () =>
        (await t.query(`SELECT 1 FROM ledger_entries WHERE checkout_id = $1 AND kind = 'refund'`, [id])).length === 1,
      10000,
      'partial refund',
    );
    expect((await entitlements(email, new Date(until.getTime() - DAY * 1000))).digital).toBe(true);
    await t.stripe.refunds.create({ charge: payment.stripe_charge_id });
    await t.sim.idle();
    await waitFor(async () => (await subOf(id)).status === 'ended', 10000, 'prepaid ended by the full refund');
    expect((await entitlements(email, new Date(until.getTime() - DAY * 1000))).digital).toBe(false);
  });

  it('a prepaid period bought while one runs (an early renewal) starts at its end; a monthly subscription of the tier is still refused', async () => {
    const email = 'early.renewer@example.com';
    const first = await subscribe({ tier: 'digital', billing: 'prepaid', email, name: 'Early Renewer' });
    await pay(first.id);
    const current = await waitFor(async () => subOf(first.id), 10000, 'first period');
    // Until this issue a second purchase was 409 SUBSCRIPTION_ALREADY_ACTIVE: now it renews early.
    const second = await subscribe({ tier: 'digital', billing: 'prepaid', email, name: 'Early Renewer' });
    expect(second.outcome).toBe('created');
    await pay(second.id);
    const next = await waitFor(async () => subOf(second.id), 10000, 'second period');
    expect(new Date(next.current_period_start!)).toEqual(new Date(current.current_period_end!));
    const [{ end }] = await t.query<{ end: Date }>(`SELECT $1::timestamptz + interval '12 months' AS "end"`, [
      current.current_period_end,
    ]);
    expect(new Date(next.current_period_end!)).toEqual(new Date(end));
    // The paywall sees one run of access, to the new end, from now on.
    const paidAt = new Date((await simNow()) * 1000);
    expect((await entitlements(email, paidAt)).entitlements).toEqual([
      { code: 'digital', until: new Date(end).toISOString(), status: 'active', tier: 'digital', billing: 'prepaid' },
    ]);
    // A monthly subscription of the tier while a prepaid period runs: refused, as before.
    const monthly = await t.http
      .post('/api/subscriptions')
      .send({ tier: 'digital', billing: 'monthly', email, name: 'Early Renewer' })
      .expect(409);
    expect(monthly.body).toMatchObject({ code: 'SUBSCRIPTION_ALREADY_ACTIVE', field: 'tier' });
  });

  it('print needs an address (400 naming it); buying what one already has is refused; a double click answers the same checkout', async () => {
    const noAddress = await t.http
      .post('/api/subscriptions')
      .send({ tier: 'print', billing: 'monthly', email: 'x@example.com', name: 'X' })
      .expect(400);
    expect(noAddress.body).toMatchObject({ code: 'DELIVERY_ADDRESS_REQUIRED', field: 'deliveryAddress' });
    const badAddress = await t.http
      .post('/api/subscriptions')
      .send({
        tier: 'print',
        billing: 'monthly',
        email: 'x@example.com',
        name: 'X',
        deliveryAddress: { ...address, country: 'Australia' },
      })
      .expect(400);
    expect(badAddress.body.field).toBe('deliveryAddress.country');
    const unknownTier = await t.http
      .post('/api/subscriptions')
      .send({ tier: 'gold', billing: 'monthly', email: 'x@example.com', name: 'X' })
      .expect(400);
    expect(unknownTier.body.field).toBe('tier');

    const email = 'has.print@example.com';
    const first = await subscribe({
      tier: 'print',
      billing: 'monthly',
      email,
      name: 'Has Print',
      deliveryAddress: address,
    });
    const again = await subscribe({
      tier: 'print',
      billing: 'monthly',
      email,
      name: 'Has Print',
      deliveryAddress: address,
    });
    expect(first.outcome).toBe('created');
    expect(again).toEqual({ ...first, outcome: 'reused' });
    await pay(first.id);
    await waitFor(async () => (await subOf(first.id))?.status === 'active', 10000, 'active');
    const dup = await t.http
      .post('/api/subscriptions')
      .send({
        tier: 'print',
        billing: 'monthly',
        email: 'HAS.PRINT@example.com',
        name: 'Has Print',
        deliveryAddress: address,
      })
      .expect(409);
    expect(dup.body).toMatchObject({ code: 'SUBSCRIPTION_ALREADY_ACTIVE', field: 'tier' });
    await t.http
      .post('/api/subscriptions')
      .send({ tier: 'digital', billing: 'prepaid', email, name: 'Has Print' })
      .expect(409);
  });

  it('a corrected print address while the first checkout is open: that checkout is expired on Stripe (its link cannot be paid) and a new one carries the new address', async () => {
    const email = 'moved.reader@example.com';
    const request = { tier: 'print', billing: 'monthly', email, name: 'Moved Reader', deliveryAddress: address };
    const first = await subscribe(request);
    expect(first.outcome).toBe('created');
    const corrected = { ...address, line1: '22 New Rd', postalCode: '2010' };
    const second = await subscribe({ ...request, deliveryAddress: corrected });
    expect(second).toMatchObject({ outcome: 'replaced', replaces: first.id });
    expect(second.id).not.toBe(first.id);
    expect(second.checkoutUrl).not.toBe(first.checkoutUrl);
    // The old session is expired on Stripe: its link can no longer be paid.
    expect((await t.stripe.checkout.sessions.retrieve(await sessionOf(first.id))).status).toBe('expired');
    expect((await fetch(`${first.checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' })).status).toBe(409);
    expect(
      await t.query(`SELECT id, status, delivery_address FROM checkouts WHERE lower(email) = $1 ORDER BY created_at`, [
        email,
      ]),
    ).toEqual([
      { id: first.id, status: 'expired', delivery_address: address },
      { id: second.id, status: 'open', delivery_address: corrected },
    ]);
    // Repeating the corrected request answers the new checkout; a corrected name replaces it too.
    expect(await subscribe({ ...request, deliveryAddress: corrected })).toEqual({
      id: second.id,
      checkoutUrl: second.checkoutUrl,
      outcome: 'reused',
    });
    const renamed = await subscribe({ ...request, name: 'Moved R. Reader', deliveryAddress: corrected });
    expect(renamed).toMatchObject({ outcome: 'replaced', replaces: second.id });

    await pay(renamed.id);
    const sub = await waitFor(
      async () => (await subOf(renamed.id))?.status === 'active' && subOf(renamed.id),
      10000,
      'active subscription',
    );
    expect(sub.delivery_address).toEqual(corrected);
    await t.settled();
    expect(
      await t.query(`SELECT 1 FROM subscriptions WHERE checkout_id = ANY($1::uuid[])`, [[first.id, second.id]]),
    ).toHaveLength(0);
    const mailing = (
      await t.http
        .get('/api/reports/print-mailing-list')
        .set('authorization', await signedIn(t, 'finance'))
        .expect(200)
    ).body;
    expect(JSON.stringify(mailing)).toContain('22 New Rd');
    expect(JSON.stringify(mailing)).not.toContain('Moved Reader"');
  });

  it('concurrent requests with different addresses leave exactly one payable checkout, with or without one open before', async () => {
    const email = 'racing.reader@example.com';
    const addresses = ['1 A St', '2 B St', '3 C St', '4 D St'].map((line1) => ({ ...address, line1 }));
    for (let round = 0; round < 2; round++) {
      const answers = await Promise.all(
        addresses.map((a) =>
          t.http
            .post('/api/subscriptions')
            .send({ tier: 'print', billing: 'prepaid', email, name: 'Racing Reader', deliveryAddress: a }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
      const open = await t.query<{ id: string }>(
        `SELECT id FROM checkouts WHERE lower(email) = $1 AND status = 'open'`,
        [email],
      );
      expect(open).toHaveLength(1);
      const sessions = await t.query<{ stripe_session_id: string }>(
        `SELECT stripe_session_id FROM checkouts WHERE lower(email) = $1 AND stripe_session_id IS NOT NULL`,
        [email],
      );
      const statuses = await Promise.all(
        sessions.map(async (s) => (await t.stripe.checkout.sessions.retrieve(s.stripe_session_id)).status),
      );
      expect(statuses.filter((s) => s === 'open')).toHaveLength(1);
    }
  });

  it('a corrected address after the open checkout was paid (its webhook not in yet): 409 SUBSCRIPTION_ALREADY_ACTIVE, nothing replaced', async () => {
    const email = 'paid.meanwhile@example.com';
    const request = { tier: 'print', billing: 'monthly', email, name: 'Paid Meanwhile', deliveryAddress: address };
    const first = await subscribe(request);
    t.sim.configureWebhook({ enabled: false });
    try {
      await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${await sessionOf(first.id)}/complete`);
      await t.sim.idle();
    } finally {
      t.sim.configureWebhook({ enabled: true });
    }
    const late = await t.http
      .post('/api/subscriptions')
      .send({ ...request, deliveryAddress: { ...address, line1: '9 Late St' } })
      .expect(409);
    expect(late.body).toMatchObject({ code: 'SUBSCRIPTION_ALREADY_ACTIVE', field: 'tier' });
    expect(await t.query(`SELECT status FROM checkouts WHERE lower(email) = $1`, [email])).toEqual([
      { status: 'open' },
    ]);
    // The payment's events arrive: the subscription is recorded with the address it was paid with.
    const events = (await t.stripe.events.list({ limit: 100 })).data.filter((e) =>
      JSON.stringify(e.data.object).includes(first.id),
    );
    for (const e of events) await simControl(t.sim, 'POST', `/_simulator/events/${e.id}/resend`);
    const sub = await waitFor(
      async () => (await subOf(first.id))?.status === 'active' && subOf(first.id),
      10000,
      'active subscription',
    );
    expect(sub.delivery_address).toEqual(address);
  });

  it('digital → print changed on Stripe: the tier follows, the address is asked for, and the subscriber gives it', async () => {
    const email = 'upgrader@example.com';
    const { id } = await subscribe({ tier: 'digital', billing: 'monthly', email, name: 'Up Grader' });
    await pay(id);
    const sub = await waitFor(async () => (await subOf(id))?.status === 'active' && subOf(id), 10000, 'active');
    expect((await entitlements(email)).print).toBe(false);
    const [printPrice] = (
      await t.stripe.prices.list({
        lookup_keys: [lookupKeyFor({ purpose: 'tier_print_monthly', amount: 1000, currency: 'AUD', recurring: true })],
      })
    ).data;
    expect(printPrice).toBeDefined();
    const stripeSub = await t.stripe.subscriptions.retrieve(sub.stripe_subscription_id!);
    await t.stripe.subscriptions.update(stripeSub.id, {
      items: [{ id: stripeSub.items.data[0].id, price: printPrice.id }],
      proration_behavior: 'none',
    });
    await t.sim.idle();
    const changed = await waitFor(
      async () => ((await subOf(id)).tier_code === 'print' ? subOf(id) : null),
      10000,
      'tier change',
    );
    expect(changed.amount).toBe('1000');
    expect(changed.delivery_address).toBeNull();
    expect(await entitlements(email)).toMatchObject({ digital: true, print: true });

    const [mail] = await t.query<{ body: string }>(
      `SELECT body FROM emails WHERE to_address = $1 AND kind = 'delivery_address_needed'`,
      [email],
    );
    const link = new URL(mail.body.match(/https?:\/\/\S+/)![0]);
    expect(link.searchParams.get('subscription')).toBe(changed.id);
    const token = link.searchParams.get('token')!;
    await t.http
      .put(`/api/self-service/subscriptions/${changed.id}/delivery-address`)
      .query({ token: 'forged.token' })
      .send(address)
      .expect(401);
    const bad = await t.http
      .put(`/api/self-service/subscriptions/${changed.id}/delivery-address`)
      .query({ token })
      .send({ ...address, postalCode: undefined })
      .expect(400);
    expect(bad.body.field).toBe('postalCode');
    // Refused requests (bad body, someone else's subscription) do not spend the link...
    await t.http
      .put('/api/self-service/subscriptions/00000000-0000-4000-8000-000000000000/delivery-address')
      .query({ token })
      .send(address)
      .expect(404);
    await t.http
      .put(`/api/self-service/subscriptions/${changed.id}/delivery-address`)
      .query({ token })
      .send(address)
      .expect(200);
    expect((await subOf(id)).delivery_address).toEqual(address);
    // ...the change does: the link works once.
    const again = await t.http
      .put(`/api/self-service/subscriptions/${changed.id}/delivery-address`)
      .query({ token })
      .send({ ...address, line1: '2 Other St' })
      .expect(410);
    expect(again.body).toMatchObject({ code: 'LINK_USED', field: 'token' });
    expect((await subOf(id)).delivery_address).toEqual(address);
  });

  it('entitlements by POST (email in the body) answer as the deprecated GET does, and check the same', async () => {
    const email = 'post.asker@example.com';
    const { id } = await subscribe({ tier: 'digital', billing: 'monthly', email, name: 'Post Asker' });
    await pay(id);
    await waitFor(async () => (await subOf(id))?.status === 'active', 10000, 'active');
    const at = new Date(Date.now() + 3 * DAY * 1000).toISOString();
    const byPost = (await t.http.post('/api/entitlements').set('x-api-key', API_KEY).send({ email, at }).expect(200))
      .body;
    expect(byPost).toMatchObject({ digital: true, print: false });
    expect(
      (await t.http.get('/api/entitlements').query({ email, at }).set('x-api-key', API_KEY).expect(200)).body,
    ).toEqual(byPost);
    expect(
      (await t.http.post('/api/entitlements').set('x-api-key', API_KEY).send({ email }).expect(200)).body,
    ).toMatchObject({ digital: true });
    await t.http.post('/api/entitlements').send({ email }).expect(401);
    await t.http.post('/api/entitlements').set('x-api-key', 'wrong_key_wrong_key_wrong').send({ email }).expect(403);
    for (const [body, field] of [
      [{}, 'email'],
      [{ email: 'not an email' }, 'email'],
      [{ email: 42 }, 'email'],
      [{ email, at: 'tomorrow' }, 'at'],
      [{ email, at: 2500 }, 'at'],
      [{ email, extra: 1 }, 'extra'],
    ] as const) {
      const res = await t.http.post('/api/entitlements').set('x-api-key', API_KEY).send(body).expect(400);
      expect(res.body.field).toBe(field);
    }
    const spec = (await t.http.get('/docs/openapi.json').expect(200)).body;
    expect(spec.paths['/api/entitlements'].get.deprecated).toBe(true);
    expect(spec.paths['/api/entitlements'].post.deprecated).toBeUndefined();
  });

  it('the entitlements API needs the website key', async () => {
    await t.http.get('/api/entitlements').query({ email: 'a@example.com' }).expect(401);
    await t.http
      .get('/api/entitlements')
      .query({ email: 'a@example.com' })
      .set('x-api-key', 'wrong_key_wrong_key_wrong')
      .expect(403);
    await t.http.get('/api/entitlements').query({ email: 'not an email' }).set('x-api-key', API_KEY).expect(400);
  });

  it('an admin price change applies to new sign-ups only', async () => {
    const email = 'old.price@example.com';
    const { id } = await subscribe({ tier: 'digital', billing: 'monthly', email, name: 'Old Price' });
    await pay(id);
    await waitFor(async () => (await subOf(id))?.status === 'active', 10000, 'active');
    await t.http.put('/api/admin/tiers/digital/price').send({ monthlyAmount: 600 }).expect(401);
    const admin = await signedIn(t, 'admin');
    await t.http
      .put('/api/admin/tiers/digital/price')
      .set('authorization', await signedIn(t, 'finance'))
      .send({ monthlyAmount: 600 })
      .expect(403);
    const updated = await t.http
      .put('/api/admin/tiers/digital/price')
      .set('authorization', admin)
      .send({ monthlyAmount: 600 })
      .expect(200);
    expect(updated.body).toMatchObject({
      code: 'digital',
      monthlyAmount: 600,
      prepaidOptions: [{ months: 12, amount: 7200 }],
    });
    const fresh = await subscribe({
      tier: 'digital',
      billing: 'monthly',
      email: 'new.price@example.com',
      name: 'New Price',
    });
    await pay(fresh.id);
    await waitFor(async () => (await subOf(fresh.id))?.status === 'active', 10000, 'active');
    expect((await subOf(fresh.id)).amount).toBe('600');
    await advance(31 * DAY);
    await waitFor(async () => (await ledgerOf(id)).length === 2, 10000, 'renewal at the old price');
    expect((await ledgerOf(id)).map((r) => Number(r.gross))).toEqual([500, 500]);
    const [audit] = await t.query<{
      action: string;
      before: { monthlyAmount: number };
      after: { monthlyAmount: number };
    }>(`SELECT * FROM audit_log WHERE action = 'tier.price_change' ORDER BY id DESC LIMIT 1`);
    expect([audit.before.monthlyAmount, audit.after.monthlyAmount]).toEqual([500, 600]);
    await t.http
      .put('/api/admin/tiers/digital/price')
      .set('authorization', admin)
      .send({ monthlyAmount: 500 })
      .expect(200);
  });

  it('every webhook of a journey delivered twice, shuffled, gives the same ledger and subscription state', async () => {
    const startedAt = await simNow();
    t.sim.configureWebhook({ enabled: false });
    let id: string;
    try {
      ({ id } = await subscribe({
        tier: 'print',
        billing: 'monthly',
        email: 'shuffled@example.com',
        name: 'Shuffled',
        deliveryAddress: address,
      }));
      await pay(id);
      await advance(31 * DAY);
      await advance(31 * DAY);
      await simControl(t.sim, 'POST', '/_simulator/flush', { fast_forward: true });
    } finally {
      t.sim.configureWebhook({ enabled: true });
    }
    expect(await subOf(id)).toBeUndefined();
    const events = await simControl<Array<{ id: string; type: string; created: number }>>(
      t.sim,
      'GET',
      '/_simulator/events',
    );
    const journey = events.filter((e) => e.created >= startedAt);
    expect(journey.length).toBeGreaterThan(20);
    const deliveries = [...journey, ...journey];
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
    }
    for (let i = 0; i < deliveries.length; i += 10) {
      await Promise.all(
        deliveries.slice(i, i + 10).map((e) => simControl(t.sim, 'POST', `/_simulator/events/${e.id}/resend`)),
      );
    }
    const sub = await subOf(id!);
    expect(sub).toMatchObject({ status: 'active', tier_code: 'print', kind: 'subscription' });
    const rows = await ledgerOf(id!);
    expect(rows.map((r) => Number(r.gross))).toEqual([1000, 1000, 1000]);
    const stripeSub = await t.stripe.subscriptions.retrieve(sub.stripe_subscription_id!);
    expect(sub.current_period_end!.getTime()).toBe(stripeSub.items.data[0].current_period_end * 1000);
    const fees = await t.query<{ total: string }>(
      `SELECT sum(fee) AS total FROM ledger_entries WHERE checkout_id = $1`,
      [id!],
    );
    expect(Number(fees[0].total)).toBe(3 * cardProcessingFee(1000));
  });

  it("records invoice.paid in Stripe's real invoice shape (fixtures3.json) against the right subscription", async () => {
    const sharedPath = join(__dirname, '../../shared/stripe/fixtures3.json');
    const fixtures = JSON.parse(
      readFileSync(
        existsSync(sharedPath) ? sharedPath : join(__dirname, '../libs/stripe-simulator/src/fixtures/fixtures3.json'),
        'utf8',
      ),
    ).resources;
    const { id } = await subscribe({
      tier: 'digital',
      billing: 'monthly',
      email: 'fixture.invoice@example.com',
      name: 'Fixture',
    });
    t.sim.configureWebhook({ enabled: false });
    try {
      await pay(id);
      await simControl(t.sim, 'POST', '/_simulator/flush', { fast_forward: true });
    } finally {
      t.sim.configureWebhook({ enabled: true });
    }
    const session = await t.stripe.checkout.sessions.retrieve(await sessionOf(id));
    const real = await t.stripe.invoices.retrieve(session.invoice as string);
    const invoice: Stripe.Invoice = {
      ...fixtures.invoice,
      id: real.id,
      status: 'paid',
      amount_paid: 500,
      amount_due: 500,
      currency: 'aud',
      customer: real.customer,
      parent: {
        ...fixtures.invoice.parent,
        type: 'subscription_details',
        subscription_details: { metadata: {}, subscription: session.subscription },
      },
    };
    const payload = JSON.stringify({
      ...fixtures.event,
      id: 'evt_fixture_invoice_paid',
      type: 'invoice.paid',
      created: await simNow(),
      data: { object: invoice },
    });
    await t.http
      .post('/api/stripe/webhook')
      .set('content-type', 'application/json')
      .set('stripe-signature', t.stripe.webhooks.generateTestHeaderString({ payload, secret: t.webhookSecret }))
      .send(payload)
      .expect(200);
    await t.settled();
    const rows = await ledgerOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ type: 'subscription', stripe_invoice_id: real.id, gross: '500' });
    expect(await subOf(id)).toMatchObject({ status: 'active', stripe_subscription_id: session.subscription });
  });
});
