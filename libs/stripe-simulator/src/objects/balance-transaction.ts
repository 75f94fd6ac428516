import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { fixture } from '../core/fixtures';
import { newId } from '../core/ids';

export interface FeeInput {
  amount: number;
  description: string;
}

export interface BalanceTransactionInput {
  type: Stripe.BalanceTransaction.Type;
  reportingCategory: string;
  amount: number;
  currency: string;
  fees: FeeInput[];
  source: string;
  description: string | null;
  status: 'pending' | 'available';
  availableOn: number;
  /** Set when `amount` was converted from another currency (see core/settlement). */
  exchangeRate?: number | null;
}

/** A movement of the account's balance; `net` = `amount` - `fee`. */
export function buildBalanceTransaction(
  ctx: SimulatorContext,
  input: BalanceTransactionInput,
): Stripe.BalanceTransaction {
  const txn = fixture<Stripe.BalanceTransaction>('balance_transaction');
  const fee = input.fees.reduce((sum, f) => sum + f.amount, 0);
  Object.assign(txn, {
    id: newId('txn'),
    amount: input.amount,
    available_on: input.availableOn,
    balance_type: 'payments',
    created: ctx.clock.now(),
    currency: input.currency,
    description: input.description,
    exchange_rate: input.exchangeRate ?? null,
    fee,
    fee_details: input.fees.map((f) => ({
      amount: f.amount,
      application: null,
      currency: input.currency,
      description: f.description,
      type: 'stripe_fee',
    })),
    net: input.amount - fee,
    reporting_category: input.reportingCategory,
    source: input.source,
    status: input.status,
    type: input.type,
  } satisfies Partial<Stripe.BalanceTransaction>);
  return txn;
}
