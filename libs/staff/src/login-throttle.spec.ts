import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  let now = 1_000_000;
  const minutes = (n: number) => n * 60_000;
  const make = (extra: Partial<ConstructorParameters<typeof LoginThrottle>[0]> = {}) =>
    new LoginThrottle({
      accountMaxFailures: 3,
      addressMaxFailures: 12,
      maxLockMs: minutes(15),
      now: () => now,
      ...extra,
    });
  beforeEach(() => {
    now = 1_000_000;
  });

  it('locks an account after N failures, for windows that double and stop at the maximum', () => {
    const t = make();
    for (let i = 0; i < 2; i++) t.failed('a@x.org', '10.0.0.1');
    expect(t.retryAfter('a@x.org', '10.0.0.1')).toBe(0);
    t.failed('a@x.org', '10.0.0.1');
    expect(t.retryAfter('a@x.org', '10.0.0.1')).toBe(30);
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      now += t.retryAfter('A@x.org', '10.0.0.1') * 1000; // wait out the lock, then fail again
      t.failed('a@x.org', '10.0.0.1');
      waits.push(t.retryAfter('a@x.org', '10.0.0.1'));
    }
    expect(waits).toEqual([60, 120, 240, 480, 900, 900, 900, 900]);
  });

  it('a lock ends within the maximum of the last failure: nobody is locked out for good', () => {
    const t = make();
    for (let i = 0; i < 50; i++) t.failed('a@x.org', '10.0.0.1');
    expect(t.retryAfter('a@x.org', '10.0.0.1')).toBe(900);
    now += minutes(15);
    expect(t.retryAfter('a@x.org', '10.0.0.1')).toBe(0);
    // and after a quiet window past the lock the count starts again from nothing
    now += minutes(15);
    t.failed('a@x.org', '10.0.0.1');
    expect(t.retryAfter('a@x.org', '10.0.0.1')).toBe(0);
  });

  it('the lock refuses the failing address but not a known one, nor a clean one', () => {
    const t = make();
    t.succeeded('staff@x.org', '192.0.2.10'); // the office, last week
    now += minutes(60 * 24 * 7);
    for (let i = 0; i < 3; i++) t.failed('staff@x.org', '203.0.113.66');
    expect(t.retryAfter('staff@x.org', '203.0.113.66')).toBeGreaterThan(0);
    expect(t.retryAfter('staff@x.org', '192.0.2.10')).toBe(0);
    expect(t.retryAfter('staff@x.org', '198.51.100.7')).toBe(0);
    // the owner getting in does not lift the lock from the attacker
    t.succeeded('staff@x.org', '198.51.100.7');
    expect(t.retryAfter('staff@x.org', '203.0.113.66')).toBeGreaterThan(0);
  });

  it('clean unknown addresses get only a few extra guesses per lock; known addresses still get in', () => {
    const t = make();
    t.succeeded('staff@x.org', '192.0.2.10');
    for (let i = 0; i < 3; i++) t.failed('staff@x.org', '203.0.113.66');
    for (let i = 0; i < 3; i++) {
      const bot = `198.51.100.${i}`;
      expect(t.retryAfter('staff@x.org', bot)).toBe(0);
      t.failed('staff@x.org', bot);
      expect(t.retryAfter('staff@x.org', bot)).toBeGreaterThan(0); // now a failing address
    }
    expect(t.retryAfter('staff@x.org', '198.51.100.200')).toBeGreaterThan(0);
    expect(t.retryAfter('staff@x.org', '192.0.2.10')).toBe(0);
  });

  it('one address failing on many accounts is stopped on every account', () => {
    const t = make();
    for (let i = 0; i < 12; i++) t.failed(`user${i}@x.org`, '203.0.113.66');
    expect(t.retryAfter('someone.else@x.org', '203.0.113.66')).toBe(900);
    expect(t.retryAfter('someone.else@x.org', '198.51.100.7')).toBe(0);
    now += minutes(15);
    expect(t.retryAfter('someone.else@x.org', '203.0.113.66')).toBe(0);
  });

  it('a success or an administrator reset clears the account', () => {
    const t = make();
    for (let i = 0; i < 3; i++) t.failed('a@x.org', '10.0.0.1');
    t.reset('a@x.org');
    expect(t.retryAfter('a@x.org', '10.0.0.2')).toBe(0);
    t.failed('a@x.org', '10.0.0.2');
    t.succeeded('a@x.org', '10.0.0.3');
    t.failed('a@x.org', '10.0.0.3');
    t.failed('a@x.org', '10.0.0.3');
    expect(t.retryAfter('a@x.org', '10.0.0.4')).toBe(0); // two failures since the success, not three
  });

  it('memory stays bounded whatever is tried: at most maxEntries per map, and expired entries swept', () => {
    const t = make({ maxEntries: 100 });
    for (let i = 0; i < 5000; i++) {
      t.failed(`spray${i}@x.org`, `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`);
      t.succeeded(`ok${i}@x.org`, `10.1.${(i >> 8) & 255}.${i & 255}`);
    }
    expect(t.size.accounts).toBeLessThanOrEqual(100);
    expect(t.size.addresses).toBeLessThanOrEqual(100);
    expect(t.size.known).toBeLessThanOrEqual(100);
    now += minutes(60 * 24 * 31);
    t.retryAfter('anyone@x.org', '10.9.9.9');
    expect(t.size).toEqual({ accounts: 0, addresses: 0, known: 0 });
  });
});
