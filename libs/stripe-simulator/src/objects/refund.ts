import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { fixture } from '../core/fixtures';
import { newId, randomDigits } from '../core/ids';

export interface RefundInput {
  charge: Stripe.Charge;
  amount: number;
  reason: Stripe.Refund.Reason | null;
  metadata: Record<string, string>;
}

/** A card refund that has already succeeded; its balance transaction is set by the flow. */
export function buildRefund(ctx: SimulatorContext, input: RefundInput): Stripe.Refund {
  const refund = fixture<Stripe.Refund>('refund');
  Object.assign(refund, {
    id: newId('re'),
    amount: input.amount,
    balance_transaction: null,
    charge: input.charge.id,
    created: ctx.clock.now(),
    currency: input.charge.currency,
    customer: typeof input.charge.customer === 'string' ? input.charge.customer : (input.charge.customer?.id ?? null),
    customer_account: null,
    destination_details: {
      card: {
        reference: randomDigits(23),
        reference_status: 'pending',
        reference_type: 'acquirer_reference_number',
        type: 'refund',
      },
      type: 'card',
    },
    metadata: { ...input.metadata },
    payment_intent:
      typeof input.charge.payment_intent === 'string'
        ? input.charge.payment_intent
        : (input.charge.payment_intent?.id ?? null),
    payment_method: typeof input.charge.payment_method === 'string' ? input.charge.payment_method : null,
    reason: input.reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  } satisfies Partial<Stripe.Refund>);
  return refund;
}
