import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { fixture } from '../core/fixtures';
import { newId, randomDigits, randomToken } from '../core/ids';
import { CARD_EXPIRY, type TestCard } from './payment-method';

export const CARD_DECLINED_MESSAGE = 'Your card was declined.';

const OUTCOMES = {
  succeeded: {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'approved_by_network',
    reason: null,
    risk_level: 'normal',
    risk_score: 32,
    seller_message: 'Payment complete.',
    type: 'authorized',
  },
  declined: {
    advice_code: 'try_again_later',
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'declined_by_network',
    reason: 'generic_decline',
    risk_level: 'normal',
    risk_score: 20,
    seller_message: 'The bank did not return any further details with this decline.',
    type: 'issuer_declined',
  },
} satisfies Record<string, Stripe.Charge.Outcome>;

export interface ChargeInput {
  paymentIntent: Stripe.PaymentIntent;
  paymentMethod: Stripe.PaymentMethod;
  card: TestCard;
  result: 'succeeded' | 'declined';
}

/**
 * A card charge for a payment intent. A successful one is captured but, as Stripe has done since
 * payments capture asynchronously, has no balance transaction yet (`balance_transaction: null`):
 * that arrives later with `charge.updated`.
 */
export function buildCharge(ctx: SimulatorContext, input: ChargeInput): Stripe.Charge {
  const { paymentIntent: pi, paymentMethod: pm, card } = input;
  const succeeded = input.result === 'succeeded';
  const charge = fixture<Stripe.Charge>('charge');
  const id = newId('ch');
  const exampleCard = charge.payment_method_details!.card!;
  Object.assign(charge, {
    id,
    amount: pi.amount,
    amount_captured: succeeded ? pi.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: structuredClone(pm.billing_details),
    calculated_statement_descriptor: 'STRIPE SIMULATOR',
    captured: succeeded,
    created: ctx.clock.now(),
    currency: pi.currency,
    customer: pi.customer,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: succeeded ? null : 'card_declined',
    failure_message: succeeded ? null : CARD_DECLINED_MESSAGE,
    fraud_details: {},
    livemode: false,
    metadata: { ...pi.metadata },
    on_behalf_of: null,
    outcome: structuredClone(succeeded ? OUTCOMES.succeeded : OUTCOMES.declined),
    paid: succeeded,
    payment_intent: pi.id,
    payment_method: pm.id,
    payment_method_details: {
      card: {
        ...exampleCard,
        amount_authorized: succeeded ? pi.amount : null,
        authorization_code: succeeded ? randomDigits(6) : null,
        brand: card.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: card.country,
        ...CARD_EXPIRY,
        extended_authorization: { status: 'disabled' },
        fingerprint: card.fingerprint,
        funding: card.funding,
        incremental_authorization: { status: 'unavailable' },
        installments: null,
        last4: card.last4,
        mandate: null,
        multicapture: { status: 'unavailable' },
        network: card.brand,
        network_token: { used: false },
        network_transaction_id: randomDigits(15),
        overcapture: { maximum_amount_capturable: pi.amount, status: 'unavailable' },
        regulated_status: 'unregulated',
        three_d_secure: null,
        transaction_link_id: null,
        wallet: null,
      },
      type: 'card',
    },
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: `${ctx.config.publicUrl}/receipts/payment/${id}?s=${randomToken(8)}`,
    refunded: false,
    refunds: { object: 'list', data: [], has_more: false, url: `/v1/charges/${id}/refunds` },
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: succeeded ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  } satisfies Partial<Stripe.Charge>);
  return charge;
}
