import { LEDGER_TYPES, CHANNELS } from '@app/ledger';

/** The money of a set of ledger entries, as finance reads it. All amounts in minor units. */
export interface Figures {
  /** Payments received (before fees, refunds and disputes). */
  gross: number;
  /** Stripe fees (payment fees, late fees, dispute fees; returned fees negative). */
  fees: number;
  /** What stays: gross − refunds − disputes − fees (the sum of every entry's net). */
  net: number;
  /** Refunded and reversed, as a positive amount. */
  refunds: number;
  /** Lost to disputes, less disputes won back, as a positive amount. */
  disputes: number;
  payments: number;
  refundCount: number;
  disputeCount: number;
}

export const zeroFigures = (): Figures => ({ gross: 0, fees: 0, net: 0, refunds: 0, disputes: 0, payments: 0, refundCount: 0, disputeCount: 0 });

/** One aggregated group of ledger entries of one kind. */
export interface KindTotals {
  kind: string;
  gross: number;
  fee: number;
  net: number;
  entries: number;
}

/** Adds one kind's totals into figures; every ledger kind lands in exactly one measure. */
export function addKind(f: Figures, t: KindTotals): void {
  f.fees += t.fee;
  f.net += t.net;
  switch (t.kind) {
    case 'payment':
      f.gross += t.gross;
      f.payments += t.entries;
      break;
    case 'refund':
    case 'reversal':
      f.refunds -= t.gross;
      f.refundCount += t.entries;
      break;
    case 'dispute':
      f.disputes -= t.gross;
      f.disputeCount += t.entries;
      break;
    case 'dispute_reversal':
      f.disputes -= t.gross;
      break;
    case 'fee':
      break;
    default:
      throw new Error(`ledger kind ${t.kind} has no place in the summary`);
  }
}

export interface SummaryFigures extends Figures {
  byType: Record<string, Figures>;
  byChannel: Record<string, Figures>;
}

export function emptySummaryFigures(): SummaryFigures {
  return {
    ...zeroFigures(),
    byType: Object.fromEntries(LEDGER_TYPES.map((t) => [t, zeroFigures()])),
    byChannel: Object.fromEntries(CHANNELS.map((c) => [c, zeroFigures()])),
  };
}

export function addGroup(s: SummaryFigures, type: string, channel: string, t: KindTotals): void {
  addKind(s, t);
  addKind((s.byType[type] ??= zeroFigures()), t);
  addKind((s.byChannel[channel] ??= zeroFigures()), t);
}
