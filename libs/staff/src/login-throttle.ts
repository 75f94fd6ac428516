/**
 * The sign-in throttle, per process (with several instances each counts its own).
 *
 * - **Per address**: `addressMaxFailures` failed sign-ins within `maxLockMs` (a sliding window)
 *   stop every sign-in from that address until the oldest of them ages out.
 * - **Per account**: from the `accountMaxFailures`-th failure on, the account is locked for a
 *   short window that doubles with each further failure (30 s, 1 min, 2 min, … at most
 *   `maxLockMs`), and its count is forgotten after a quiet `maxLockMs` past the last lock. A
 *   lock never outlasts `maxLockMs` after the last failure: a stranger cannot lock anyone out
 *   for good, only slow down their own guessing.
 * - While an account is locked, the lock does not apply to an address that is not failing:
 *   one that signed in to this account before (a known address, remembered `knownAddressMs`)
 *   always gets its try; any other clean address too, until `accountMaxFailures` of them have
 *   failed during this lock (so a botnet of fresh addresses gets a handful of extra guesses
 *   per lock, not one per address). A failing address stays refused.
 * - Memory is bounded: each map holds at most `maxEntries` keys, the least recently touched
 *   dropped first, and entries that no longer matter are dropped when next seen and by a sweep.
 */
export interface LoginThrottleOptions {
  accountMaxFailures: number;
  addressMaxFailures: number;
  /** the longest lock, and the window failures are counted in */
  maxLockMs: number;
  /** the first lock; doubles from there */
  baseLockMs?: number;
  knownAddressMs?: number;
  maxEntries?: number;
  now?: () => number;
}

interface AccountState {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
  /** failures from clean, unknown addresses while locked */
  bypassFailures: number;
}

/** A Map that keeps at most `max` keys, dropping the least recently set first. */
class BoundedMap<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get size(): number {
    return this.map.size;
  }
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  /** Drops every entry `expired` says is over. */
  sweep(expired: (value: V) => boolean): void {
    for (const [key, value] of this.map) if (expired(value)) this.map.delete(key);
  }
}

export class LoginThrottle {
  private readonly accounts: BoundedMap<AccountState>;
  private readonly addresses: BoundedMap<number[]>;
  private readonly known: BoundedMap<number>;
  private readonly baseLockMs: number;
  private readonly knownAddressMs: number;
  private readonly now: () => number;
  private lastSweep = 0;

  constructor(private readonly o: LoginThrottleOptions) {
    const max = o.maxEntries ?? 10_000;
    this.accounts = new BoundedMap(max);
    this.addresses = new BoundedMap(max);
    this.known = new BoundedMap(max);
    this.baseLockMs = Math.min(o.baseLockMs ?? 30_000, o.maxLockMs);
    this.knownAddressMs = o.knownAddressMs ?? 30 * 24 * 3600_000;
    this.now = o.now ?? Date.now;
  }

  /** Entries held, for tests and metrics. */
  get size(): { accounts: number; addresses: number; known: number } {
    return { accounts: this.accounts.size, addresses: this.addresses.size, known: this.known.size };
  }

  /** Seconds to wait before this account may be tried from this address, or 0. */
  retryAfter(email: string, address: string): number {
    const now = this.now();
    this.maybeSweep(now);
    let waitMs = 0;
    const failing = this.addressFailures(address, now);
    if (failing.length >= this.o.addressMaxFailures) waitMs = failing[0] + this.o.maxLockMs - now;
    const account = this.account(email, now);
    if (account && account.lockedUntil > now && !this.bypasses(account, email, address, failing.length, now)) {
      waitMs = Math.max(waitMs, account.lockedUntil - now);
    }
    return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
  }

  /** A failed sign-in (or a wrong current password) for this account from this address. */
  failed(email: string, address: string): void {
    const now = this.now();
    const failing = this.addressFailures(address, now);
    const account = this.account(email, now) ?? { failures: 0, lastFailureAt: 0, lockedUntil: 0, bypassFailures: 0 };
    if (account.lockedUntil > now) {
      // A failure that got past the lock: only clean, unknown addresses spend the shared allowance.
      if (!this.isKnown(email, address, now)) account.bypassFailures += 1;
    } else {
      account.bypassFailures = 0;
    }
    account.failures += 1;
    account.lastFailureAt = now;
    if (account.failures >= this.o.accountMaxFailures) {
      const doublings = Math.min(account.failures - this.o.accountMaxFailures, 30);
      account.lockedUntil = Math.max(
        account.lockedUntil,
        now + Math.min(this.baseLockMs * 2 ** doublings, this.o.maxLockMs),
      );
    }
    this.accounts.set(this.accountKey(email), account);
    this.addresses.set(address, [...failing, now].slice(-this.o.addressMaxFailures));
  }

  /**
   * A successful sign-in: the address is known for the account, and the account's failures are
   * forgotten, unless it is locked (the owner got past someone else's lock: the lock stays on them).
   */
  succeeded(email: string, address: string): void {
    const now = this.now();
    const account = this.account(email, now);
    if (!account || account.lockedUntil <= now) this.accounts.delete(this.accountKey(email));
    this.known.set(`${this.accountKey(email)} ${address}`, now);
  }

  /** An administrator reset the password: the account starts afresh. */
  reset(email: string): void {
    this.accounts.delete(this.accountKey(email));
  }

  private bypasses(
    account: AccountState,
    email: string,
    address: string,
    addressFailures: number,
    now: number,
  ): boolean {
    if (addressFailures > 0) return false;
    if (this.isKnown(email, address, now)) return true;
    return account.bypassFailures < this.o.accountMaxFailures;
  }

  private isKnown(email: string, address: string, now: number): boolean {
    const key = `${this.accountKey(email)} ${address}`;
    const at = this.known.get(key);
    if (at === undefined) return false;
    if (now - at > this.knownAddressMs) {
      this.known.delete(key);
      return false;
    }
    return true;
  }

  private account(email: string, now: number): AccountState | undefined {
    const key = this.accountKey(email);
    const account = this.accounts.get(key);
    if (account && this.accountOver(account, now)) {
      this.accounts.delete(key);
      return undefined;
    }
    return account;
  }

  private accountOver(a: AccountState, now: number): boolean {
    return now - Math.max(a.lastFailureAt, a.lockedUntil) >= this.o.maxLockMs;
  }

  private addressFailures(address: string, now: number): number[] {
    const all = this.addresses.get(address);
    if (!all) return [];
    const recent = all.filter((t) => now - t < this.o.maxLockMs);
    if (!recent.length) this.addresses.delete(address);
    return recent;
  }

  private accountKey(email: string): string {
    return email.toLowerCase();
  }

  /** At most once per window, drop everything that no longer matters. */
  private maybeSweep(now: number): void {
    if (now - this.lastSweep < this.o.maxLockMs) return;
    this.lastSweep = now;
    this.accounts.sweep((a) => this.accountOver(a, now));
    this.addresses.sweep((times) => now - times[times.length - 1] >= this.o.maxLockMs);
    this.known.sweep((at) => now - at > this.knownAddressMs);
  }
}
