/** Rows as the specs read them back with plain SQL (pg answers bigint as text, timestamps as Date). */

export interface SupporterRow {
  id: string;
  email: string | null;
  name: string | null;
  phone: string | null;
  stripe_customer_id: string | null;
  merged_into: string | null;
}

export interface CheckoutRow {
  id: string;
  purpose: 'donation' | 'subscription';
  frequency: 'one_off' | 'monthly' | 'prepaid';
  channel: 'online' | 'phone';
  status: string;
  email: string;
  supporter_id: string | null;
  stripe_payment_intent_id: string | null;
  failure_reason: string | null;
  completed_at: Date | null;
}

export interface LedgerRow {
  id: string;
  idempotency_key: string;
  kind: string;
  type: string;
  channel: string;
  gross: string;
  fee: string;
  net: string;
  currency: string;
  supporter_id: string | null;
  campaign_id: string | null;
  checkout_id: string | null;
  reverses_entry_id: string | null;
  stripe_charge_id: string | null;
  stripe_invoice_id: string | null;
  stripe_refund_id: string | null;
  stripe_dispute_id: string | null;
  stripe_balance_transaction_id: string | null;
}

export interface SubscriptionRow {
  id: string;
  supporter_id: string;
  kind: 'subscription' | 'monthly_donation';
  billing: 'monthly' | 'prepaid';
  tier_code: string | null;
  amount: string;
  status: string;
  stripe_subscription_id: string | null;
  stripe_customer_id: string | null;
  stripe_price_id: string | null;
  cancel_at_period_end: boolean;
  checkout_id: string | null;
  current_period_start: Date | null;
  current_period_end: Date | null;
  ended_at: Date | null;
  delivery_address: Record<string, string> | null;
}
