import type Stripe from 'stripe';
import { DomainError } from '@app/common';

/** The last second PostgreSQL's timestamps (and Stripe's) can hold: 9999-12-31T23:59:59Z. */
const MAX_CREATED = 253_402_300_799;

/**
 * A verified webhook body is still only stored if it has an event's shape: an `evt_…` id, a
 * type, a `created` time a timestamp can hold, and `data.object`. Anything else is a 400 naming
 * the body (WEBHOOK_PAYLOAD_INVALID).
 */
export function assertStripeEventShape(event: Stripe.Event): void {
  const e = event as unknown as Record<string, unknown> | null;
  const ok =
    typeof e === 'object' &&
    e !== null &&
    !Array.isArray(e) &&
    typeof e.id === 'string' &&
    /^evt_[A-Za-z0-9_]{1,250}$/.test(e.id) &&
    typeof e.type === 'string' &&
    /^[a-z0-9_.]{1,100}$/.test(e.type) &&
    Number.isSafeInteger(e.created) &&
    (e.created as number) > 0 &&
    (e.created as number) <= MAX_CREATED &&
    typeof e.data === 'object' &&
    e.data !== null &&
    typeof (e.data as Record<string, unknown>).object === 'object' &&
    (e.data as Record<string, unknown>).object !== null;
  if (!ok) {
    throw new DomainError(
      'WEBHOOK_PAYLOAD_INVALID',
      'the signed body is not a Stripe event (id evt_…, type, created, data.object)',
      'body',
    );
  }
}
