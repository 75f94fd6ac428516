/**
 * When a failed webhook event is tried again: pure functions, no clock and no database (the
 * worker applies what they answer; see `retry-policy.spec.ts`).
 */

/** Longest wait between two attempts. */
const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * Thrown by a handler when an event cannot be applied before another one is (a refund before its
 * payment): the first two retries come after `retryAfterMs` and twice that, then the usual backoff.
 */
export class RetrySoonError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs = 250,
  ) {
    super(message);
    this.name = 'RetrySoonError';
  }
}

/** Backoff after the n-th failed attempt: base, 2×base, 4×base … capped at an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(attempts - 1, 0), MAX_RETRY_DELAY_MS);
}

export interface RetryPlan {
  /** A "not yet" retried soon (logged at warn: expected when events race); else a failure (error). */
  soon: boolean;
  /** Wait before the next attempt. */
  delayMs: number;
  /** The last attempt failed: the event waits for a replay (next attempt 'infinity'). */
  parked: boolean;
}

/**
 * What follows the `attempts`-th failed attempt of an event that failed with `err` (a failure
 * that may change: permanent answers are settled before this is asked). "Not yet"
 * (`RetrySoonError`) is retried after its own short delay twice, then continues on the usual
 * schedule from its start; anything else backs off from `baseMs`. After `maxAttempts` the
 * event is parked.
 */
export function planRetry(err: unknown, attempts: number, policy: { baseMs: number; maxAttempts: number }): RetryPlan {
  const notYet = err instanceof RetrySoonError;
  const soon = notYet && attempts <= 2;
  const delayMs = soon ? err.retryAfterMs * attempts : retryDelayMs(notYet ? attempts - 2 : attempts, policy.baseMs);
  return { soon, delayMs, parked: attempts >= policy.maxAttempts };
}

/** The failure as kept on the event's row (`last_error`). */
export function failureMessage(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
