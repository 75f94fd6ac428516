import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { fixture } from '../core/fixtures';
import { newId } from '../core/ids';

export interface PayoutInput {
  amount: number;
  currency: string;
  /** The account's bank account (`ba_...`). */
  destination: string;
}

/**
 * An automatic (scheduled) standard payout to the account's bank account, just created
 * (`pending`); the flow sets its balance transaction and moves it on to `paid`.
 */
export function buildPayout(ctx: SimulatorContext, input: PayoutInput): Stripe.Payout {
  const payout = fixture<Stripe.Payout>('payout');
  const now = ctx.clock.now();
  Object.assign(payout, {
    id: newId('po'),
    amount: input.amount,
    application_fee: null,
    application_fee_amount: null,
    arrival_date: now,
    automatic: true,
    balance_transaction: null,
    created: now,
    currency: input.currency,
    description: 'STRIPE PAYOUT',
    destination: input.destination,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: {},
    method: 'standard',
    original_payout: null,
    payout_method: null,
    reconciliation_status: 'in_progress',
    reversed_by: null,
    source_type: 'card',
    statement_descriptor: null,
    status: 'pending',
    trace_id: { status: 'pending', value: null },
    type: 'bank_account',
  } satisfies Partial<Stripe.Payout>);
  return payout;
}
