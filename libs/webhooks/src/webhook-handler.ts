import type Stripe from 'stripe';
import type { EntityManager } from 'typeorm';
import { missingOnStripe } from '@app/stripe';

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
export const withOpening = (
  opening: string,
  apply: (manager: EntityManager, opened?: Array<Record<string, unknown>>) => Promise<string>,
): ApplyEffects => Object.assign(apply, { opening });

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
  /**
   * What the event is about, for ordering within one worker (`orderingKeys`): events with the
   * same key run one after another instead of side by side waiting for each other's locks. Only
   * an optimisation: the handlers' locks keep them correct across instances. Null or absent: no
   * ordering.
   */
  orderingKey?(event: Stripe.Event): string | null;
}

/** Ordering keys shared by the handlers: events about one checkout, or one charge, run in order. */
export const orderingKeys = {
  checkout: (checkoutId: unknown): string | null => (typeof checkoutId === 'string' ? `checkout:${checkoutId}` : null),
  charge: (chargeId: string | null): string | null => (chargeId === null ? null : `charge:${chargeId}`),
};

/**
 * Thrown by a handler (in `prepare` or inside its effects) when an event can never be applied,
 * however often it is tried: it concerns money this service never took ("not ours"), or an
 * object Stripe no longer has. The inbox settles the event at once with `outcome` (kept on its
 * row, logged at warn), rolls back whatever the effects had begun, and never retries it.
 */
export class PermanentOutcome extends Error {
  constructor(readonly outcome: string) {
    super(outcome);
    this.name = 'PermanentOutcome';
  }
}

/**
 * Thrown by a handler when what the event needs is not there yet but will be (a paid session
 * whose payment intent or charge Stripe has not attached yet): the event fails and is retried
 * on the usual schedule. Any other unexpected error is retried the same way; this one says that
 * the wait is expected. (For an event that must wait for another of ours, see `RetrySoonError`.)
 */
export class RetryLaterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/** Outcomes of events this service settles without effect because they are another integration's. */
export const notOurs = (why: string): PermanentOutcome => new PermanentOutcome(`not ours: ${why}`);

/**
 * What a failure means for the event, if it is permanent: the outcome to settle it with; null for
 * everything that may change and is retried (network errors, Stripe 5xx and 429, lock and
 * statement timeouts, a payment not recorded yet, and anything unexpected, which a fix may cure).
 * An object Stripe says it does not have (`missingOnStripe`: a deleted charge, dispute,
 * subscription…) never comes back.
 */
export function permanentOutcome(err: unknown): string | null {
  if (err instanceof PermanentOutcome) return err.outcome;
  const missing = missingOnStripe(err);
  return missing === null ? null : `no longer on Stripe: ${missing}`;
}
