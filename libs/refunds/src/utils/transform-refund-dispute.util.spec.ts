import type Stripe from 'stripe';
import {
  disputeEntry,
  disputeMovements,
  disputeReversalEntry,
  refundEntry,
  refundFailureEntry,
  type ReversedPayment,
  settledFeeEntry,
} from './transform-refund-dispute.util';

const t0 = 1_767_225_600;
const payment: ReversedPayment = {
  id: '42',
  type: 'donation',
  channel: 'online',
  method: 'card',
  currency: 'AUD',
  supporterId: 'sup',
  campaignId: 'camp',
  checkoutId: 'chk',
  stripeCheckoutSessionId: 'cs_1',
  stripePaymentIntentId: 'pi_1',
  stripeChargeId: 'ch_1',
  stripeInvoiceId: null,
};
const inherited = {
  type: 'donation',
  channel: 'online',
  method: 'card',
  currency: 'AUD',
  supporterId: 'sup',
  campaignId: 'camp',
  checkoutId: 'chk',
  stripeEventId: 'evt_1',
  stripeCheckoutSessionId: 'cs_1',
  stripePaymentIntentId: 'pi_1',
  stripeChargeId: 'ch_1',
  stripeInvoiceId: null,
};
const bt = (o: Partial<Stripe.BalanceTransaction>) =>
  ({
    id: 'txn_1',
    amount: -500,
    fee: 0,
    currency: 'aud',
    exchange_rate: null,
    created: t0 + 60,
    ...o,
  }) as Stripe.BalanceTransaction;

describe('refundEntry', () => {
  it('is a negative entry beside the payment, with the balance transaction and its fee', () => {
    const refund = {
      id: 're_1',
      amount: 500,
      currency: 'aud',
      reason: 'requested_by_customer',
      created: t0,
      balance_transaction: bt({ fee: 3 }),
    } as Stripe.Refund;
    expect(refundEntry(payment, refund, 'evt_1')).toEqual({
      ...inherited,
      reversesEntryId: '42',
      idempotencyKey: 'refund:re_1',
      kind: 'refund',
      gross: -500,
      fee: 3,
      stripeRefundId: 're_1',
      stripeBalanceTransactionId: 'txn_1',
      exchangeRate: null,
      description: 'Refund (requested_by_customer)',
      occurredAt: new Date(t0 * 1000),
    });
  });

  it('converted: no fee on the entry (it is its own), the exchange rate kept; without reason or balance transaction', () => {
    const converted = { id: 're_2', amount: 500, currency: 'aud', reason: null, created: t0 } as Stripe.Refund;
    expect(
      refundEntry(
        payment,
        { ...converted, balance_transaction: bt({ currency: 'usd', fee: 4, exchange_rate: 0.66 }) },
        'evt_1',
      ),
    ).toMatchObject({ fee: 0, exchangeRate: 0.66, description: 'Refund' });
    expect(refundEntry(payment, { ...converted, balance_transaction: 'txn_9' }, 'evt_1')).toMatchObject({
      fee: 0,
      stripeBalanceTransactionId: null,
      exchangeRate: null,
    });
  });
});

it('refundFailureEntry: the money back, positive, reversing the refund entry, dated by the returning transaction', () => {
  const refund = {
    id: 're_1',
    amount: 500,
    currency: 'aud',
    failure_reason: 'expired_or_canceled_card',
  } as Stripe.Refund;
  expect(refundFailureEntry(payment, refund, '77', bt({ id: 'txn_back', amount: 500, fee: 0 }), 'evt_1')).toEqual({
    ...inherited,
    reversesEntryId: '77',
    idempotencyKey: 'refund_failure:re_1',
    kind: 'refund_failure',
    gross: 500,
    fee: 0,
    stripeRefundId: 're_1',
    stripeBalanceTransactionId: 'txn_back',
    exchangeRate: null,
    description: 'Refund failed (expired_or_canceled_card): money back',
    occurredAt: new Date((t0 + 60) * 1000),
  });
});

describe('disputes', () => {
  const dispute = { id: 'dp_1', amount: 2500, currency: 'aud', reason: 'fraudulent', created: t0 } as Stripe.Dispute;
  const withdrawal = bt({ id: 'txn_w', amount: -4000, fee: 1500 });

  it('the withdrawal is a negative entry with the dispute fee, dated by its balance transaction', () => {
    expect(disputeEntry(payment, dispute, withdrawal, 'evt_1')).toEqual({
      ...inherited,
      reversesEntryId: '42',
      idempotencyKey: 'dispute:dp_1',
      kind: 'dispute',
      gross: -2500,
      fee: 1500,
      stripeDisputeId: 'dp_1',
      stripeBalanceTransactionId: 'txn_w',
      exchangeRate: null,
      description: 'Dispute (fraudulent)',
      occurredAt: new Date((t0 + 60) * 1000),
    });
  });

  it('won: the funds back, with the returned fee (negative); dated by the event without a reinstatement', () => {
    const reinstatement = bt({ id: 'txn_r', amount: 4000, fee: -1500, created: t0 + 600 });
    expect(disputeReversalEntry(payment, dispute, reinstatement, { id: 'evt_1', created: t0 + 900 })).toMatchObject({
      idempotencyKey: 'dispute_reversal:dp_1',
      kind: 'dispute_reversal',
      gross: 2500,
      fee: -1500,
      stripeBalanceTransactionId: 'txn_r',
      occurredAt: new Date((t0 + 600) * 1000),
    });
    expect(disputeReversalEntry(payment, dispute, null, { id: 'evt_1', created: t0 + 900 })).toMatchObject({
      fee: 0,
      stripeBalanceTransactionId: null,
      occurredAt: new Date((t0 + 900) * 1000),
    });
  });

  it('finds the withdrawal and the reinstatement among its balance transactions', () => {
    const reinstatement = bt({ id: 'txn_r', amount: 4000 });
    expect(disputeMovements({ balance_transactions: [withdrawal, reinstatement] })).toEqual({
      withdrawal,
      reinstatement,
    });
    expect(disputeMovements({ balance_transactions: [] })).toEqual({ withdrawal: null, reinstatement: null });
  });
});

describe('settledFeeEntry', () => {
  it('a converted fee is its own entry in the settlement currency, not tied to the charge', () => {
    expect(
      settledFeeEntry(
        payment,
        bt({ id: 'txn_c', currency: 'usd', fee: 15, exchange_rate: 0.65 }),
        'aud',
        'Dispute fee for dp_1',
        'evt_1',
      ),
    ).toEqual({
      ...inherited,
      reversesEntryId: null,
      stripeChargeId: null,
      idempotencyKey: 'fee:txn_c',
      kind: 'fee',
      gross: 0,
      fee: 15,
      currency: 'usd',
      exchangeRate: 0.65,
      description: 'Dispute fee for dp_1',
      occurredAt: new Date((t0 + 60) * 1000),
    });
  });

  it('nothing when not converted, without a fee, or without a balance transaction', () => {
    expect(settledFeeEntry(payment, bt({ fee: 15 }), 'aud', 'x', 'evt_1')).toBeNull();
    expect(settledFeeEntry(payment, bt({ currency: 'usd', fee: 0 }), 'aud', 'x', 'evt_1')).toBeNull();
    expect(settledFeeEntry(payment, null, 'aud', 'x', 'evt_1')).toBeNull();
  });
});
