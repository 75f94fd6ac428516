import { cardProcessingFee } from '@app/stripe-simulator';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { lookupKeyFor } from '@app/stripe';
import { signedIn } from './support/staff';
import { eventuallyEqual, simControl, startTestApp, TestContext, waitFor } from './support/test-app';

const DAY = 86400;
const API_KEY = 'paywall_test_key_0123456789';
const address = { line1: '1 Example St', city: 'Sydney', state: 'NSW', postalCode: '2000', country: 'AU' };

interface SubRow {
  id: string;
  status: string;
  kind: string;
  billing: string;
  tier_code: string | null;
  amount: string;
  stripe_subscription_id: string | null;
  stripe_customer_id: string | null;
  cancel_at_period_end: boolean;
  current_period_end: Date | null;
  delivery_address: Record<string, string> | null;
}

interface LedgerRow {
  kind: string;
  type: string;
  gross: string;
  fee: string;
  stripe_invoice_id: string | null;
}

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
    (await t.query<{ stripe_session_id: string }>(`SELECT stripe_session_id FROM checkouts WHERE id = $1`, [checkoutId]))[0].stripe_session_id;
  const subOf = async (checkoutId: string) => (await t.query<SubRow>(`SELECT * FROM subscriptions WHERE checkout_id = $1`, [checkoutId]))[0];
  const ledgerOf = (checkoutId: string) => t.query<LedgerRow>(`SELECT * FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment' ORDER BY occurred_at, id`, [checkoutId]);
  const entitlements = async (email: string, at?: Date) =>
    (await t.http.get('/api/entitlements').query({ email, ...(at ? { at: at.toISOString() } : {}) }).set('x-api-key', API_KEY).expect(200)).body;

  async function subscribe(body: Record<string, unknown>) {
    const res = await t.http.post('/api/subscriptions').send(body).expect(201);
    return res.body as { id: string; checkoutUrl: string };
  }

  async function pay(checkoutId: string) {
    await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${await sessionOf(checkoutId)}/complete`);
    await t.sim.idle();
  }

  it('lists the tiers with their prices and prepaid options', async () => {
    const tiers = (await t.http.get('/api/tiers').expect(200)).body;
    expect(tiers).toEqual([
      expect.objectContaining({ code: 'digital', monthlyAmount: 500, currency: 'AUD', prepaidOptions: [{ months: 12, amount: 6000 }], requiresDeliveryAddress: false }),
      expect.objectContaining({ code: 'print', monthlyAmount: 1000, currency: 'AUD', prepaidOptions: [{ months: 12, amount: 12000 }], requiresDeliveryAddress: true, includes: ['print', 'digital'] }),
    ]);
  });

  it('print monthly: paid, renewed three times, cancelled at period end, access until then and none after', async () => {
    const email = 'print.reader@example.com';
    const { id } = await subscribe({ tier: 'print', billing: 'monthly', email, name: 'Print Reader', deliveryAddress: address });
    await pay(id);
    const sub = await waitFor(async () => (await subOf(id))?.status === 'active' && subOf(id), 10000, 'active subscription');
    expect(sub).toMatchObject({ kind: 'subscription', billing: 'monthly', tier_code: 'print', amount: '1000', delivery_address: address });
    expect(await entitlements(email)).toMatchObject({ digital: true, print: true });
    await waitFor(async () => (await ledgerOf(id)).length === 1, 10000, 'first invoice in the ledger');

    for (let month = 0; month < 3; month++) await advance(31 * DAY);
    const rows = await waitFor(async () => ((await ledgerOf(id)).length === 4 ? ledgerOf(id) : null), 10000, 'three renewals');
    expect(rows.map((r) => [r.type, Number(r.gross)])).toEqual(Array(4).fill(['subscription', 1000]));
    expect(new Set(rows.map((r) => r.stripe_invoice_id)).size).toBe(4);
    expect(await entitlements(email)).toMatchObject({ digital: true, print: true });

    // The reader cancels on the customer portal, reached through the emailed link.
    await t.http.post('/api/self-service/links').send({ email }).expect(202);
    const [mail] = await t.query<{ body: string }>(`SELECT body FROM emails WHERE to_address = $1 AND kind = 'self_service_link' ORDER BY created_at DESC LIMIT 1`, [email]);
    const link = new URL(mail.body.match(/https?:\/\/\S+/)![0]);
    const portal = await t.http.get(`${link.pathname}${link.search}`).expect(303);
    const portalUrl = portal.headers.location as string;
    expect(portalUrl.startsWith(t.sim.url)).toBe(true);
    const stripeSub = (await subOf(id)).stripe_subscription_id!;
    await t.stripe.subscriptions.update(stripeSub, { cancel_at_period_end: true });
    await t.sim.idle();
    const cancelling = await waitFor(async () => ((await subOf(id)).cancel_at_period_end ? subOf(id) : null), 10000, 'cancel at period end');
    expect(cancelling.status).toBe('active');
    const access = await entitlements(email);
    expect(access.print).toBe(true);
    expect(new Date(access.entitlements[0].until).getTime()).toBeGreaterThanOrEqual(cancelling.current_period_end!.getTime());

    await advance(32 * DAY);
    await waitFor(async () => (await subOf(id)).status === 'canceled', 10000, 'subscription ended');
    expect(await entitlements(email)).toMatchObject({ digital: false, print: false, entitlements: [] });
    expect(await ledgerOf(id)).toHaveLength(4);
  });

  it('a monthly donation of 7.50 renews twice and counts toward the campaign', async () => {
    const before = (await t.http.get('/api/campaigns/current/progress').expect(200)).body.raised;
    const res = await t.http.post('/api/donations').send({ amount: 750, frequency: 'monthly', email: 'monthly@example.com', name: 'Monthly Giver' }).expect(201);
    await pay(res.body.id);
    await waitFor(async () => (await ledgerOf(res.body.id)).length === 1, 10000, 'first gift');
    await advance(31 * DAY);
    await advance(31 * DAY);
    const rows = await waitFor(async () => ((await ledgerOf(res.body.id)).length === 3 ? ledgerOf(res.body.id) : null), 10000, 'two renewals');
    expect(rows.map((r) => [r.type, Number(r.gross)])).toEqual(Array(3).fill(['monthly_donation', 750]));
    expect((await subOf(res.body.id))).toMatchObject({ kind: 'monthly_donation', status: 'active', tier_code: null });
    await eventuallyEqual(async () => (await t.http.get('/api/campaigns/current/progress').expect(200)).body.raised - before, 2250);
    // Another donor of the same amount reuses the same Stripe price.
    const other = await t.http.post('/api/donations').send({ amount: 750, frequency: 'monthly', email: 'monthly2@example.com' }).expect(201);
    const prices = await t.query<{ stripe_price_id: string }>(`SELECT DISTINCT stripe_price_id FROM checkouts WHERE id = ANY($1::uuid[])`, [[res.body.id, other.body.id]]);
    expect(prices).toHaveLength(1);
  });

  it('a failed renewal: past due with a grace period, then recovered', async () => {
    const email = 'late.payer@example.com';
    const { id } = await subscribe({ tier: 'digital', billing: 'monthly', email, name: 'Late Payer' });
    await pay(id);
    const sub = await waitFor(async () => (await subOf(id))?.status === 'active' && subOf(id), 10000, 'active');
    await simControl(t.sim, 'POST', `/_simulator/customers/${sub.stripe_customer_id}/card`, { fail: true });
    await advance(31 * DAY);
    const pastDue = await waitFor(async () => ((await subOf(id)).status === 'past_due' ? t.query<{ past_due_since: Date }>(`SELECT past_due_since FROM subscriptions WHERE checkout_id = $1`, [id]) : null), 10000, 'past due');
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
    await waitFor(async () => (await subOf(id)).status === 'active', 10000, 'recovered');
    expect(await ledgerOf(id)).toHaveLength(2);
    expect((await entitlements(email)).digital).toBe(true);
  });

  it('12 months prepaid digital: one entry, access for 12 months, no renewal', async () => {
    const email = 'prepaid@example.com';
    const { id } = await subscribe({ tier: 'digital', billing: 'prepaid', months: 12, email, name: 'Prepaid Reader' });
    await pay(id);
    const sub = await waitFor(async () => subOf(id), 10000, 'prepaid period');
    expect(sub).toMatchObject({ billing: 'prepaid', tier_code: 'digital', status: 'active', stripe_subscription_id: null });
    const rows = await waitFor(async () => ((await ledgerOf(id)).length === 1 ? ledgerOf(id) : null), 10000, 'prepaid payment');
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
    const [payment] = await t.query<{ stripe_charge_id: string }>(`SELECT stripe_charge_id FROM ledger_entries WHERE checkout_id = $1 AND kind = 'payment'`, [id]);
    await t.stripe.refunds.create({ charge: payment.stripe_charge_id, amount: 1000 });
    await t.sim.idle();
    await waitFor(async () => (await t.query(`SELECT 1 FROM ledger_entries WHERE checkout_id = $1 AND kind = 'refund'`, [id])).length === 1, 10000, 'partial refund');
    expect((await entitlements(email, new Date(until.getTime() - DAY * 1000))).digital).toBe(true);
    await t.stripe.refunds.create({ charge: payment.stripe_charge_id });
    await t.sim.idle();
    await waitFor(async () => (await subOf(id)).status === 'ended', 10000, 'prepaid ended by the full refund');
    expect((await entitlements(email, new Date(until.getTime() - DAY * 1000))).digital).toBe(false);
  });

  it('print needs an address (400 naming it); buying what one already has is refused; a double click answers the same checkout', async () => {
    const noAddress = await t.http.post('/api/subscriptions').send({ tier: 'print', billing: 'monthly', email: 'x@example.com', name: 'X' }).expect(400);
    expect(noAddress.body).toMatchObject({ code: 'DELIVERY_ADDRESS_REQUIRED', field: 'deliveryAddress' });
    const badAddress = await t.http.post('/api/subscriptions').send({ tier: 'print', billing: 'monthly', email: 'x@example.com', name: 'X', deliveryAddress: { ...address, country: 'Australia' } }).expect(400);
    expect(badAddress.body.field).toBe('deliveryAddress.country');
    const unknownTier = await t.http.post('/api/subscriptions').send({ tier: 'gold', billing: 'monthly', email: 'x@example.com', name: 'X' }).expect(400);
    expect(unknownTier.body.field).toBe('tier');

    const email = 'has.print@example.com';
    const first = await subscribe({ tier: 'print', billing: 'monthly', email, name: 'Has Print', deliveryAddress: address });
    const again = await subscribe({ tier: 'print', billing: 'monthly', email, name: 'Has Print', deliveryAddress: address });
    expect(again).toEqual(first);
    await pay(first.id);
    await waitFor(async () => (await subOf(first.id))?.status === 'active', 10000, 'active');
    const dup = await t.http.post('/api/subscriptions').send({ tier: 'print', billing: 'monthly', email: 'HAS.PRINT@example.com', name: 'Has Print', deliveryAddress: address }).expect(409);
    expect(dup.body).toMatchObject({ code: 'SUBSCRIPTION_ALREADY_ACTIVE', field: 'tier' });
    await t.http.post('/api/subscriptions').send({ tier: 'digital', billing: 'prepaid', email, name: 'Has Print' }).expect(409);
  });

  it('digital → print changed on Stripe: the tier follows, the address is asked for, and the subscriber gives it', async () => {
    const email = 'upgrader@example.com';
    const { id } = await subscribe({ tier: 'digital', billing: 'monthly', email, name: 'Up Grader' });
    await pay(id);
    const sub = await waitFor(async () => (await subOf(id))?.status === 'active' && subOf(id), 10000, 'active');
    expect((await entitlements(email)).print).toBe(false);
    const [printPrice] = (await t.stripe.prices.list({ lookup_keys: [lookupKeyFor({ purpose: 'tier_print_monthly', amount: 1000, currency: 'AUD', recurring: true })] })).data;
    expect(printPrice).toBeDefined();
    const stripeSub = await t.stripe.subscriptions.retrieve(sub.stripe_subscription_id!);
    await t.stripe.subscriptions.update(stripeSub.id, { items: [{ id: stripeSub.items.data[0].id, price: printPrice.id }], proration_behavior: 'none' });
    await t.sim.idle();
    const changed = await waitFor(async () => ((await subOf(id)).tier_code === 'print' ? subOf(id) : null), 10000, 'tier change');
    expect(changed.amount).toBe('1000');
    expect(changed.delivery_address).toBeNull();
    expect(await entitlements(email)).toMatchObject({ digital: true, print: true });

    const [mail] = await t.query<{ body: string }>(`SELECT body FROM emails WHERE to_address = $1 AND kind = 'delivery_address_needed'`, [email]);
    const link = new URL(mail.body.match(/https?:\/\/\S+/)![0]);
    expect(link.searchParams.get('subscription')).toBe(changed.id);
    const token = link.searchParams.get('token')!;
    await t.http.put(`/api/self-service/subscriptions/${changed.id}/delivery-address`).query({ token: 'forged.token' }).send(address).expect(401);
    const bad = await t.http.put(`/api/self-service/subscriptions/${changed.id}/delivery-address`).query({ token }).send({ ...address, postalCode: undefined }).expect(400);
    expect(bad.body.field).toBe('postalCode');
    await t.http.put(`/api/self-service/subscriptions/${changed.id}/delivery-address`).query({ token }).send(address).expect(200);
    expect((await subOf(id)).delivery_address).toEqual(address);
  });

  it('the entitlements API needs the website key', async () => {
    await t.http.get('/api/entitlements').query({ email: 'a@example.com' }).expect(401);
    await t.http.get('/api/entitlements').query({ email: 'a@example.com' }).set('x-api-key', 'wrong_key_wrong_key_wrong').expect(403);
    await t.http.get('/api/entitlements').query({ email: 'not an email' }).set('x-api-key', API_KEY).expect(400);
  });

  it('an admin price change applies to new sign-ups only', async () => {
    const email = 'old.price@example.com';
    const { id } = await subscribe({ tier: 'digital', billing: 'monthly', email, name: 'Old Price' });
    await pay(id);
    await waitFor(async () => (await subOf(id))?.status === 'active', 10000, 'active');
    await t.http.put('/api/admin/tiers/digital/price').send({ monthlyAmount: 600 }).expect(401);
    const admin = await signedIn(t, 'admin');
    await t.http.put('/api/admin/tiers/digital/price').set('authorization', await signedIn(t, 'finance')).send({ monthlyAmount: 600 }).expect(403);
    const updated = await t.http.put('/api/admin/tiers/digital/price').set('authorization', admin).send({ monthlyAmount: 600 }).expect(200);
    expect(updated.body).toMatchObject({ code: 'digital', monthlyAmount: 600, prepaidOptions: [{ months: 12, amount: 7200 }] });
    const fresh = await subscribe({ tier: 'digital', billing: 'monthly', email: 'new.price@example.com', name: 'New Price' });
    await pay(fresh.id);
    await waitFor(async () => (await subOf(fresh.id))?.status === 'active', 10000, 'active');
    expect((await subOf(fresh.id)).amount).toBe('600');
    await advance(31 * DAY);
    await waitFor(async () => (await ledgerOf(id)).length === 2, 10000, 'renewal at the old price');
    expect((await ledgerOf(id)).map((r) => Number(r.gross))).toEqual([500, 500]);
    const [audit] = await t.query<{ action: string; before: { monthlyAmount: number }; after: { monthlyAmount: number } }>(`SELECT * FROM audit_log WHERE action = 'tier.price_change' ORDER BY id DESC LIMIT 1`);
    expect([audit.before.monthlyAmount, audit.after.monthlyAmount]).toEqual([500, 600]);
    await t.http.put('/api/admin/tiers/digital/price').set('authorization', admin).send({ monthlyAmount: 500 }).expect(200);
  });

  it('every webhook of a journey delivered twice, shuffled, gives the same ledger and subscription state', async () => {
    const startedAt = await simNow();
    t.sim.configureWebhook({ enabled: false });
    let id: string;
    try {
      ({ id } = await subscribe({ tier: 'print', billing: 'monthly', email: 'shuffled@example.com', name: 'Shuffled', deliveryAddress: address }));
      await pay(id);
      await advance(31 * DAY);
      await advance(31 * DAY);
      await simControl(t.sim, 'POST', '/_simulator/flush', { fast_forward: true });
    } finally {
      t.sim.configureWebhook({ enabled: true });
    }
    expect(await subOf(id)).toBeUndefined();
    const events = await simControl<Array<{ id: string; type: string; created: number }>>(t.sim, 'GET', '/_simulator/events');
    const journey = events.filter((e) => e.created >= startedAt);
    expect(journey.length).toBeGreaterThan(20);
    const deliveries = [...journey, ...journey];
    for (let i = deliveries.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
    }
    for (let i = 0; i < deliveries.length; i += 10) {
      await Promise.all(deliveries.slice(i, i + 10).map((e) => simControl(t.sim, 'POST', `/_simulator/events/${e.id}/resend`)));
    }
    const sub = await subOf(id!);
    expect(sub).toMatchObject({ status: 'active', tier_code: 'print', kind: 'subscription' });
    const rows = await ledgerOf(id!);
    expect(rows.map((r) => Number(r.gross))).toEqual([1000, 1000, 1000]);
    const stripeSub = await t.stripe.subscriptions.retrieve(sub.stripe_subscription_id!);
    expect(sub.current_period_end!.getTime()).toBe(stripeSub.items.data[0].current_period_end * 1000);
    const fees = await t.query<{ total: string }>(`SELECT sum(fee) AS total FROM ledger_entries WHERE checkout_id = $1`, [id!]);
    expect(Number(fees[0].total)).toBe(3 * cardProcessingFee(1000));
  });

  it("records invoice.paid in Stripe's real invoice shape (fixtures3.json) against the right subscription", async () => {
    const sharedPath = join(__dirname, '../../shared/stripe/fixtures3.json');
    const fixtures = JSON.parse(readFileSync(existsSync(sharedPath) ? sharedPath : join(__dirname, '../apps/stripe-simulator/src/fixtures/fixtures3.json'), 'utf8')).resources;
    const { id } = await subscribe({ tier: 'digital', billing: 'monthly', email: 'fixture.invoice@example.com', name: 'Fixture' });
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
      parent: { ...fixtures.invoice.parent, type: 'subscription_details', subscription_details: { metadata: {}, subscription: session.subscription } },
    };
    const payload = JSON.stringify({ ...fixtures.event, id: 'evt_fixture_invoice_paid', type: 'invoice.paid', created: await simNow(), data: { object: invoice } });
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
