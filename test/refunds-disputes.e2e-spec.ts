import { paidDonation as paid } from './support/payments';
import { simControl, startTestApp, type TestContext, waitFor, eventuallyEqual, ledgerRaised } from './support/test-app';

interface Row {
  kind: string;
  gross: string;
  fee: string;
  net: string;
  reverses_entry_id: string | null;
  campaign_id: string | null;
}

describe('refunds and disputes: negative entries beside the payment, progress follows', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  const raised = async () => (await t.http.get('/api/campaigns/current/progress').expect(200)).body.raised as number;
  const rows = (checkoutId: string) =>
    t.query<Row>(`SELECT * FROM ledger_entries WHERE checkout_id = $1 ORDER BY id`, [checkoutId]);

  const paidDonation = (amount: number) => paid(t, amount);

  it('a partial refund then the rest: two negative entries, the payment untouched, progress reduced', async () => {
    const { checkoutId, chargeId, paymentId } = await paidDonation(5000);
    const before = await ledgerRaised(t);
    const paymentBefore = (await rows(checkoutId)).find((r) => r.kind === 'payment');

    await t.stripe.refunds.create({ charge: chargeId, amount: 1500 });
    await waitFor(async () => (await rows(checkoutId)).some((r) => r.kind === 'refund'), 10000, 'refund entry');
    await t.sim.idle();
    await eventuallyEqual(raised, before - 1500);

    await simControl(t.sim, 'POST', `/_simulator/charges/${chargeId}/refund`, {});
    await waitFor(
      async () => (await rows(checkoutId)).filter((r) => r.kind === 'refund').length === 2,
      10000,
      'second refund',
    );
    await t.sim.idle();

    const all = await rows(checkoutId);
    const refunds = all.filter((r) => r.kind === 'refund');
    expect(refunds.map((r) => Number(r.gross)).sort((a, b) => a - b)).toEqual([-3500, -1500]);
    expect(refunds.every((r) => r.reverses_entry_id === paymentId)).toBe(true);
    expect(all.find((r) => r.kind === 'payment')).toEqual(paymentBefore);
    await eventuallyEqual(raised, before - 5000);

    // Every refund event delivered again changes nothing.
    const events = await simControl<Array<{ id: string; type: string }>>(t.sim, 'GET', '/_simulator/events');
    for (const e of events.filter((x) => x.type.startsWith('refund.') || x.type === 'charge.refunded')) {
      await simControl(t.sim, 'POST', `/_simulator/events/${e.id}/resend`);
    }
    expect((await rows(checkoutId)).filter((r) => r.kind === 'refund')).toHaveLength(2);
    await eventuallyEqual(raised, before - 5000);
  });

  it('a dispute withdraws the amount and its fee; won, the amount comes back', async () => {
    const { checkoutId, chargeId } = await paidDonation(3000);
    const before = await ledgerRaised(t);
    const dispute = await simControl<{ id: string }>(t.sim, 'POST', `/_simulator/charges/${chargeId}/dispute`, {});
    await waitFor(async () => (await rows(checkoutId)).some((r) => r.kind === 'dispute'), 10000, 'dispute entry');
    await t.sim.idle();
    const d = (await rows(checkoutId)).find((r) => r.kind === 'dispute')!;
    expect([Number(d.gross), Number(d.fee), Number(d.net)]).toEqual([-3000, 2500, -5500]);
    await eventuallyEqual(raised, before - 3000);

    await simControl(t.sim, 'POST', `/_simulator/disputes/${dispute.id}/close`, { status: 'won' });
    await waitFor(
      async () => (await rows(checkoutId)).some((r) => r.kind === 'dispute_reversal'),
      10000,
      'dispute reversal',
    );
    await t.sim.idle();
    await eventuallyEqual(raised, before);
    expect((await rows(checkoutId)).filter((r) => r.kind.startsWith('dispute'))).toHaveLength(2);
  });

  it('a lost dispute keeps the money out', async () => {
    const { checkoutId, chargeId } = await paidDonation(2000);
    const before = await ledgerRaised(t);
    const dispute = await simControl<{ id: string }>(t.sim, 'POST', `/_simulator/charges/${chargeId}/dispute`, {});
    await simControl(t.sim, 'POST', `/_simulator/disputes/${dispute.id}/close`, { status: 'lost' });
    await waitFor(async () => (await rows(checkoutId)).some((r) => r.kind === 'dispute'), 10000, 'dispute entry');
    await t.sim.idle();
    await eventuallyEqual(raised, before - 2000);
    expect((await rows(checkoutId)).filter((r) => r.kind === 'dispute_reversal')).toHaveLength(0);
  });
});
