import { failureMessage, planRetry, retryDelayMs, RetrySoonError } from './retry-policy';

describe('retry policy', () => {
  const policy = { baseMs: 5000, maxAttempts: 25 };

  it('backs off from the base, doubling, capped at an hour', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 5000))).toEqual([5000, 10000, 20000, 40000]);
    expect(retryDelayMs(0, 5000)).toBe(5000);
    expect(retryDelayMs(20, 5000)).toBe(3_600_000);
    expect(retryDelayMs(2000, 5000)).toBe(3_600_000);
  });

  it('an unexpected failure backs off on the usual schedule', () => {
    expect(planRetry(new Error('boom'), 1, policy)).toEqual({ soon: false, delayMs: 5000, parked: false });
    expect(planRetry(new Error('boom'), 3, policy)).toEqual({ soon: false, delayMs: 20000, parked: false });
    expect(planRetry('not even an Error', 2, policy)).toEqual({ soon: false, delayMs: 10000, parked: false });
  });

  it('"not yet" is retried after its own delay, then twice that, then from the start of the usual schedule', () => {
    const notYet = new RetrySoonError('payment not recorded yet');
    expect(planRetry(notYet, 1, policy)).toEqual({ soon: true, delayMs: 250, parked: false });
    expect(planRetry(notYet, 2, policy)).toEqual({ soon: true, delayMs: 500, parked: false });
    expect(planRetry(notYet, 3, policy)).toEqual({ soon: false, delayMs: 5000, parked: false });
    expect(planRetry(notYet, 4, policy)).toEqual({ soon: false, delayMs: 10000, parked: false });
    expect(planRetry(new RetrySoonError('later', 100), 2, policy)).toMatchObject({ soon: true, delayMs: 200 });
  });

  it('the last attempt parks the event, whatever the failure', () => {
    expect(planRetry(new Error('boom'), 24, policy).parked).toBe(false);
    expect(planRetry(new Error('boom'), 25, policy).parked).toBe(true);
    expect(planRetry(new RetrySoonError('x'), 2, { baseMs: 10, maxAttempts: 2 })).toEqual({
      soon: true,
      delayMs: 500,
      parked: true,
    });
  });

  it('keeps the error name with its message', () => {
    expect(failureMessage(new RetrySoonError('payment not recorded yet'))).toBe(
      'RetrySoonError: payment not recorded yet',
    );
    expect(failureMessage(new TypeError('x is undefined'))).toBe('TypeError: x is undefined');
    expect(failureMessage(42)).toBe('42');
  });
});
