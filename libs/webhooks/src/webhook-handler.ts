import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';

/**
 * Applies an event's effects inside the processing transaction; returns a short outcome
 * ("recorded payment ...", "ignored: ...") kept on the inbox row. When `outcome` is set there is
 * nothing to apply: the event is marked processed with that outcome and no transaction is opened.
 * `opening`, a statement without parameters (values in it must be validated literals), runs in
 * the same round trip as BEGIN, typically the row lock the effects start with; its rows are
 * passed as `opened`.
 */
export type ApplyEffects = ((manager: EntityManager, opened?: Array<Record<string, unknown>>) => Promise<string>) & {
  readonly outcome?: string;
  readonly opening?: string;
};

/** Effects whose first statement (`opening`) goes with BEGIN. */
export const withOpening = (opening: string, apply: (manager: EntityManager, opened?: Array<Record<string, unknown>>) => Promise<string>): ApplyEffects => Object.assign(apply, { opening });

/** Nothing to write: the event has no effect (yet) or its effects are already recorded. */
export const nothingToApply = (outcome: string): ApplyEffects => Object.assign(async () => outcome, { outcome });

/** Effects that write nothing: the event is acknowledged as not concerning this handler. */
export const ignoreEvent = (why: string): ApplyEffects => nothingToApply(`ignored: ${why}`);

/**
 * A feature's reaction to some Stripe event types. `prepare` may talk to Stripe (re-fetching the
 * current object where order matters) and read the database, but must not write; it returns the
 * writes to apply, which run in one transaction. Effects must be idempotent: the same event may
 * be prepared and applied more than once (redelivery, replay, a crash between applying and
 * marking the event processed).
 */
export interface StripeWebhookHandler {
  readonly eventTypes: readonly string[];
  prepare(event: Stripe.Event): Promise<ApplyEffects>;
}
