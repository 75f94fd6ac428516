import { LedgerService } from '@app/ledger';
import { startTestApp, type TestContext } from './support/test-app';

describe('the ledger is append-only and refuses duplicates at the database', () => {
  let t: TestContext;
  let ledger: LedgerService;

  beforeAll(async () => {
    t = await startTestApp();
    ledger = t.app.get(LedgerService);
  });
  afterAll(async () => {
    await t?.close();
  });

  const entry = (over: Record<string, unknown> = {}) => ({
    idempotencyKey: 'payment:ch_test_1',
    kind: 'payment' as const,
    type: 'donation' as const,
    channel: 'online' as const,
    method: 'card',
    gross: 2500,
    fee: 73,
    currency: 'AUD',
    stripeChargeId: 'ch_test_1',
    occurredAt: new Date(),
    ...over,
  });

  it('20 concurrent writes of one movement leave one row', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => ledger.record(entry())));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await t.query<{ gross: string; fee: string; net: string }>(
      `SELECT gross, fee, net FROM ledger_entries WHERE stripe_charge_id = 'ch_test_1'`,
    );
    expect(rows).toEqual([{ gross: '2500', fee: '73', net: '2427' }]);
  });

  it('the same Stripe charge under another key is still refused by the unique index', async () => {
    const again = await ledger.record(entry({ idempotencyKey: 'payment:other-key' }));
    expect(again.created).toBe(false);
    const sameBalanceTxn = await ledger.record(
      entry({
        idempotencyKey: 'fee:x',
        kind: 'fee',
        gross: 0,
        stripeChargeId: 'ch_test_2',
        stripeBalanceTransactionId: 'txn_1',
      }),
    );
    expect(sameBalanceTxn.created).toBe(true);
    const feeTwice = await ledger.record(
      entry({
        idempotencyKey: 'fee:y',
        kind: 'fee',
        gross: 0,
        stripeChargeId: 'ch_test_3',
        stripeBalanceTransactionId: 'txn_1',
      }),
    );
    expect(feeTwice.created).toBe(false);
  });

  it('UPDATE and DELETE are refused: corrections are new rows', async () => {
    await expect(t.query(`UPDATE ledger_entries SET gross = 1 WHERE stripe_charge_id = 'ch_test_1'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(t.query(`DELETE FROM ledger_entries WHERE stripe_charge_id = 'ch_test_1'`)).rejects.toThrow(
      /append-only/,
    );
  });

  it('TRUNCATE is refused too: the ledger keeps its rows', async () => {
    const [{ n }] = await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries`);
    expect(n).toBeGreaterThan(0);
    // Plain TRUNCATE meets the foreign keys first (offline_subscription_periods references entries);
    // with CASCADE it reaches the ledger's own TRUNCATE trigger. Refused either way.
    await expect(t.query(`TRUNCATE ledger_entries`)).rejects.toThrow(
      /append-only: TRUNCATE is not allowed|cannot truncate a table referenced in a foreign key constraint/,
    );
    await expect(t.query(`TRUNCATE ledger_entries CASCADE`)).rejects.toThrow(/append-only: TRUNCATE is not allowed/);
    expect((await t.query<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entries`))[0].n).toBe(n);
  });

  it('money columns are bigint and amounts beyond 2^31 survive exactly', async () => {
    const big = 9_000_000_000_123;
    const r = await ledger.record(
      entry({ idempotencyKey: 'payment:big', stripeChargeId: 'ch_big', gross: big, fee: 0 }),
    );
    expect(r.entry?.gross).toBe(big);
    expect(typeof r.entry?.gross).toBe('number');
    await expect(
      ledger.record(entry({ idempotencyKey: 'payment:frac', stripeChargeId: 'ch_frac', gross: 10.5 })),
    ).rejects.toThrow(RangeError);
  });
});
