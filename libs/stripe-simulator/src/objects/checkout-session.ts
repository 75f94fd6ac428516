import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { fixture } from '../core/fixtures';
import { newCheckoutSessionId } from '../core/ids';

export interface CheckoutSessionInput {
  mode: Stripe.Checkout.Session.Mode;
  currency: string | null;
  amountSubtotal: number | null;
  amountTotal: number | null;
  customer: string | null;
  customerEmail: string | null;
  customerCreation: Stripe.Checkout.Session.CustomerCreation | null;
  clientReferenceId: string | null;
  metadata: Record<string, string>;
  successUrl: string | null;
  cancelUrl: string | null;
  created: number;
  expiresAt: number;
  submitType: Stripe.Checkout.Session.SubmitType | null;
  locale: Stripe.Checkout.Session.Locale | null;
  paymentMethodTypes: string[];
  billingAddressCollection: Stripe.Checkout.Session.BillingAddressCollection | null;
  allowPromotionCodes: boolean | null;
  /** Recorded as asked; the simulator never converts (it charges in the session's currency). */
  adaptivePricing: boolean;
}

/** The URL of the simulator's hosted checkout page for a session. */
export const checkoutPageUrl = (ctx: SimulatorContext, sessionId: string): string =>
  `${ctx.config.publicUrl}/checkout/${sessionId}`;

/** An open hosted Checkout Session, before the customer pays. */
export function buildCheckoutSession(ctx: SimulatorContext, input: CheckoutSessionInput): Stripe.Checkout.Session {
  const session = fixture<Stripe.Checkout.Session>('checkout.session');
  const id = newCheckoutSessionId();
  Object.assign(session, {
    id,
    adaptive_pricing: { enabled: input.adaptivePricing },
    after_expiration: null,
    allow_promotion_codes: input.allowPromotionCodes,
    allowed_payment_method_types: null,
    amount_subtotal: input.amountSubtotal,
    amount_total: input.amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: input.billingAddressCollection,
    cancel_url: input.cancelUrl,
    client_reference_id: input.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: input.created,
    currency: input.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: input.customer,
    customer_account: null,
    customer_creation: input.customerCreation,
    customer_details: null,
    customer_email: input.customerEmail,
    discounts: [],
    expires_at: input.expiresAt,
    integration_identifier: null,
    invoice: null,
    invoice_creation:
      input.mode === 'payment'
        ? {
            enabled: false,
            invoice_data: {
              account_tax_ids: null,
              custom_fields: null,
              description: null,
              footer: null,
              issuer: null,
              metadata: {},
              rendering_options: null,
            },
          }
        : null,
    livemode: false,
    locale: input.locale,
    managed_payments: null,
    metadata: input.metadata,
    mode: input.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: input.mode === 'payment' ? 'if_required' : 'always',
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: 'automatic' } },
    payment_method_types: input.paymentMethodTypes,
    payment_status: 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: input.customer
      ? { allow_redisplay_filters: ['always'], payment_method_remove: 'disabled', payment_method_save: null }
      : null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: input.submitType,
    subscription: null,
    success_url: input.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted_page',
    url: checkoutPageUrl(ctx, id),
    wallet_options: null,
  } satisfies Partial<Stripe.Checkout.Session>);
  return session;
}
