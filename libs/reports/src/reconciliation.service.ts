import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common';
import { toSafeInt } from '@app/database';
import { StripeGateway } from '@app/stripe';
import { toCsv } from './csv';
import { parseDate } from './periods';
import { ReconciliationQuery } from './report-query.dto';
import { ReportSettings } from './report-settings.service';

export type Problem =
  'missing_in_ledger' | 'missing_in_stripe' | 'amount_mismatch' | 'fee_mismatch' | 'payout_total_mismatch';

export interface Difference {
  problem: Problem;
  payoutId: string | null;
  balanceTransactionId: string | null;
  /** ch_…, re_…, du_…: what moved the money on Stripe's side. */
  source: string | null;
  type: string | null;
  stripeAmount: number | null;
  ledgerAmount: number | null;
  stripeFee: number | null;
  ledgerFee: number | null;
  ledgerEntryIds: string[];
  /** The supporter of the ledger entries involved, when the ledger knows one. */
  supporterId: string | null;
  note: string;
}

/** A balance transaction of a payout whose amount and fee agree with the ledger. */
export interface MatchedTransaction {
  balanceTransactionId: string;
  source: string | null;
  type: string;
  amount: number;
  fee: number;
  /** The entry whose amount matched: a charge's payment (what a refund is asked against), a refund's refund. */
  entryId: string;
  ledgerEntryIds: string[];
  supporterId: string | null;
}

export interface PayoutReconciliation {
  payoutId: string;
  status: string;
  arrivalDate: string;
  currency: string;
  amount: number;
  transactions: number;
  matched: number;
  /** Sums over the payout's transactions (its own `payout` transaction excluded). */
  stripe: { amount: number; fee: number; net: number };
  /** The transactions that agree with the ledger (`matched` of them), with their entries. */
  matchedTransactions: MatchedTransaction[];
  differences: Difference[];
}

export interface ReconciliationReport {
  from: string | null;
  to: string | null;
  timeZone: string;
  payouts: PayoutReconciliation[];
  /** Ledger entries backed by Stripe, in the time the payouts cover, whose Stripe object does not exist. */
  unmatchedLedgerEntries: Difference[];
  /** Entries in the covered time outside these payouts beyond the check limit (not looked up). */
  uncheckedLedgerEntries: number;
  differences: number;
}

interface LedgerRow {
  id: string;
  idempotency_key: string;
  kind: string;
  gross: string;
  fee: string;
  currency: string;
  occurred_at: Date;
  stripe_charge_id: string | null;
  stripe_refund_id: string | null;
  stripe_dispute_id: string | null;
  supporter_id: string | null;
}

/** Entries outside the payouts looked up on Stripe one by one, at most this many per report. */
const MAX_STRIPE_CHECKS = 200;
const WINDOW_MARGIN_S = 3600;
const CHARGE_TYPES = new Set(['charge', 'payment']);
const REFUND_TYPES = new Set(['refund', 'payment_refund']);

