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

const WEBHOOK_SECRET = 'whsec_simulator_payouts_e2e';
const DAY = 86_400;

interface ControlError {
  error: { type: string; code?: string; message: string; param?: string };
}

describe('Stripe simulator: payouts and what they contain (real stripe SDK, signed webhooks)', () => {
  let receiver: WebhookReceiver;
  let sim: StripeSimulator;
  let stripe: Stripe;

  // A simulator per test: each starts with an empty balance.
  const control = simulatorPerTest({ secret: WEBHOOK_SECRET, apiKey: 'sk_test_e2e_payouts', feeDelayMs: 50 }, (s) => {
    ({ receiver, sim, stripe } = s);
  });

  const payout = (body?: { currency?: string; all?: boolean }) =>
    control<Stripe.Payout>('POST', '/_simulator/payouts', body);
  const payoutError = async (body?: { currency?: string; all?: boolean }) => {
    const res = await control<ControlError>('POST', '/_simulator/payouts', body);
    return { status: res.status, error: res.body.error };
  };
  const advance = (seconds: number) => control<{ now: number }>('POST', '/_simulator/clock/advance', { seconds });

  /** A checkout payment completed through the control; its charge once the fee has arrived. */
  const paidCharge = async (amount: number, currency = 'aud'): Promise<Stripe.Charge> => {
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ quantity: 1, price_data: { currency, unit_amount: amount, product_data: { name: 'Donation' } } }],
      customer_email: 'jenny@example.com',
      payment_intent_data: { description: 'Donation' },
      success_url: 'https://news.example/thanks',
      cancel_url: 'https://news.example/cancelled',
    });
    const { status, body } = await control<Stripe.Checkout.Session>(
      'POST',
      `/_simulator/checkout/sessions/${session.id}/complete`,
    );
    expect(status).toBe(200);
    const pi = await stripe.paymentIntents.retrieve(body.payment_intent as string);
    return stripe.charges.retrieve(pi.latest_charge as string);
  };

  /** Every balance transaction of a payout, through the SDK's auto-pagination. */
  const payoutTransactions = async (payoutId: string, limit = 3): Promise<Stripe.BalanceTransaction[]> => {
    const out: Stripe.BalanceTransaction[] = [];
    for await (const txn of stripe.balanceTransactions.list({ payout: payoutId, limit })) out.push(txn);
    return out;
  };

  const sumNet = (txns: Stripe.BalanceTransaction[]) => txns.reduce((sum, t) => sum + t.net, 0);

  it('pays out every available balance transaction (charges, refunds, dispute adjustments) and lists them by payout', async () => {
    const empty = await payoutError();
    expect(empty).toMatchObject({
      status: 409,
      error: { type: 'invalid_request_error', code: 'balance_insufficient' },
    });

    const charges: Stripe.Charge[] = [];
    for (let i = 0; i < 11; i++) charges.push(await paidCharge(1000 + i * 100));
    await sim.idle();
    const settled = await Promise.all(charges.map((c) => stripe.charges.retrieve(c.id)));
    const chargeTxnIds = settled.map((c) => c.balance_transaction as string);
    expect(chargeTxnIds.every((id) => /^txn_/.test(id))).toBe(true);

    const refund = await stripe.refunds.create({ charge: charges[0].id, amount: 700 });
    const { body: dispute } = await control<Stripe.Dispute>('POST', `/_simulator/charges/${charges[1].id}/dispute`, {
      amount: 500,
    });
    const disputeTxnId = dispute.balance_transactions[0].id;

    // Card funds are available two days after the charge: for now only the refund and the
    // dispute withdrawal are, and their sum is negative.
    const negative = await payoutError();
    expect(negative.status).toBe(409);
    expect(negative.error.message).toContain('not positive');

    await advance(2 * DAY);
    const { status, body: po } = await payout();
    expect(status).toBe(200);
    expect(po).toMatchObject({
      object: 'payout',
      status: 'paid',
      automatic: true,
      currency: 'aud',
      method: 'standard',
      type: 'bank_account',
      source_type: 'card',
      description: 'STRIPE PAYOUT',
      livemode: false,
      failure_code: null,
      reconciliation_status: 'completed',
    });
    expect(po.id).toMatch(/^po_/);
    expect(po.destination).toMatch(/^ba_/);
    expect(po.arrival_date).toBe(po.created);
    expect(Object.keys(po)).toEqual(expect.arrayContaining(Object.keys(FIXTURES.payout)));

    const own = await stripe.balanceTransactions.retrieve(po.balance_transaction as string);
    expect(own).toMatchObject({
      type: 'payout',
      reporting_category: 'payout',
      amount: -po.amount,
      fee: 0,
      net: -po.amount,
      source: po.id,
      currency: 'aud',
      status: 'available',
    });

    // What the payout contained: newest first, its own transaction first; auto-paginated 3 at a time.
    const txns = await payoutTransactions(po.id);
    const ids = txns.map((t) => t.id);
    expect(ids[0]).toBe(own.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(
      [...chargeTxnIds, refund.balance_transaction as string, disputeTxnId, own.id].sort(),
    );
    const contained = txns.filter((t) => t.type !== 'payout');
    expect(po.amount).toBe(sumNet(contained));
    expect(sumNet(txns)).toBe(0);
    expect(contained.every((t) => t.status === 'available')).toBe(true);
    expect(contained.map((t) => t.type).sort()).toEqual(
      [...Array<string>(11).fill('charge'), 'adjustment', 'refund'].sort(),
    );
    // No made-up field on a balance transaction: the link lives only in the list filter.
    expect(Object.keys(txns[1]).sort()).toEqual(Object.keys(FIXTURES.balance_transaction).sort());

    // Plain pages, both directions.
    const first = await stripe.balanceTransactions.list({ payout: po.id, limit: 3 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/balance_transactions' });
    expect(first.data.map((t) => t.id)).toEqual(ids.slice(0, 3));
    const second = await stripe.balanceTransactions.list({ payout: po.id, limit: 3, starting_after: ids[2] });
    expect(second.data.map((t) => t.id)).toEqual(ids.slice(3, 6));
    const back = await stripe.balanceTransactions.list({ payout: po.id, limit: 3, ending_before: ids[3] });
    expect(back.data.map((t) => t.id)).toEqual(ids.slice(0, 3));
    const all = await stripe.balanceTransactions.list({ payout: po.id, limit: 100 });
    expect(all.data.map((t) => t.id)).toEqual(ids);
    expect(all.has_more).toBe(false);
    const refunds = await stripe.balanceTransactions.list({ payout: po.id, type: 'refund' });
    expect(refunds.data.map((t) => t.id)).toEqual([refund.balance_transaction]);

    // Nothing new: no second payout.
    const again = await payoutError({ all: true });
    expect(again).toMatchObject({ status: 409, error: { code: 'balance_insufficient' } });

    expect(await stripe.payouts.retrieve(po.id)).toMatchObject({ id: po.id, amount: po.amount, status: 'paid' });
    expect(
      (await stripe.payouts.retrieve(po.id, { expand: ['balance_transaction'] })).balance_transaction,
    ).toMatchObject({ id: own.id, type: 'payout' });
    expect((await stripe.payouts.list()).data.map((p) => p.id)).toEqual([po.id]);

    const events = await receiver.waitFor([po.id], ['payout.created', 'payout.paid']);
    const created = events.find((e) => e.type === 'payout.created')!;
    const paid = events.find((e) => e.type === 'payout.paid')!;
    expect(created.data.object).toMatchObject({
      id: po.id,
      object: 'payout',
      status: 'pending',
      amount: po.amount,
      balance_transaction: own.id,
    });
    expect(paid.data.object).toMatchObject({
      id: po.id,
      status: 'paid',
      amount: po.amount,
      arrival_date: po.arrival_date,
    });
    const stored = await stripe.events.list({ types: ['payout.created', 'payout.paid'] });
    expect(stored.data.map((e) => e.type)).toEqual(['payout.paid', 'payout.created']);
  });

  it('a balance transaction made after a payout goes into the next payout, not the first', async () => {
    const a = await paidCharge(2500);
    const b = await paidCharge(4000);
    await sim.idle();
    const { status, body: first } = await payout({ all: true });
    expect(status).toBe(200);
    expect(first.amount).toBe(2427 + 3902); // 1.7% + 30c each
    const firstIds = (await payoutTransactions(first.id)).map((t) => t.id);
    expect(firstIds).toHaveLength(3);

    const c = await paidCharge(1000);
    await sim.idle();
    const refund = await stripe.refunds.create({ charge: a.id, amount: 500 });

    // The new charge is not available yet (only the refund is, and it is negative).
    const early = await payoutError();
    expect(early.status).toBe(409);
    const { status: status2, body: next } = await payout({ all: true });
    expect(status2).toBe(200);
    const nextTxns = await payoutTransactions(next.id, 2);
    const newCharge = (await stripe.charges.retrieve(c.id)).balance_transaction as string;
    expect(nextTxns.map((t) => t.id).sort()).toEqual(
      [newCharge, refund.balance_transaction as string, next.balance_transaction as string].sort(),
    );
    expect(next.amount).toBe(953 - 500);
    expect(next.amount).toBe(sumNet(nextTxns.filter((t) => t.type !== 'payout')));
    // The first payout is unchanged.
    expect((await payoutTransactions(first.id)).map((t) => t.id)).toEqual(firstIds);
    expect(firstIds).not.toContain(newCharge);
    expect(firstIds).toContain((await stripe.charges.retrieve(b.id)).balance_transaction);

    // Lists: newest first, filters, cursors.
    expect((await stripe.payouts.list()).data.map((p) => p.id)).toEqual([next.id, first.id]);
    expect((await stripe.payouts.list({ limit: 1 })).has_more).toBe(true);
    expect((await stripe.payouts.list({ limit: 1, starting_after: next.id })).data.map((p) => p.id)).toEqual([
      first.id,
    ]);
    expect((await stripe.payouts.list({ status: 'paid' })).data).toHaveLength(2);
    expect((await stripe.payouts.list({ status: 'pending' })).data).toHaveLength(0);
    expect((await stripe.payouts.list({ created: { gte: first.created } })).data).toHaveLength(2);
    expect((await stripe.payouts.list({ arrival_date: { gt: next.arrival_date } })).data).toHaveLength(0);
    expect((await stripe.payouts.list({ arrival_date: { lte: next.arrival_date } })).data).toHaveLength(2);
    expect((await stripe.payouts.list({ destination: first.destination as string })).data).toHaveLength(2);
    const auto: string[] = [];
    for await (const p of stripe.payouts.list({ limit: 1 })) auto.push(p.id);
    expect(auto).toEqual([next.id, first.id]);

    await receiver.waitFor([first.id, next.id], ['payout.created', 'payout.paid']);
    await sim.idle();
    expect(
      receiver
        .events('payout.paid')
        .map((e) => (e.data.object as Stripe.Payout).id)
        .sort(),
    ).toEqual([first.id, next.id].sort());
  });

  it('answers like Stripe for unknown payouts and bad parameters; a USD charge settles in the AUD balance with its exchange rate', async () => {
    const missing = await stripe.balanceTransactions.list({ payout: 'po_nope' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'payout',
      message: "No such payout: 'po_nope'",
    });
    await expect(stripe.payouts.retrieve('po_nope')).rejects.toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
    await expect(stripe.payouts.list({ status: 'lost' })).rejects.toMatchObject({ statusCode: 400, param: 'status' });
    await expect(stripe.payouts.list({ arrival_date: { gt: 'soon' as unknown as number } })).rejects.toMatchObject({
      statusCode: 400,
      code: 'parameter_invalid_integer',
      param: 'arrival_date[gt]',
    });

    expect(await payoutError({ all: 'yes' as unknown as boolean })).toMatchObject({
      status: 400,
      error: { param: 'all' },
    });
    expect(await payoutError({ currency: 'dollars' })).toMatchObject({ status: 400, error: { param: 'currency' } });
    expect((await control<ControlError>('POST', '/_simulator/payouts', { amount: 5 })).body.error).toMatchObject({
      code: 'parameter_unknown',
      param: 'amount',
    });

    await paidCharge(2500, 'aud');
    const usdCharge = await paidCharge(3000, 'usd');
    await sim.idle();
    // Settled like an Australian account: the USD charge lands in the AUD balance, converted
    // (1 USD = 1.50 AUD here), its fee on the AUD amount.
    const converted = (await stripe.charges.retrieve(usdCharge.id, { expand: ['balance_transaction'] }))
      .balance_transaction as Stripe.BalanceTransaction;
    expect(converted).toMatchObject({
      currency: 'aud',
      amount: 4500,
      exchange_rate: 1.5,
      fee: 107,
      net: 4393,
      fee_details: [expect.objectContaining({ currency: 'aud', amount: 107 })],
    });
    const nothing = await payoutError({ currency: 'usd', all: true });
    expect(nothing.status).toBe(409);
    const pending = await payoutError({ currency: 'aud' });
    expect(pending.status).toBe(409);
    expect(pending.error.message).toContain('all');

    const { body: aud } = await payout({ all: true });
    expect(aud).toMatchObject({ currency: 'aud', amount: 2427 + 4393 });
    expect((await stripe.balanceTransactions.list({ payout: aud.id })).data.map((t) => t.currency)).toEqual([
      'aud',
      'aud',
      'aud',
    ]);
  });
});
