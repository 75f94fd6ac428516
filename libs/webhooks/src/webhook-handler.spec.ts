import Stripe from 'stripe';
import { DomainError } from '@app/common';
import { notOurs, permanentOutcome } from './webhook-handler';

describe('permanentOutcome: what is settled at once, what is retried', () => {
  const raw = (Type: new (raw: Record<string, unknown>) => Error, raw: Record<string, unknown>) => new Type(raw);

  it("Stripe's resource_missing (raw, or wrapped by the gateway) and a handler's PermanentOutcome settle", () => {
    expect(
      permanentOutcome(
        raw(Stripe.errors.StripeInvalidRequestError, {
          message: "No such dispute: 'dp_1'",
          code: 'resource_missing',
          statusCode: 404,
        }),
      ),
    ).toBe("no longer on Stripe: No such dispute: 'dp_1'");
    const wrapped = new DomainError(
      'PAYMENT_PROVIDER_UNAVAILABLE',
      'the payment provider refused the request',
      undefined,
      {
        stripeError: 'StripeInvalidRequestError',
        stripeCode: 'resource_missing',
        stripeMessage: "No such subscription: 'sub_1'",
      },
    );
    expect(permanentOutcome(wrapped)).toBe("no longer on Stripe: No such subscription: 'sub_1'");
    expect(permanentOutcome(notOurs('charge ch_1 was not made through one of our checkouts'))).toBe(
      'not ours: charge ch_1 was not made through one of our checkouts',
    );
  });

  it('network errors, Stripe 5xx and 429, other refusals, lock and statement timeouts and anything else are retried', () => {
    expect(permanentOutcome(raw(Stripe.errors.StripeConnectionError, { message: 'ECONNRESET' }))).toBeNull();
    expect(permanentOutcome(raw(Stripe.errors.StripeAPIError, { message: 'boom', statusCode: 500 }))).toBeNull();
    expect(
      permanentOutcome(
        raw(Stripe.errors.StripeRateLimitError, { message: 'slow down', statusCode: 429, code: 'rate_limit' }),
      ),
    ).toBeNull();
    expect(
      permanentOutcome(
        raw(Stripe.errors.StripeInvalidRequestError, {
          message: 'Invalid integer',
          code: 'parameter_invalid_integer',
          statusCode: 400,
        }),
      ),
    ).toBeNull();
    expect(
      permanentOutcome(
        new DomainError('PAYMENT_PROVIDER_UNAVAILABLE', 'unavailable', undefined, {
          stripeError: 'StripeConnectionError',
          stripeCode: null,
        }),
      ),
    ).toBeNull();
    expect(
      permanentOutcome(Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' })),
    ).toBeNull();
    expect(
      permanentOutcome(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })),
    ).toBeNull();
    expect(permanentOutcome(new Error('unexpected'))).toBeNull();
    expect(permanentOutcome(undefined)).toBeNull();
  });
});
