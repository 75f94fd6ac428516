import Stripe from 'stripe';
import { DomainError } from '@app/common';
import { missingOnStripe } from './stripe-errors';

describe('missingOnStripe: an object Stripe does not have, told from every other failure', () => {
  const raw = (Type: new (raw: Record<string, unknown>) => Error, raw: Record<string, unknown>) => new Type(raw);

  it("answers the message of Stripe's resource_missing, raw or wrapped by the gateway", () => {
    expect(
      missingOnStripe(
        raw(Stripe.errors.StripeInvalidRequestError, {
          message: "No such charge: 'ch_1'",
          code: 'resource_missing',
          statusCode: 404,
        }),
      ),
    ).toBe("No such charge: 'ch_1'");
    const wrapped = new DomainError('PAYMENT_PROVIDER_UNAVAILABLE', 'refused', undefined, {
      stripeError: 'StripeInvalidRequestError',
      stripeCode: 'resource_missing',
      stripeMessage: "No such customer: 'cus_1'",
    });
    expect(missingOnStripe(wrapped)).toBe("No such customer: 'cus_1'");
  });

  it('answers null for outages, rate limits, other refusals, a bare code without Stripe’s type, and anything else', () => {
    expect(missingOnStripe(raw(Stripe.errors.StripeConnectionError, { message: 'ECONNRESET' }))).toBeNull();
    expect(missingOnStripe(raw(Stripe.errors.StripeAPIError, { message: 'boom', statusCode: 500 }))).toBeNull();
    expect(
      missingOnStripe(
        raw(Stripe.errors.StripeRateLimitError, { message: 'slow', statusCode: 429, code: 'rate_limit' }),
      ),
    ).toBeNull();
    expect(
      missingOnStripe(
        raw(Stripe.errors.StripeInvalidRequestError, {
          message: 'bad',
          code: 'parameter_invalid_integer',
          statusCode: 400,
        }),
      ),
    ).toBeNull();
    expect(missingOnStripe({ code: 'resource_missing' })).toBeNull();
    expect(missingOnStripe(new Error('unexpected'))).toBeNull();
    expect(missingOnStripe(undefined)).toBeNull();
  });
});
