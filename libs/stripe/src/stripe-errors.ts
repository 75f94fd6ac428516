/**
 * What Stripe's errors mean to a caller that must tell "never" from "not now". Stripe knowledge
 * stays in this lib: the webhook inbox asks `missingOnStripe` rather than reading Stripe's codes.
 */

/**
 * Stripe's `resource_missing` (404: no such charge, dispute, subscription…), which never changes:
 * its message, or null for any other failure. Takes Stripe's own error, or the gateway's
 * `DomainError`, which carries Stripe's code and message in its details.
 */
export function missingOnStripe(err: unknown): string | null {
  const e = err as {
    code?: unknown;
    type?: unknown;
    statusCode?: unknown;
    details?: { stripeCode?: unknown; stripeMessage?: unknown } | null;
    message?: unknown;
  } | null;
  if (!e || typeof e !== 'object') return null;
  const missing =
    e.details?.stripeCode === 'resource_missing' ||
    (e.code === 'resource_missing' && (e.type === 'StripeInvalidRequestError' || e.statusCode === 404));
  if (!missing) return null;
  if (typeof e.details?.stripeMessage === 'string') return e.details.stripeMessage;
  return typeof e.message === 'string' ? e.message : 'resource_missing';
}
