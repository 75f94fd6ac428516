/** The public writes: donations, subscriptions, self-service links. */
import fc from 'fast-check';
import { addressArb, bodies, emailArb, nameArb } from '../generators';
import { email, int, isObj, oneOf, onlyKeys, subscriptionBody, text, type Problems } from '../oracles';
import { jsonRequest } from '../requests';
import { endpoint, fuzzCase } from './case';

export const donations = fuzzCase('POST /api/donations', () => {
  const valid = fc.record(
    {
      amount: fc.integer({ min: 100, max: 10_000_000 }),
      frequency: fc.constantFrom('one_off', 'monthly'),
      email: emailArb,
      name: nameArb,
      campaign: fc.constantFrom('fighting-fund', 'fuzz-target'),
    },
    { requiredKeys: ['amount', 'frequency', 'email'] },
  );
  return endpoint({
    name: 'POST /api/donations',
    inputs: bodies(valid, {
      amount: fc.integer({ min: 100, max: 10_000_000 }),
      frequency: fc.constantFrom('one_off', 'monthly'),
      email: emailArb,
      name: nameArb,
      campaign: fc.constantFrom('fighting-fund', 'no-such-campaign'),
    }),
    request: (b) => jsonRequest('POST', '/api/donations', b),
    invalid: (b) => {
      const p: Problems = [];
      if (!isObj(b)) return ['body not an object'];
      onlyKeys(p, b, ['amount', 'frequency', 'email', 'name', 'campaign']);
      int(p, b.amount, 'amount', 100, 10_000_000);
      oneOf(p, b.frequency, 'frequency', ['one_off', 'monthly']);
      email(p, b.email, 'email');
      text(p, b.name, 'name', 200, { required: false });
      if (
        b.campaign !== undefined &&
        (typeof b.campaign !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(b.campaign))
      ) {
        p.push('campaign not a slug');
      }
      return p;
    },
    writes: { checkouts: [1, 1], stripe_prices: [0, 1] },
    fields: ['amount', 'frequency', 'email', 'name', 'campaign'],
  });
});

export const subscriptionFields = {
  tier: fc.constantFrom('digital', 'print'),
  billing: fc.constantFrom('monthly', 'prepaid'),
  months: fc.constantFrom(12, 1, 6),
  email: emailArb,
  name: nameArb,
  deliveryAddress: addressArb,
  'deliveryAddress.line1': fc.constant('1 Main St'),
  'deliveryAddress.country': fc.constant('AU'),
  'deliveryAddress.postalCode': fc.constant('2000'),
};
export const validSubscription = fc.oneof(
  fc.record({ tier: fc.constant('digital'), billing: fc.constant('monthly'), email: emailArb, name: nameArb }),
  fc.record(
    {
      tier: fc.constant('digital'),
      billing: fc.constant('prepaid'),
      months: fc.constant(12),
      email: emailArb,
      name: nameArb,
    },
    { requiredKeys: ['tier', 'billing', 'email', 'name'] },
  ),
  fc.record({
    tier: fc.constant('print'),
    billing: fc.constantFrom('monthly', 'prepaid'),
    email: emailArb,
    name: nameArb,
    deliveryAddress: addressArb,
  }),
);
export const subscriptionFieldNames = [
  'tier',
  'billing',
  'months',
  'email',
  'name',
  'deliveryAddress',
  'deliveryAddress.line1',
  'deliveryAddress.line2',
  'deliveryAddress.city',
  'deliveryAddress.state',
  'deliveryAddress.postalCode',
  'deliveryAddress.country',
];

export const subscriptions = fuzzCase('POST /api/subscriptions', () => {
  return endpoint({
    name: 'POST /api/subscriptions',
    inputs: bodies(validSubscription, subscriptionFields),
    request: (b) => jsonRequest('POST', '/api/subscriptions', b),
    invalid: (b) => {
      const p: Problems = [];
      subscriptionBody(p, b);
      return p;
    },
    writes: { checkouts: [0, 1], stripe_prices: [0, 1] },
    fields: subscriptionFieldNames,
  });
});

export const selfServiceLinks = fuzzCase('POST /api/self-service/links', () => {
  return endpoint({
    name: 'POST /api/self-service/links',
    inputs: bodies(fc.record({ email: fc.oneof(emailArb, fc.constant('card.payer@example.com')) }), {
      email: emailArb,
    }),
    request: (b) => jsonRequest('POST', '/api/self-service/links', b),
    invalid: (b) => {
      const p: Problems = [];
      if (!isObj(b)) return ['body not an object'];
      onlyKeys(p, b, ['email']);
      email(p, b.email, 'email');
      return p;
    },
    writes: { emails: [0, 1] },
    fields: ['email'],
  });
});
