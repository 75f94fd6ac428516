import { jsonResult } from './http-result';
import { IdempotencyCache } from './idempotency';

describe('IdempotencyCache', () => {
  it('replays a key for 24 hours of the given clock, then forgets it (as Stripe does)', () => {
    let now = 1_000_000;
    const cache = new IdempotencyCache(() => now);
    const result = jsonResult(200, { id: 're_1' });
    cache.save('sk_test_a', 'k1', 'POST /v1/refunds?charge=ch_1', 'req_1', result);
    expect(cache.lookup('sk_test_a', 'k1', 'POST /v1/refunds?charge=ch_1')).toMatchObject({
      kind: 'replay',
      originalRequestId: 'req_1',
    });
    expect(cache.lookup('sk_test_a', 'k1', 'POST /v1/refunds?charge=ch_2')).toEqual({ kind: 'mismatch' });
    now += 24 * 3600_000 - 1;
    expect(cache.lookup('sk_test_a', 'k1', 'POST /v1/refunds?charge=ch_1').kind).toBe('replay');
    now += 1;
    expect(cache.lookup('sk_test_a', 'k1', 'POST /v1/refunds?charge=ch_1')).toEqual({ kind: 'new' });
  });
});
