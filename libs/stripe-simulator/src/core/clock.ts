/** Longest delay node's setTimeout accepts. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface Alarm {
  at: number;
  label: string;
  fire: () => void;
}

/**
 * The simulated time, in unix seconds: real time plus an offset that tests can advance
 * (to expire sessions now, or later to renew subscriptions without waiting a month).
 *
 * Alarms fire when simulated time reaches them, either by real time passing or by
 * `advance()`. They are not "pending work" for `idle()`: a session that expires in 24 hours
 * must not keep a test waiting.
 */
export class Clock {
  private offsetSeconds = 0;
  /** While an alarm fires: the simulated time, exactly (real seconds may tick meanwhile). */
  private pinned: number | undefined;
  private alarms: Alarm[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly onError: (label: string, err: unknown) => void = () => undefined,
    /** Called after each alarm fired (what it changed may need saving). */
    private readonly onFired: () => void = () => undefined,
  ) {}

  /** Simulated now, unix seconds. */
  now(): number {
    return this.pinned ?? realSeconds() + this.offsetSeconds;
  }

  get offset(): number {
    return this.offsetSeconds;
  }

  /** Sets the offset of a restored simulator, before any alarm is set. */
  restoreOffset(seconds: number): void {
    if (!Number.isInteger(seconds) || seconds < 0) throw new RangeError('offset must be a non-negative integer');
    if (this.alarms.length > 0) throw new Error('restoreOffset must come before any alarm');
    this.offsetSeconds = seconds;
  }

  /**
   * Moves simulated time forward and fires every alarm that became due, in order of their time.
   * While an alarm fires, `now()` is the alarm's time (not the end of the jump), so that what it
   * creates is stamped when it happened and the alarms it sets on the way (a subscription's next
   * renewal) fire in the same jump: advancing three months renews a monthly subscription three
   * times, each at its own date.
   */
  advance(seconds: number): number {
    if (!Number.isInteger(seconds) || seconds < 0) throw new RangeError('seconds must be a non-negative integer');
    const finalOffset = this.offsetSeconds + seconds;
    const target = this.now() + seconds;
    let time = this.now();
    while (!this.closed && this.alarms.length > 0 && this.alarms[0].at <= target) {
      const alarm = this.alarms.shift()!;
      // Step simulated time to the alarm (never backwards).
      time = Math.max(time, alarm.at);
      this.fire(alarm, time);
    }
    this.offsetSeconds = finalOffset;
    this.fireDue();
    return this.now();
  }

  /** Runs `fire` once simulated time reaches `at` (unix seconds). Returns a cancel function. */
  at(at: number, label: string, fire: () => void): () => void {
    const alarm: Alarm = { at, label, fire };
    // After the alarms due at the same time (stable: first set, first fired).
    const index = this.alarms.findIndex((a) => a.at > at);
    this.alarms.splice(index < 0 ? this.alarms.length : index, 0, alarm);
    this.arm();
    return () => {
      this.alarms = this.alarms.filter((a) => a !== alarm);
      this.arm();
    };
  }

  close(): void {
    this.closed = true;
    this.alarms = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fireDue(): void {
    const now = this.now();
    while (!this.closed && this.alarms.length > 0 && this.alarms[0].at <= now) {
      this.fire(this.alarms.shift()!, now);
    }
    this.arm();
  }

  private fire(alarm: Alarm, time: number): void {
    const outer = this.pinned;
    this.pinned = time;
    try {
      alarm.fire();
    } catch (err) {
      this.onError(alarm.label, err);
    } finally {
      this.pinned = outer;
      this.onFired();
    }
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed || this.alarms.length === 0) return;
    const delayMs = Math.min(
      Math.max(0, this.alarms[0].at * 1000 - (Date.now() + this.offsetSeconds * 1000)),
      MAX_TIMEOUT_MS,
    );
    this.timer = setTimeout(() => this.fireDue(), delayMs);
    // Alarms alone never keep the process alive (the HTTP server does that).
    this.timer.unref();
  }
}

function realSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
