import type Stripe from 'stripe';

/** What every stored object has. */
export interface StripeObject {
  id: string;
  object: string;
}

export interface ListObject<T = unknown> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/** `request` on an event: the API request that caused it, if any. */
export interface RequestOrigin {
  id: string | null;
  idempotency_key: string | null;
}

/** Events raised by the simulator itself (hosted page, controls, scheduled steps) have no request. */
export const NO_REQUEST: RequestOrigin = Object.freeze({ id: null, idempotency_key: null });

/**
 * An event as stored and sent. Structurally what `Stripe.Event` is; kept as its own type since
 * `Stripe.Event` is a union over every event type.
 */
export interface SimulatorEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: StripeObject; previous_attributes?: Record<string, unknown> };
  livemode: false;
  pending_webhooks: number;
  request: RequestOrigin;
  type: string;
}

/** Stored object types by their `object` field. Add a line here to store a new resource. */
export interface ObjectTypes {
  'checkout.session': Stripe.Checkout.Session;
  payment_intent: Stripe.PaymentIntent;
  charge: Stripe.Charge;
  balance_transaction: Stripe.BalanceTransaction;
  refund: Stripe.Refund;
  dispute: Stripe.Dispute;
  payout: Stripe.Payout;
  customer: Stripe.Customer;
  payment_method: Stripe.PaymentMethod;
  product: Stripe.Product;
  price: Stripe.Price;
  subscription: Stripe.Subscription;
  subscription_item: Stripe.SubscriptionItem;
  invoice: Stripe.Invoice;
  invoice_payment: Stripe.InvoicePayment;
  'billing_portal.session': Stripe.BillingPortal.Session;
  event: SimulatorEvent;
}

export type ObjectType = keyof ObjectTypes;
