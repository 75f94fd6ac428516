import type Stripe from 'stripe';
import { DomainError } from '@app/common';
import { assertStripeEventShape } from './stripe-event-shape';

describe('assertStripeEventShape', () => {
  const good = {
    id: 'evt_1Abc_2',
    object: 'event',
    type: 'checkout.session.completed',
    created: 1_700_000_000,
    data: { object: { id: 'cs_1', object: 'checkout.session' } },
  };
  const check = (body: unknown) => () => assertStripeEventShape(body as Stripe.Event);

  it('takes an event with an evt_ id, a type, a created time and data.object', () => {
    expect(check(good)).not.toThrow();
    expect(check({ ...good, created: 253_402_300_799 })).not.toThrow();
  });

  it.each([
    ['not an object', 'evt_1'],
    ['an array', [good]],
    ['null', null],
    ['an id without evt_', { ...good, id: 'cus_1' }],
    ['an id with other characters', { ...good, id: 'evt_1; DROP' }],
    ['no type', { ...good, type: undefined }],
    ['a type with capitals', { ...good, type: 'Charge.Succeeded' }],
    ['created as a string', { ...good, created: '1700000000' }],
    ['created zero', { ...good, created: 0 }],
    ['created fractional', { ...good, created: 1.5 }],
    ['created beyond what a timestamp holds', { ...good, created: 253_402_300_800 }],
    ['no data', { ...good, data: undefined }],
    ['data.object null', { ...good, data: { object: null } }],
    ['data.object a string', { ...good, data: { object: 'cs_1' } }],
  ])('refuses %s with WEBHOOK_PAYLOAD_INVALID naming the body', (_what, body) => {
    let thrown: unknown;
    try {
      check(body)();
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({ code: 'WEBHOOK_PAYLOAD_INVALID', field: 'body' });
  });
});