/**
 * Matches what Stripe paid out against the ledger. For each payout, every balance transaction
 * it contains (`GET /v1/balance_transactions?payout=`) is matched by its source:
 * - a charge: the payment entry of that charge; amount = its gross, fee = the payment's fee
 *   plus any late `fee` entries of the charge;
 * - a refund: the refund entry of that refund; a `refund_failure` (the refund failed, its money
 *   came back): the refund's `refund_failure` entry;
 * - a dispute adjustment: the dispute entry (money withdrawn) or the dispute reversal (won back).
 * Anything else, or no entry, is `missing_in_ledger`; different amounts or fees are mismatches.
 * The payout's amount must equal the sum of its transactions' net.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly stripe: StripeGateway,
    private readonly settings: ReportSettings,
  ) {}

  async reconcile(q: ReconciliationQuery): Promise<ReconciliationReport> {
    let payouts: Stripe.Payout[];
    let from: string | null = null;
    let to: string | null = null;
    if (q.payout) {
      const payout = await this.stripe.retrievePayout(q.payout);
      if (!payout) throw new DomainError('PAYOUT_NOT_FOUND', `payout ${q.payout} does not exist on Stripe`, 'payout');
      payouts = [payout];
    } else {
      if (!q.from || !q.to) {
        throw new DomainError(
          'REPORT_RANGE_INVALID',
          'give from and to (local dates), or payout',
          q.from ? 'to' : 'from',
        );
      }
      from = parseDate(q.from, 'from');
      to = parseDate(q.to, 'to');
      if (to < from) throw new DomainError('REPORT_RANGE_INVALID', 'to must not be before from', 'to');
      const [bounds] = await this.db.query(
        `SELECT EXTRACT(epoch FROM ($1::date::timestamp AT TIME ZONE $3))::bigint AS start, EXTRACT(epoch FROM (($2::date + 1)::timestamp AT TIME ZONE $3))::bigint AS stop`,
        [from, to, this.settings.timeZone],
      );
      payouts = await this.stripe.listPayoutsArriving(toSafeInt(bounds.start), toSafeInt(bounds.stop));
    }

    const contents = await Promise.all(
      payouts.map(async (p) => ({
        payout: p,
        txns: (await this.stripe.listPayoutBalanceTransactions(p.id)).filter((t) => t.type !== 'payout'),
      })),
    );
    const all = contents.flatMap((c) => c.txns);
    const entries = await this.ledgerFor(all);
    const matchedIds = new Set<string>();
    const results = contents.map(({ payout, txns }) => this.reconcilePayout(payout, txns, entries, matchedIds));

    // Stripe-backed ledger entries in the time these payouts cover that none of them contains.
    const unmatched: Difference[] = [];
    let unchecked = 0;
    if (all.length) {
      // A balance transaction may be created a little after what the ledger dates (a late fee).
      const start = new Date((Math.min(...all.map((t) => t.created)) - WINDOW_MARGIN_S) * 1000);
      const end = new Date((Math.max(...all.map((t) => t.created)) + WINDOW_MARGIN_S) * 1000);
      const currencies = [...new Set(all.map((t) => t.currency.toUpperCase()))];
      const rows: LedgerRow[] = await this.db.query(
        `SELECT id, kind, gross, fee, currency, occurred_at, stripe_charge_id, stripe_refund_id, stripe_dispute_id, supporter_id FROM ledger_entries
          WHERE occurred_at BETWEEN $1 AND $2 AND currency = ANY($3::text[])
            AND ((kind = 'payment' AND stripe_charge_id IS NOT NULL) OR (kind IN ('refund', 'refund_failure') AND stripe_refund_id IS NOT NULL) OR (kind IN ('dispute', 'dispute_reversal') AND stripe_dispute_id IS NOT NULL))
          ORDER BY occurred_at, id`,
        [start, end, currencies],
      );
      // In the covered time but in none of these payouts: most are simply in an earlier or
      // later payout; the ones Stripe has never heard of are what the ledger invented.
      const candidates = rows.filter((r) => !matchedIds.has(r.id));
      for (const r of candidates.slice(0, MAX_STRIPE_CHECKS)) {
        const source = (r.stripe_refund_id ?? r.stripe_dispute_id ?? r.stripe_charge_id)!;
        if (await this.stripe.objectExists(source)) continue;
        unmatched.push({
          problem: 'missing_in_stripe',
          payoutId: null,
          balanceTransactionId: null,
          source,
          type: r.kind,
          stripeAmount: null,
          ledgerAmount: toSafeInt(r.gross),
          stripeFee: null,
          ledgerFee: toSafeInt(r.fee),
          ledgerEntryIds: [r.id],
          supporterId: r.supporter_id,
          note: `recorded ${r.occurred_at.toISOString()} against ${source}, which Stripe does not know`,
        });
      }
      unchecked = Math.max(candidates.length - MAX_STRIPE_CHECKS, 0);
    }
    return {
      from,
      to,
      timeZone: this.settings.timeZone,
      payouts: results,
      unmatchedLedgerEntries: unmatched,
      uncheckedLedgerEntries: unchecked,
      differences: results.reduce((a, r) => a + r.differences.length, 0) + unmatched.length,
    };
  }

  private async ledgerFor(txns: Stripe.BalanceTransaction[]): Promise<LedgerRow[]> {
    const sources = txns.map((t) => sourceId(t)).filter((s): s is string => !!s);
    if (!sources.length) return [];
    return this.db.query(
      `SELECT id, idempotency_key, kind, gross, fee, currency, occurred_at, stripe_charge_id, stripe_refund_id, stripe_dispute_id, supporter_id FROM ledger_entries
        WHERE (kind IN ('payment', 'fee') AND stripe_charge_id = ANY($1::text[]))
           OR (kind = 'fee' AND idempotency_key = ANY($2::text[]))
           OR (kind IN ('refund', 'refund_failure') AND stripe_refund_id = ANY($1::text[]))
           OR (kind IN ('dispute', 'dispute_reversal') AND stripe_dispute_id = ANY($1::text[]))`,
      [sources, txns.map((t) => `fee:${t.id}`)],
    );
  }

  private reconcilePayout(
    payout: Stripe.Payout,
    txns: Stripe.BalanceTransaction[],
    entries: LedgerRow[],
    matchedIds: Set<string>,
  ): PayoutReconciliation {
    const differences: Difference[] = [];
    const matchedTransactions: MatchedTransaction[] = [];
    let matched = 0;
    const stripe = { amount: 0, fee: 0, net: 0 };
    for (const t of txns) {
      stripe.amount += t.amount;
      stripe.fee += t.fee;
      stripe.net += t.net;
      const source = sourceId(t);
      const base = {
        payoutId: payout.id,
        balanceTransactionId: t.id,
        source,
        type: t.type,
        stripeAmount: t.amount,
        stripeFee: t.fee,
      };
      let amountRows: LedgerRow[] = [];
      let feeRows: LedgerRow[] = [];
      if (source && CHARGE_TYPES.has(t.type)) {
        amountRows = entries.filter((e) => e.kind === 'payment' && e.stripe_charge_id === source);
        feeRows = entries.filter((e) => (e.kind === 'payment' || e.kind === 'fee') && e.stripe_charge_id === source);
      } else if (source && REFUND_TYPES.has(t.type)) {
        amountRows = feeRows = entries.filter((e) => e.kind === 'refund' && e.stripe_refund_id === source);
      } else if (source && t.type === 'refund_failure') {
        // A refund that failed: the money back, matched to its compensating entry.
        amountRows = feeRows = entries.filter((e) => e.kind === 'refund_failure' && e.stripe_refund_id === source);
      } else if (source && (source.startsWith('du_') || source.startsWith('dp_'))) {
        const kind = t.amount < 0 ? 'dispute' : 'dispute_reversal';
        amountRows = feeRows = entries.filter((e) => e.kind === kind && e.stripe_dispute_id === source);
      }
      // A fee Stripe charged in the settlement currency on converted money is its own entry, keyed by the transaction.
      const convertedFees = entries.filter(
        (e) => e.kind === 'fee' && e.idempotency_key === `fee:${t.id}` && !feeRows.includes(e),
      );
      feeRows = [...feeRows, ...convertedFees];
      if (!amountRows.length) {
        differences.push({
          ...base,
          problem: 'missing_in_ledger',
          ledgerAmount: null,
          ledgerFee: null,
          ledgerEntryIds: [],
          supporterId: null,
          note: `Stripe moved ${t.amount} ${t.currency} (${t.type}${source ? ` ${source}` : ''}) and the ledger has no entry for it`,
        });
        continue;
      }
      for (const r of feeRows) matchedIds.add(r.id);
      const ledgerAmount = amountRows.reduce((a, r) => a + toSafeInt(r.gross), 0);
      // Fees are counted in the transaction's currency (a converted charge's fee is in the settlement currency).
      const ledgerFee = feeRows
        .filter((r) => r.currency.trim().toLowerCase() === t.currency.toLowerCase())
        .reduce((a, r) => a + toSafeInt(r.fee), 0);
      const ids = feeRows.map((r) => r.id);
      const supporterId = amountRows.find((r) => r.supporter_id)?.supporter_id ?? null;
      let ok = true;
      const ledgerCurrency = amountRows[0].currency.trim();
      // Money Stripe converted: the ledger's amount (charge currency) × Stripe's rate is the settled amount.
      const settled =
        ledgerCurrency.toLowerCase() === t.currency.toLowerCase()
          ? ledgerAmount
          : t.exchange_rate
            ? Math.sign(ledgerAmount) * Math.round(Math.abs(ledgerAmount) * t.exchange_rate)
            : null;
      if (settled !== t.amount) {
        ok = false;
        differences.push({
          ...base,
          problem: 'amount_mismatch',
          ledgerAmount,
          ledgerFee,
          ledgerEntryIds: ids,
          supporterId,
          note: `Stripe ${t.amount} ${t.currency}${t.exchange_rate ? ` (at ${t.exchange_rate})` : ''}, ledger ${ledgerAmount} ${ledgerCurrency}`,
        });
      }
      if (ledgerFee !== t.fee) {
        ok = false;
        differences.push({
          ...base,
          problem: 'fee_mismatch',
          ledgerAmount,
          ledgerFee,
          ledgerEntryIds: ids,
          supporterId,
          note: `Stripe fee ${t.fee}, ledger fee ${ledgerFee}`,
        });
      }
      if (ok) {
        matched++;
        matchedTransactions.push({
          balanceTransactionId: t.id,
          source,
          type: t.type,
          amount: t.amount,
          fee: t.fee,
          entryId: amountRows[0].id,
          ledgerEntryIds: ids,
          supporterId,
        });
      }
    }
    if (stripe.net !== payout.amount) {
      differences.push({
        problem: 'payout_total_mismatch',
        payoutId: payout.id,
        balanceTransactionId: null,
        source: null,
        type: 'payout',
        stripeAmount: payout.amount,
        ledgerAmount: null,
        stripeFee: null,
        ledgerFee: null,
        ledgerEntryIds: [],
        supporterId: null,
        note: `payout of ${payout.amount} but its transactions net ${stripe.net}`,
      });
    }
    return {
      payoutId: payout.id,
      status: payout.status,
      arrivalDate: new Date(payout.arrival_date * 1000).toISOString(),
      currency: payout.currency.toUpperCase(),
      amount: payout.amount,
      transactions: txns.length,
      matched,
      stripe,
      matchedTransactions,
      differences,
    };
  }

  async reconcileCsv(q: ReconciliationQuery): Promise<string> {
    const report = await this.reconcile(q);
    const rows = [...report.payouts.flatMap((p) => p.differences), ...report.unmatchedLedgerEntries];
    return toCsv(
      [
        'problem',
        'payout_id',
        'balance_transaction_id',
        'source',
        'type',
        'stripe_amount',
        'ledger_amount',
        'stripe_fee',
        'ledger_fee',
        'ledger_entry_ids',
        'note',
      ],
      rows.map((d) => [
        d.problem,
        d.payoutId,
        d.balanceTransactionId,
        d.source,
        d.type,
        d.stripeAmount,
        d.ledgerAmount,
        d.stripeFee,
        d.ledgerFee,
        d.ledgerEntryIds.join(' '),
        d.note,
      ]),
    );
  }
}

function sourceId(t: Stripe.BalanceTransaction): string | null {
  const s = t.source as string | { id: string } | null;
  return typeof s === 'string' ? s : (s?.id ?? null);
}
