import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { invalidRequest, type StripeApiError } from '../core/errors';
import { newId } from '../core/ids';
import { formatMoney } from '../core/money';
import { buildBalanceTransaction } from '../objects/balance-transaction';
import { buildPayout } from '../objects/payout';

/** Store attachment holding the account's (one) bank account id, where payouts go. */
const ACCOUNT = 'account';
const PAYOUT_DESTINATION = 'payout_destination';
/**
 * Store attachment on a balance transaction: the payout that contains it. Stripe has no such field
 * on a balance transaction (`GET /v1/balance_transactions?payout=` is the only way to ask), so it
 * is kept beside the object, not on it.
 */
const PAID_OUT_IN = 'payout';

export interface PayoutRequest {
  /** Default: the only currency that has something to pay out. */
  currency?: string;
  /** Pay out pending funds too, as if every `available_on` had passed. */
  all?: boolean;
}

/** The payout that contains a balance transaction (its own, for a payout's), if any. */
export function payoutOf(ctx: SimulatorContext, txnId: string): string | undefined {
  return ctx.store.attached<string>(txnId, PAID_OUT_IN);
}

/**
 * A payout as Stripe's automatic payouts make one: every balance transaction of the currency that
 * is not in a payout yet and available by now (or all of them with `all`), charges, refunds and
 * dispute adjustments alike, negative ones too; the payout's amount is the sum of their `net`
 * and must be positive. The payout gets its own balance transaction (`type: payout`, the amount
 * withdrawn), is created `pending` (`payout.created`) and, since no bank is involved, is `paid` at
 * once (`payout.paid`, `arrival_date` now).
 */
export function createPayout(ctx: SimulatorContext, req: PayoutRequest = {}): Stripe.Payout {
  const cutoff = ctx.clock.now();
  const unpaid = ctx.store
    .all('balance_transaction')
    .filter((txn) => txn.type !== 'payout' && payoutOf(ctx, txn.id) === undefined);
  const eligible = unpaid.filter((txn) => req.all || txn.available_on <= cutoff);
  const currency = req.currency ?? onlyCurrency(eligible);
  const contained = eligible.filter((txn) => txn.currency === currency);
  if (!currency || contained.length === 0) {
    const waiting = unpaid.filter(
      (txn) => (!currency || txn.currency === currency) && txn.available_on > cutoff,
    ).length;
    const hint =
      waiting > 0 ? ` (${waiting} pending until their available_on; pass "all": true to pay them out now)` : '';
    throw nothingToPayOut(
      `Nothing to pay out: no ${currency ? `${currency} ` : ''}balance transaction is available and not yet paid out${hint}.`,
    );
  }
  const amount = contained.reduce((sum, txn) => sum + txn.net, 0);
  if (amount <= 0) {
    throw nothingToPayOut(
      `Nothing to pay out: the ${currency} balance available (${formatMoney(amount, currency)}, ${contained.length} balance transactions) is not positive.`,
    );
  }

  const payout = buildPayout(ctx, { amount, currency, destination: payoutDestination(ctx) });
  // Inserted after everything it contains: it is the newest in the balance transaction list.
  const own = ctx.store.insert(
    'balance_transaction',
    buildBalanceTransaction(ctx, {
      type: 'payout',
      reportingCategory: 'payout',
      amount: -amount,
      currency,
      fees: [],
      source: payout.id,
      description: 'STRIPE PAYOUT',
      status: 'available',
      availableOn: cutoff,
    }),
  );
  for (const txn of contained) {
    ctx.store.attach(txn.id, PAID_OUT_IN, payout.id);
    // Funds that are paid out were available (with `all`, they are made so now).
    txn.status = 'available';
  }
  ctx.store.attach(own.id, PAID_OUT_IN, payout.id);
  payout.balance_transaction = own.id;
  ctx.store.insert('payout', payout);
  ctx.events.emit('payout.created', payout);

  payout.status = 'paid';
  payout.arrival_date = ctx.clock.now();
  payout.reconciliation_status = 'completed';
  payout.trace_id = { status: 'unsupported', value: null };
  ctx.events.emit('payout.paid', payout);
  ctx.log(`payout ${payout.id}: ${formatMoney(amount, currency)} from ${contained.length} balance transactions`);
  return payout;
}

function onlyCurrency(txns: Stripe.BalanceTransaction[]): string | undefined {
  const currencies = [...new Set(txns.map((txn) => txn.currency))].sort();
  if (currencies.length > 1) {
    throw invalidRequest(
      `Balance transactions in several currencies (${currencies.join(', ')}) can be paid out: pass currency.`,
      {
        code: 'parameter_missing',
        param: 'currency',
      },
    );
  }
  return currencies[0];
}

function nothingToPayOut(message: string): StripeApiError {
  return invalidRequest(message, { status: 409, code: 'balance_insufficient' });
}

function payoutDestination(ctx: SimulatorContext): string {
  let destination = ctx.store.attached<string>(ACCOUNT, PAYOUT_DESTINATION);
  if (!destination) {
    destination = newId('ba');
    ctx.store.attach(ACCOUNT, PAYOUT_DESTINATION, destination);
  }
  return destination;
}
