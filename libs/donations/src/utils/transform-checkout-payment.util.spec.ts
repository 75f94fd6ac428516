import type Stripe from 'stripe';
import {
  checkoutPaymentEntry,
  type CheckoutSessionEvent,
  checkoutSupporterDetails,
  isFinalPaidSnapshot,
} from './transform-checkout-payment.util';

const event = (type: string, session: Partial<Stripe.Checkout.Session>) =>
  ({ id: 'evt_1', type, data: { object: session } }) as unknown as CheckoutSessionEvent;

describe('isFinalPaidSnapshot', () => {
  it('a completed or asynchronously succeeded session that is complete and paid', () => {
    const paid = { status: 'complete', payment_status: 'paid' } as const;
    expect(isFinalPaidSnapshot(event('checkout.session.completed', paid))).toBe(true);
    expect(isFinalPaidSnapshot(event('checkout.session.async_payment_succeeded', paid))).toBe(true);
  });
  it('anything else may be stale', () => {
    expect(
      isFinalPaidSnapshot(event('checkout.session.completed', { status: 'complete', payment_status: 'unpaid' })),
    ).toBe(false);
    expect(isFinalPaidSnapshot(event('checkout.session.expired', { status: 'complete', payment_status: 'paid' }))).toBe(
      false,
    );
    expect(
      isFinalPaidSnapshot(
        event('checkout.session.async_payment_failed', { status: 'complete', payment_status: 'paid' }),
      ),
    ).toBe(false);
  });
});

describe('checkoutPaymentEntry', () => {
  const charge = {
    id: 'ch_1',
    amount: 2500,
    currency: 'aud',
    created: 1_767_225_600,
    payment_method_details: { type: 'card' },
  } as Stripe.Charge;
  const checkout = {
    id: 'chk',
    purpose: 'donation' as const,
    channel: 'phone' as const,
    campaignId: 'camp',
    tierCode: null,
    prepaidMonths: null,
  };

  it('a one-off donation: keyed by the charge, the charge amount and time, channel from the checkout', () => {
    expect(
      checkoutPaymentEntry({
        checkout,
        session: { id: 'cs_1' },
        paymentIntentId: 'pi_1',
        charge,
        supporterId: 'sup',
        eventId: 'evt_1',
      }),
    ).toEqual({
      idempotencyKey: 'payment:ch_1',
      type: 'donation',
      channel: 'phone',
      method: 'card',
      gross: 2500,
      currency: 'aud',
      supporterId: 'sup',
      campaignId: 'camp',
      checkoutId: 'chk',
      stripeEventId: 'evt_1',
      stripeCheckoutSessionId: 'cs_1',
      stripePaymentIntentId: 'pi_1',
      stripeChargeId: 'ch_1',
      description: 'Checkout cs_1',
      occurredAt: new Date(1_767_225_600_000),
    });
  });

  it('a prepaid period; a charge without method details counts as card', () => {
    expect(
      checkoutPaymentEntry({
        checkout: { ...checkout, purpose: 'subscription', tierCode: 'print', prepaidMonths: 12 },
        session: { id: 'cs_1' },
        paymentIntentId: 'pi_1',
        charge: { ...charge, payment_method_details: null },
        supporterId: 'sup',
        eventId: 'evt_1',
      }),
    ).toMatchObject({ type: 'prepaid_subscription', method: 'card', description: 'Prepaid print for 12 months' });
  });
});

it('checkoutSupporterDetails: the name the reader gave wins; the name on card fills a missing one', () => {
  const session = { customer: { id: 'cus_1' }, customer_details: { name: ' Card Name ' } } as Stripe.Checkout.Session;
  expect(checkoutSupporterDetails({ email: 'a@example.com', name: ' Reader ' }, session)).toEqual({
    email: 'a@example.com',
    name: 'Reader',
    stripeCustomerId: 'cus_1',
  });
  expect(checkoutSupporterDetails({ email: 'a@example.com', name: '  ' }, session).name).toBe('Card Name');
  expect(
    checkoutSupporterDetails({ email: 'a@example.com', name: null }, { customer: null, customer_details: null }),
  ).toEqual({
    email: 'a@example.com',
    name: null,
    stripeCustomerId: null,
  });
});
