import { LEDGER_TYPES, CHANNELS } from '@app/ledger';

/** The money of a set of ledger entries, as finance reads it. All amounts in minor units. */
export interface Figures {
  /**
   * Payments received (before fees, refunds and disputes), less corrections: a payment entered
   * in error and reversed was never given.
   */
  gross: number;
  /** Stripe fees (payment fees, late fees, dispute fees; returned fees negative). */
  fees: number;
  /** What stays: gross − refunds − disputes − fees (the sum of every entry's net). */
  net: number;
  /** Refunded to readers (Stripe refunds), as a positive amount (less refunds that failed and came back). */
  refunds: number;
  /** Entries made in error and reversed by staff, as a positive amount (already out of gross). */
  corrections: number;
  /** Lost to disputes, less disputes won back, as a positive amount. */
  disputes: number;
  payments: number;
  refundCount: number;
  disputeCount: number;
  correctionCount: number;
}

export const zeroFigures = (): Figures => ({
  gross: 0,
  fees: 0,
  net: 0,
  refunds: 0,
  corrections: 0,
  disputes: 0,
  payments: 0,
  refundCount: 0,
  disputeCount: 0,
  correctionCount: 0,
});

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
      f.refunds -= t.gross;
      f.refundCount += t.entries;
      break;
    case 'refund_failure':
      // A refund that failed after it succeeded: the money came back, so it was not refunded.
      f.refunds -= t.gross;
      break;
    case 'reversal':
      // A correction: the reversed entry was never given, so it leaves gross (in the period the
      // reversal is recorded) and is shown on its own, not as a refund.
      f.gross += t.gross;
      f.corrections -= t.gross;
      f.correctionCount += t.entries;
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
