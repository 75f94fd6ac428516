import type Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { fixture } from '../core/fixtures';
import { newId } from '../core/ids';
import { DAY_SECONDS } from '../core/pricing';

export interface DisputeInput {
  charge: Stripe.Charge;
  amount: number;
  reason: string;
}

/** A card chargeback awaiting the merchant's response (its balance transactions are added by the flow). */
export function buildDispute(ctx: SimulatorContext, input: DisputeInput): Stripe.Dispute {
  const dispute = fixture<Stripe.Dispute>('dispute');
  const now = ctx.clock.now();
  const evidence = Object.fromEntries(
    Object.keys(dispute.evidence).map((k) => [k, null]),
  ) as unknown as Stripe.Dispute.Evidence;
  evidence.enhanced_evidence = {};
  Object.assign(dispute, {
    id: newId('dp'),
    amount: input.amount,
    balance_transactions: [],
    charge: input.charge.id,
    created: now,
    currency: input.charge.currency,
    evidence,
    evidence_details: {
      // Evidence is due by the end of the day, about a week from now.
      due_by: Math.ceil((now + 7 * DAY_SECONDS) / DAY_SECONDS) * DAY_SECONDS - 1,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: 'not_submitted',
    },
    enhanced_eligibility_types: [],
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent:
      typeof input.charge.payment_intent === 'string'
        ? input.charge.payment_intent
        : (input.charge.payment_intent?.id ?? null),
    payment_method_details: {
      card: {
        brand: 'visa',
        case_type: 'chargeback',
        network: 'visa',
        network_reason_code: input.reason === 'fraudulent' ? '10.4' : '13.1',
      },
      type: 'card',
    },
    reason: input.reason,
    status: 'needs_response',
  } satisfies Partial<Stripe.Dispute>);
  return dispute;
}
