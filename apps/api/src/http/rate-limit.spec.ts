import { SlidingWindowLimiter } from './rate-limit';

describe('SlidingWindowLimiter', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows `limit` hits in any window, then answers the seconds until the oldest leaves it', () => {
    const l = new SlidingWindowLimiter(3, 60_000, 100, clock);
    expect(l.hit('a')).toBe(0);
    now += 10_000;
    expect(l.hit('a')).toBe(0);
    expect(l.hit('a')).toBe(0);
    expect(l.hit('a')).toBe(50); // the first hit leaves the window 50 s from now
    expect(l.hit('b')).toBe(0); // keys are independent
    now += 49_000;
    expect(l.hit('a')).toBe(1);
    now += 1_000; // the first hit has left: exactly one more is allowed
    expect(l.hit('a')).toBe(0);
    expect(l.hit('a')).toBeGreaterThan(0);
  });

  it('does not count refused hits (a client that keeps knocking is not locked out for ever)', () => {
    const l = new SlidingWindowLimiter(2, 60_000, 100, clock);
    l.hit('a');
    l.hit('a');
    for (let i = 0; i < 100; i++) {
      now += 500;
      expect(l.hit('a')).toBeGreaterThan(0);
    }
    now = 1_000_000 + 60_001;
    expect(l.hit('a')).toBe(0);
  });

  it('evicts idle keys as requests come in, and never holds more than maxKeys', () => {
    const l = new SlidingWindowLimiter(5, 60_000, 1000, clock);
    for (let i = 0; i < 500; i++) l.hit(`ip${i}`);
    expect(l.size).toBe(500);
    now += 61_000;
    l.hit('late');
    expect(l.size).toBe(1);
    for (let i = 0; i < 5000; i++) l.hit(`flood${i}`);
    expect(l.size).toBe(1000);
  });
});
