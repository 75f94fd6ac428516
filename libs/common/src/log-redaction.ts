/**
 * Keeps secrets and personal data out of the logs. Request URLs carry them in their query
 * strings: the self-service link's `token` (it opens the reader's Stripe portal), the
 * entitlements `email`, the staff search `q`. Every query value in a log line is replaced by
 * `[REDACTED]` unless its parameter is one of the few known to be harmless (dates, ids of
 * payouts and checkouts, report options), so a parameter added later is redacted by default.
 */
export const REDACTED = '[REDACTED]';

/** Query parameters whose values may appear in logs as they are. */
const LOGGABLE_PARAMS = new Set([
  'at',
  'from',
  'to',
  'interval',
  'top',
  'year',
  'limit',
  'before',
  'payout',
  'checkout',
  'subscription',
]);

/** `?name=value` or `&name=value` anywhere in a text (a URL, a log line, JSON). */
const QUERY_PAIR = /([?&])([^=&#\s"'<>\\?]*)=([^&#\s"'<>\\]*)/g;

function paramName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** The text with the value of every query parameter not known to be harmless replaced by `[REDACTED]`. */
export function redactQuery(text: string): string {
  if (!text.includes('=')) return text;
  return text.replace(QUERY_PAIR, (pair, sep: string, name: string, value: string) =>
    !value || value === REDACTED || LOGGABLE_PARAMS.has(paramName(name)) ? pair : `${sep}${name}=${REDACTED}`,
  );
}

/** `redactQuery` applied to every string in a log message (objects and arrays copied, errors rebuilt). */
export function redactLogValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactQuery(value);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (Array.isArray(value)) return value.map((v) => redactLogValue(v, depth + 1));
  if (value instanceof Error) {
    const copy = new Error(redactQuery(value.message));
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : redactQuery(value.stack);
    return copy;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactLogValue(v, depth + 1)]));
}

/** A stream for pino (Fastify's logger) that writes each line to stdout with query values redacted. */
export const redactingStdout = {
  write(line: string): void {
    process.stdout.write(redactQuery(line));
  },
};
