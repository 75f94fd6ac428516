import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';

/**
 * Applies an event's effects inside the processing transaction; returns a short outcome
 * ("recorded payment ...", "ignored: ...") kept on the inbox row.
 */
export type ApplyEffects = (manager: EntityManager) => Promise<string>;

/** Effects that write nothing: the event is acknowledged as not concerning this handler. */
export const ignoreEvent = (why: string): ApplyEffects => async () => `ignored: ${why}`;

/**
 * A feature's reaction to some Stripe event types. `prepare` may talk to Stripe (re-fetching the
 * current object where order matters) but must not write; it returns the writes to apply, which
 * run in one transaction with marking the event processed. Effects must be idempotent: the same
 * event may be prepared and applied more than once (redelivery, replay, a crash between steps).
 */
export interface StripeWebhookHandler {
  readonly eventTypes: readonly string[];
  prepare(event: Stripe.Event): Promise<ApplyEffects>;
}
