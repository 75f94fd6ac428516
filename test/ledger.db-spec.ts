import { LedgerEntry, LedgerService, type NewLedgerEntry } from '@app/ledger';
import { newStripeId } from './support/factory';
import { openTestDataSource, type TestDataSource } from './support/test-data-source';

/**
 * The ledger service on a real database, without the app: every movement is recorded once
 * whatever the key it comes under (the unique indexes on Stripe ids), a fee is counted once,
 * amounts are integer minor units, and no row is ever changed or removed.
 */
describe('ledger on the database', () => {
  let t: TestDataSource;
  let ledger: LedgerService;

  beforeAll(async () => {
    t = await openTestDataSource([LedgerEntry]);
    ledger = new LedgerService(t.dataSource.getRepository(LedgerEntry));
  });
  afterAll(async () => {
    await t?.close();
  });

  /** An online card payment of 25.00 AUD with a fee of 0.73, for a fresh charge. */
  const payment = (over: Partial<NewLedgerEntry> = {}): NewLedgerEntry => {
    const charge = newStripeId('ch_');
    return {
      idempotencyKey: `payment:${charge}`,
      kind: 'payment',
      type: 'donation',
      channel: 'online',
      method: 'card',
      gross: 2500,
      fee: 73,
      currency: 'aud',
      stripeChargeId: charge,
      occurredAt: new Date('2026-03-01T10:00:00Z'),
      ...over,
    };
  };
  const rowsOf = (chargeId: string) =>
    t.query<{ kind: string; gross: string; fee: string; net: string; currency: string }>(
      `SELECT kind, gross, fee, net, currency FROM ledger_entries WHERE stripe_charge_id = $1 ORDER BY id`,
      [chargeId],
    );

  it('records an entry (net = gross − fee, currency upper-case) and answers it as written', async () => {
    const entry = payment();
    const result = await ledger.record(entry);
    expect(result.created).toBe(true);
    expect(result.entry).toMatchObject({ gross: 2500, fee: 73, net: 2427, currency: 'AUD', kind: 'payment' });
    expect(result.entry?.id).toMatch(/^\d+$/);
    expect(await rowsOf(entry.stripeChargeId!)).toEqual([
      { kind: 'payment', gross: '2500', fee: '73', net: '2427', currency: 'AUD' },
    ]);
  });

  it('the same movement again, even 10 at once, writes nothing more', async () => {
    const entry = payment();
    const results = await Promise.all(Array.from({ length: 10 }, () => ledger.record(entry)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.filter((r) => !r.created).every((r) => r.entry === null)).toBe(true);
    expect(await rowsOf(entry.stripeChargeId!)).toHaveLength(1);
  });

  it('each Stripe id is recorded once under any key: payment per charge and per invoice, balance transaction, refund, dispute', async () => {
    const first = payment({ stripeInvoiceId: newStripeId('in_'), stripeBalanceTransactionId: newStripeId('txn_') });
    expect((await ledger.record(first)).created).toBe(true);
    const otherKey = (over: Partial<NewLedgerEntry>) =>
      ledger.record({ ...first, idempotencyKey: newStripeId('k_'), ...over });
    // The same charge, invoice or balance transaction under another key: nothing.
    expect((await otherKey({ stripeInvoiceId: null, stripeBalanceTransactionId: null })).created).toBe(false);
    expect((await otherKey({ stripeChargeId: newStripeId('ch_'), stripeBalanceTransactionId: null })).created).toBe(
      false,
    );
    expect(
      (
        await otherKey({
          kind: 'fee',
          gross: 0,
          stripeChargeId: newStripeId('ch_'),
          stripeInvoiceId: null,
        })
      ).created,
    ).toBe(false);
    // A refund and a dispute (with its reversal, another kind) of that charge, each once.
    const refund = {
      kind: 'refund' as const,
      gross: -500,
      fee: 0,
      stripeInvoiceId: null,
      stripeBalanceTransactionId: null,
    };
    const refundId = newStripeId('re_');
    expect((await otherKey({ ...refund, stripeRefundId: refundId })).created).toBe(true);
    expect((await otherKey({ ...refund, stripeRefundId: refundId })).created).toBe(false);
    const disputeId = newStripeId('dp_');
    const dispute = { ...refund, kind: 'dispute' as const, gross: -2500, stripeDisputeId: disputeId };
    expect((await otherKey(dispute)).created).toBe(true);
    expect((await otherKey(dispute)).created).toBe(false);
    expect((await otherKey({ ...dispute, kind: 'dispute_reversal', gross: 2500 })).created).toBe(true);
    expect((await rowsOf(first.stripeChargeId!)).map((r) => r.kind)).toEqual([
      'payment',
      'refund',
      'dispute',
      'dispute_reversal',
    ]);
  });

  it('a payment with a known fee carries it; without, a separate fee entry follows once', async () => {
    const known = payment({ fee: 0 });
    const txn = { id: newStripeId('txn_'), fee: 73, currency: 'aud', created: 1_772_000_000 };
    const { fee: _fee, kind: _kind, stripeBalanceTransactionId: _txn, ...withoutFee } = known;
    const withFee = await t.dataSource.transaction((m) => ledger.recordPayment(withoutFee, txn, m));
    expect(withFee.outcomes).toEqual([`recorded payment ${known.idempotencyKey} 2500 aud fee 73`]);
    expect(await rowsOf(known.stripeChargeId!)).toEqual([
      { kind: 'payment', gross: '2500', fee: '73', net: '2427', currency: 'AUD' },
    ]);
    expect(await ledger.chargeFeeRecorded(known.stripeChargeId!)).toBe(true);

    const { fee: _f, kind: _k, stripeBalanceTransactionId: _t, ...later } = payment();
    const pending = await t.dataSource.transaction((m) => ledger.recordPayment(later, null, m));
    expect(pending.outcomes).toEqual([`recorded payment ${later.idempotencyKey} 2500 aud, fee pending`]);
    expect(await ledger.chargeFeeRecorded(later.stripeChargeId!)).toBe(false);
    const lateTxn = { id: newStripeId('txn_'), fee: 73, currency: 'aud', created: 1_772_000_100 };
    const fee = () => t.dataSource.transaction((m) => ledger.recordFee(pending.payment, lateTxn, null, m));
    expect(await fee()).toBe(`recorded fee 73 AUD for ${later.stripeChargeId}`);
    expect(await fee()).toBeNull();
    expect(await rowsOf(later.stripeChargeId!)).toEqual([
      { kind: 'payment', gross: '2500', fee: '0', net: '2500', currency: 'AUD' },
      { kind: 'fee', gross: '0', fee: '73', net: '-73', currency: 'AUD' },
    ]);
    expect(await ledger.chargeFeeRecorded(later.stripeChargeId!)).toBe(true);
  });

  it('a fee settled in another currency is its own entry in that currency, with the exchange rate', async () => {
    const { fee: _fee, kind: _kind, stripeBalanceTransactionId: _txn, ...entry } = payment();
    const txn = { id: newStripeId('txn_'), fee: 51, currency: 'usd', created: 1_772_000_000, exchange_rate: 0.65 };
    const { outcomes } = await t.dataSource.transaction((m) => ledger.recordPayment(entry, txn, m));
    expect(outcomes).toEqual([
      `recorded payment ${entry.idempotencyKey} 2500 aud, fee pending`,
      `recorded fee 51 USD for ${entry.stripeChargeId} (settled at 0.65)`,
    ]);
    const rows = await t.query<{ kind: string; fee: string; currency: string; exchange_rate: string | null }>(
      `SELECT kind, fee, currency, exchange_rate::text FROM ledger_entries WHERE stripe_charge_id = $1 ORDER BY id`,
      [entry.stripeChargeId],
    );
    expect(rows).toEqual([
      { kind: 'payment', fee: '0', currency: 'AUD', exchange_rate: null },
      { kind: 'fee', fee: '51', currency: 'USD', exchange_rate: '0.65' },
    ]);
  });

  it('reads what is recorded: refunded amount (less failed refunds), refunds, the payment of a charge', async () => {
    const paid = payment();
    const { entry } = await ledger.record(paid);
    const refundId = newStripeId('re_');
    const refund = {
      ...paid,
      idempotencyKey: `refund:${refundId}`,
      kind: 'refund' as const,
      gross: -1000,
      fee: 0,
      stripeRefundId: refundId,
      reversesEntryId: entry!.id,
    };
    await ledger.record(refund);
    expect(await ledger.refundedAmount(paid.stripeChargeId!)).toBe(1000);
    expect(await ledger.refundRecorded(refundId)).toBe(true);
    expect(await ledger.refundFailureRecorded(refundId)).toBe(false);
    await ledger.record({
      ...refund,
      idempotencyKey: `refund_failure:${refundId}`,
      kind: 'refund_failure',
      gross: 1000,
    });
    expect(await ledger.refundFailureRecorded(refundId)).toBe(true);
    expect(await ledger.refundedAmount(paid.stripeChargeId!)).toBe(0);
    expect(await ledger.findPaymentByCharge(paid.stripeChargeId!)).toMatchObject({
      id: entry!.id,
      gross: 2500,
      fee: 73,
      net: 2427,
    });
    expect(await ledger.findPaymentByCharge(newStripeId('ch_'))).toBeNull();
  });

  it('amounts must be integer minor units; the database refuses a payment of nothing and a positive refund', async () => {
    await expect(ledger.record(payment({ gross: 12.5 }))).rejects.toThrow(
      /gross must be a safe integer of minor units/,
    );
    await expect(ledger.record(payment({ fee: Number.MAX_SAFE_INTEGER + 2 }))).rejects.toThrow(
      /fee must be a safe integer of minor units/,
    );
    await expect(ledger.record(payment({ gross: 0, fee: 0 }))).rejects.toMatchObject({
      constraint: 'ledger_payment_positive',
    });
    await expect(
      ledger.record(payment({ kind: 'refund', gross: 500, fee: 0, stripeRefundId: newStripeId('re_') })),
    ).rejects.toMatchObject({ constraint: 'ledger_outflows_negative' });
  });

  it('no row is ever changed or removed: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const entry = payment();
    await ledger.record(entry);
    const [{ n }] = await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries`);
    for (const statement of [
      `UPDATE ledger_entries SET gross = 1 WHERE stripe_charge_id = '${entry.stripeChargeId}'`,
      `DELETE FROM ledger_entries WHERE stripe_charge_id = '${entry.stripeChargeId}'`,
      `TRUNCATE ledger_entries`,
      `TRUNCATE ledger_entries CASCADE`,
    ]) {
      // Plain TRUNCATE meets the foreign keys first (offline_subscription_periods references entries);
      // with CASCADE it reaches the ledger's own TRUNCATE trigger. Refused either way.
      await expect(t.query(statement)).rejects.toThrow(
        statement === 'TRUNCATE ledger_entries'
          ? /ledger_entries is append-only: TRUNCATE is not allowed|cannot truncate a table referenced in a foreign key constraint/
          : /ledger_entries is append-only: (UPDATE|DELETE|TRUNCATE) is not allowed/,
      );
    }
    expect((await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries`))[0].n).toBe(n);
    expect(await rowsOf(entry.stripeChargeId!)).toEqual([
      { kind: 'payment', gross: '2500', fee: '73', net: '2427', currency: 'AUD' },
    ]);
  });
});
