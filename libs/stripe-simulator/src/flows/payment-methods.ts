import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { NO_REQUEST, type RequestOrigin } from '../core/types';
import { buildCardPaymentMethod, SUCCEEDING_CARD, type Payer, type TestCard } from '../objects/payment-method';

/** Attachment on a payment method: its future charges are declined (`/_simulator/customers/:id/card`). */
const DECLINES = 'declines';

/** A new card (by default 4242) attached to the customer (`payment_method.attached`). */
export function attachNewCard(
  ctx: SimulatorContext,
  customer: Stripe.Customer,
  payer: Payer,
  request: RequestOrigin = NO_REQUEST,
  card: TestCard = SUCCEEDING_CARD,
): Stripe.PaymentMethod {
  const pm = ctx.store.insert('payment_method', buildCardPaymentMethod(ctx, card, payer, customer.id));
  ctx.events.emit('payment_method.attached', pm, { request });
  return pm;
}

/** The payment methods attached to a customer, newest first. */
export function paymentMethodsOf(ctx: SimulatorContext, customerId: string): Stripe.PaymentMethod[] {
  return ctx.store.newestFirst('payment_method', (pm) => pm.customer === customerId);
}

/**
 * Makes every card the customer has now decline (or succeed again) on future charges, as if the
 * card had been cancelled or run out of funds. Cards attached later (a new card in the billing
 * portal, another checkout) succeed.
 */
export function setCustomerCardsDecline(
  ctx: SimulatorContext,
  customerId: string,
  decline: boolean,
): Stripe.PaymentMethod[] {
  ctx.store.require('customer', customerId);
  const cards = paymentMethodsOf(ctx, customerId);
  for (const pm of cards) ctx.store.attach(pm.id, DECLINES, decline);
  return cards;
}

export function cardDeclines(ctx: SimulatorContext, paymentMethodId: string): boolean {
  return ctx.store.attached<boolean>(paymentMethodId, DECLINES) ?? false;
}

/** The test card a stored card payment method stands for (for the charge's card details). */
export function testCardOf(pm: Stripe.PaymentMethod): TestCard {
  const card = pm.card;
  return {
    brand: 'visa',
    last4: card?.last4 ?? SUCCEEDING_CARD.last4,
    fingerprint: card?.fingerprint ?? SUCCEEDING_CARD.fingerprint,
    funding: card?.funding === 'debit' ? 'debit' : 'credit',
    country: card?.country ?? SUCCEEDING_CARD.country,
  };
}
