import type { HttpResult } from './http-result';

const TTL_MS = 24 * 60 * 60 * 1000;
/** The SDK keys every POST, so keep memory bounded: the oldest results go first. */
const MAX_ENTRIES = 10_000;

interface Entry {
  fingerprint: string;
  result: HttpResult;
  requestId: string;
  savedAt: number;
}

export type IdempotencyLookup =
  { kind: 'replay'; result: HttpResult; originalRequestId: string } | { kind: 'mismatch' } | { kind: 'new' };

/**
 * Stripe's `Idempotency-Key`: the first response to a key is replayed for 24 hours to requests
 * with the same key and the same parameters; the same key with other parameters is refused.
 * The 24 hours are the simulator's time (`now`, ms): advancing its clock a day forgets the keys,
 * as Stripe does.
 */
export class IdempotencyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  lookup(scope: string, key: string, fingerprint: string): IdempotencyLookup {
    const entry = this.entries.get(`${scope}\u0000${key}`);
    if (!entry || this.now() - entry.savedAt >= TTL_MS) return { kind: 'new' };
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    return { kind: 'replay', result: entry.result, originalRequestId: entry.requestId };
  }

  save(scope: string, key: string, fingerprint: string, requestId: string, result: HttpResult): void {
    const now = this.now();
    this.entries.delete(`${scope}\u0000${key}`);
    this.entries.set(`${scope}\u0000${key}`, { fingerprint, result, requestId, savedAt: now });
    // Map order is insertion order, i.e. oldest first.
    for (const [k, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && now - entry.savedAt < TTL_MS) break;
      this.entries.delete(k);
    }
  }
}

/** What makes two requests "the same": method, path and the parameters in any order. */
export function requestFingerprint(method: string, path: string, body: string): string {
  const pairs = body.split('&').filter(Boolean).sort();
  return `${method} ${path}?${pairs.join('&')}`;
}
