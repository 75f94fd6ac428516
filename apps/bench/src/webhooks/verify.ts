import { cardProcessingFee } from '@app/stripe-simulator';
import type { Client } from 'pg';
import type { SimEvent } from './events';

// ---------------------------------------------------------------- 3. correctness

export interface Check {
  paidCharges: number;
  payments: number;
  paymentCharges: number;
  duplicatePayments: number;
  missingPayments: number;
  extraPayments: number;
  refunds: number;
  refundEntries: number;
  duplicateRefunds: number;
  grossExpected: number;
  grossFound: number;
  feesExpected: number;
  feesFound: number;
  ok: boolean;
}

export async function verify(db: Client, events: SimEvent[]): Promise<Check> {
  const charges = new Map<string, number>();
  for (const e of events) {
    if (e.type === 'charge.succeeded') charges.set(e.data.object.id, e.data.object.amount as number);
  }
  const refunds = new Set(events.filter((e) => e.type === 'refund.created').map((e) => e.data.object.id));
  const { rows: pay } = await db.query<{ charge: string | null; n: number; gross: string; fee: string }>(
    `SELECT stripe_charge_id AS charge, count(*)::int AS n, sum(gross) AS gross, sum(fee) AS fee FROM ledger_entries WHERE kind = 'payment' GROUP BY 1`,
  );
  const {
    rows: [fees],
  } = await db.query<{ fee: string }>(
    `SELECT COALESCE(sum(fee), 0) AS fee FROM ledger_entries WHERE kind IN ('payment', 'fee')`,
  );
  const { rows: ref } = await db.query<{ refund: string; n: number }>(
    `SELECT stripe_refund_id AS refund, count(*)::int AS n FROM ledger_entries WHERE kind = 'refund' GROUP BY 1`,
  );
  const found = new Set(pay.map((r) => r.charge ?? '(none)'));
  const payments = pay.reduce((s, r) => s + r.n, 0);
  // Stripe's Australian domestic card pricing, as the simulator charges it: 1.7% + 30c.
  const feesExpected = [...charges.values()].reduce((s, amount) => s + cardProcessingFee(amount), 0);
  const c: Check = {
    paidCharges: charges.size,
    payments,
    paymentCharges: found.size,
    duplicatePayments: payments - found.size,
    missingPayments: [...charges.keys()].filter((id) => !found.has(id)).length,
    extraPayments: [...found].filter((id) => !charges.has(id)).length,
    refunds: refunds.size,
    refundEntries: ref.reduce((s, r) => s + r.n, 0),
    duplicateRefunds: ref.reduce((s, r) => s + r.n, 0) - ref.length,
    grossExpected: [...charges.values()].reduce((s, a) => s + a, 0),
    grossFound: pay.reduce((s, r) => s + Number(r.gross), 0),
    feesExpected,
    feesFound: Number(fees.fee),
    ok: false,
  };
  c.ok =
    c.payments === c.paidCharges &&
    !c.duplicatePayments &&
    !c.missingPayments &&
    !c.extraPayments &&
    c.refundEntries === c.refunds &&
    !c.duplicateRefunds &&
    c.grossFound === c.grossExpected &&
    c.feesFound === c.feesExpected;
  return c;
}
