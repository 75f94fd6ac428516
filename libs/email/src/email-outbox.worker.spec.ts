import { emailRetryDelayMs, redactAddresses } from './email-outbox.worker';

describe('email outbox retries', () => {
  it('waits the base after the first failure, doubling each attempt, never more than an hour', () => {
    expect([1, 2, 3, 4, 5].map((n) => emailRetryDelayMs(n, 30_000))).toEqual([
      30_000, 60_000, 120_000, 240_000, 480_000,
    ]);
    expect(emailRetryDelayMs(8, 30_000)).toBe(3600_000);
    expect(emailRetryDelayMs(100, 30_000)).toBe(3600_000);
  });

  it('keeps addresses out of logged SMTP errors', () => {
    expect(redactAddresses('550 5.1.1 <reader@example.com>: Recipient address rejected')).toBe(
      '550 5.1.1 <[address]>: Recipient address rejected',
    );
  });
});
