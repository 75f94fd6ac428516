import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { fixture } from '../core/fixtures';
import { newId } from '../core/ids';

/** Stripe's test cards the hosted page pays with. */
export interface TestCard {
  brand: 'visa';
  last4: string;
  fingerprint: string;
  funding: 'credit' | 'debit';
  country: string;
}

export const SUCCEEDING_CARD: TestCard = {
  brand: 'visa',
  last4: '4242',
  fingerprint: 'sImV1sa4242fPrnt',
  funding: 'credit',
  country: 'US',
};
export const DECLINED_CARD: TestCard = {
  brand: 'visa',
  last4: '0002',
  fingerprint: 'sImV1sa0002fPrnt',
  funding: 'credit',
  country: 'US',
};

/**
 * Stripe's refund-failure test card (4000 0000 0000 5126): the payment succeeds, and a refund of it
 * succeeds at first, then fails shortly after (see `flows/refunds.ts`, `scheduleRefundFailure`).
 */
export const REFUND_FAILURE_CARD: TestCard = {
  brand: 'visa',
  last4: '5126',
  fingerprint: 'sImV1sa5126fPrnt',
  funding: 'credit',
  country: 'US',
};

/** The test cards the checkout page takes by number (spaces and dashes ignored). */
const CARDS_BY_NUMBER: Record<string, TestCard> = {
  '4242424242424242': SUCCEEDING_CARD,
  '4000000000000002': DECLINED_CARD,
  '4000000000005126': REFUND_FAILURE_CARD,
};

/** The test card a typed number stands for; null for any other number. */
export function testCardByNumber(typed: string): TestCard | null {
  return CARDS_BY_NUMBER[typed.replace(/[\s-]/g, '')] ?? null;
}

/** Whether a charge was paid with the refund-failure test card: its refunds fail after succeeding. */
export function refundsFailOn(charge: Stripe.Charge): boolean {
  return charge.payment_method_details?.card?.fingerprint === REFUND_FAILURE_CARD.fingerprint;
}

export const CARD_EXPIRY = { exp_month: 12, exp_year: new Date().getUTCFullYear() + 3 };

export interface Payer {
  email: string | null;
  name: string | null;
}

export function buildCardPaymentMethod(
  ctx: SimulatorContext,
  card: TestCard,
  payer: Payer,
  customer: string | null,
): Stripe.PaymentMethod {
  const pm = fixture<Stripe.PaymentMethod>('payment_method');
  const example = pm.card!;
  Object.assign(pm, {
    id: newId('pm'),
    allow_redisplay: 'limited',
    billing_details: {
      address: { city: null, country: 'AU', line1: null, line2: null, postal_code: null, state: null },
      email: payer.email,
      name: payer.name,
      phone: null,
      tax_id: null,
    },
    card: {
      ...example,
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: card.country,
      display_brand: card.brand,
      ...CARD_EXPIRY,
      fingerprint: card.fingerprint,
      funding: card.funding,
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      three_d_secure_usage: { supported: true },
      wallet: null,
      regulated_status: 'unregulated',
    },
    created: ctx.clock.now(),
    customer,
    livemode: false,
    metadata: {},
    type: 'card',
  } satisfies Partial<Stripe.PaymentMethod>);
  return pm;
}
