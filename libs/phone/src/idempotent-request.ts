import { DomainError } from '@app/common';

/**
 * The checks every stored staff request shares before its answer is replayed: a row must exist
 * (none: its first attempt just failed, or is still being processed) and carry the same body's
 * hash (another body under the same key is refused).
 */
export function assertSameRequest<T extends { request_hash: string }>(
  row: T | undefined,
  hash: string,
): asserts row is T {
  if (!row) {
    throw new DomainError(
      'IDEMPOTENCY_REQUEST_IN_PROGRESS',
      'a request with this Idempotency-Key just failed or is being processed; retry',
      'Idempotency-Key',
      undefined,
      1,
    );
  }
  if (row.request_hash !== hash) {
    throw new DomainError(
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was used for a different request',
      'Idempotency-Key',
    );
  }
}

/** Canonical JSON (sorted keys, undefined left out) so that the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
