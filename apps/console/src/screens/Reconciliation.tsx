/**
 * Reconciliation (finance): Stripe's payouts arriving in a range of local days (or one payout),
 * each with the transactions that agree with the ledger and the differences, which are
 * highlighted, with the ledger entries involved and links to their supporter's page.
 */
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { api, type ApiError } from '../api';
import { Field, Link, Problem, ScrollBox } from '../components';
import { wholeMonth } from '../dates';
import { fileNameOf, saveFile } from '../download';
import { count, dateTime, money } from '../format';
import { parseMoney } from '../money-input';
import type { MatchedTransaction, ReconciliationDifference, ReconciliationReport } from '../types';

type Query = { from: string; to: string } | { payout: string };

const PROBLEMS: Record<ReconciliationDifference['problem'], string> = {
  missing_in_ledger: 'Missing in the ledger',
  missing_in_stripe: 'Missing at Stripe',
  amount_mismatch: 'Amounts differ',
  fee_mismatch: 'Fees differ',
  payout_total_mismatch: 'Payout total differs',
};

const amount = (minor: number | null, currency: string) => (minor === null ? '–' : money(minor, currency));

function Entries({ ids, supporterId }: { ids: string[]; supporterId: string | null }) {
  if (!ids.length) return <>none</>;
  return (
    <>
      {ids.map((id, i) => (
        <span key={id}>
          {i > 0 && ', '}
          <code data-ledger-entry={id}>{id}</code>
        </span>
      ))}
      {supporterId && (
        <>
          {' '}
          (<Link to={`/supporters/${supporterId}`}>supporter</Link>)
        </>
      )}
    </>
  );
}

function Differences({
  rows,
  currency,
  caption,
}: {
  rows: ReconciliationDifference[];
  currency: string;
  caption: string;
}) {
  return (
    <ScrollBox label={caption}>
      <table className="differences">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Problem</th>
            <th scope="col">Stripe transaction</th>
            <th scope="col" className="num">
              Stripe amount
            </th>
            <th scope="col" className="num">
              Ledger amount
            </th>
            <th scope="col" className="num">
              Stripe fee
            </th>
            <th scope="col" className="num">
              Ledger fee
            </th>
            <th scope="col">Ledger entries</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d, i) => {
            const amountDiffers = d.stripeAmount !== d.ledgerAmount;
            const feeDiffers = d.stripeFee !== d.ledgerFee;
            return (
              <tr
                key={`${d.balanceTransactionId ?? d.source ?? 'x'}-${d.problem}-${i}`}
                className="mismatch"
                data-problem={d.problem}
              >
                <th scope="row">
                  <span className="flag">{PROBLEMS[d.problem]}</span>
                </th>
                <td>
                  {d.balanceTransactionId ?? ''} {d.type ?? ''} {d.source ?? ''}
                </td>
                <td className={`num${amountDiffers ? ' differs' : ''}`}>{amount(d.stripeAmount, currency)}</td>
                <td className={`num${amountDiffers ? ' differs' : ''}`}>{amount(d.ledgerAmount, currency)}</td>
                <td className={`num${feeDiffers ? ' differs' : ''}`}>{amount(d.stripeFee, currency)}</td>
                <td className={`num${feeDiffers ? ' differs' : ''}`}>{amount(d.ledgerFee, currency)}</td>
                <td>
                  <Entries ids={d.ledgerEntryIds} supporterId={d.supporterId} />
                </td>
                <td>{d.note}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollBox>
  );
}

const REASONS = [
  ['requested_by_customer', 'Asked for by the supporter'],
  ['duplicate', 'Paid twice'],
  ['fraudulent', 'Fraudulent'],
] as const;
type Reason = (typeof REASONS)[number][0];

/**
 * Refunding all or part of a card payment through Stripe (finance, admin). One Idempotency-Key
 * per form: a double click or a retry asks Stripe once; a new key only after a refund went through.
 * The ledger follows through Stripe's webhook.
 */
function RefundForm({ payment, currency }: { payment: MatchedTransaction; currency: string }) {
  const [key, setKey] = useState(() => crypto.randomUUID());
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const selectId = useId();
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy) return;
    const form = new FormData(e.currentTarget);
    const text = String(form.get('amount') ?? '').trim();
    const amount = text ? (parseMoney(text, currency) ?? null) : undefined;
    if (amount === null || (amount !== undefined && amount < 1)) {
      setError({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        field: 'amount',
        message: 'amount must be an amount of money, like 12.50',
      });
      return;
    }
    const note = String(form.get('note') ?? '').trim();
    setBusy(true);
    const { data, error } = await api.POST('/api/ledger-entries/{id}/refund', {
      params: { path: { id: payment.entryId }, header: { 'Idempotency-Key': key } },
      body: {
        reason: String(form.get('reason')) as Reason,
        ...(amount !== undefined ? { amount } : {}),
        ...(note ? { note } : {}),
      },
    });
    setBusy(false);
    setError(error);
    if (data) {
      setDone(
        `Refund of ${money(data.amount, data.currency)} asked of Stripe (${data.refundId}, ${data.status ?? 'pending'}): the ledger follows when Stripe confirms.`,
      );
      setKey(crypto.randomUUID());
    }
  }
  function escape(e: KeyboardEvent<HTMLFormElement>) {
    if (e.key !== 'Escape') return;
    e.currentTarget.reset();
    setError(undefined);
  }
  return (
    <form
      id={`refund-${payment.balanceTransactionId}`}
      onSubmit={(e) => void submit(e)}
      onKeyDown={escape}
      className="inline refund"
      noValidate
      aria-label={`Refund ${payment.source ?? payment.entryId}`}
    >
      <Field
        label="Amount to refund"
        name="amount"
        inputMode="decimal"
        hint={`Up to ${money(payment.amount, currency)}; empty refunds what is left.`}
        error={error}
      />
      <div className="field">
        <label htmlFor={selectId}>Reason</label>
        <select id={selectId} name="reason" defaultValue="requested_by_customer">
          {REASONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <Field label="Note (optional)" name="note" maxLength={500} error={error} />
      <button type="submit" disabled={busy}>
        Refund
      </button>
      <Problem error={error} fields={['amount', 'note', 'reason']} />
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
    </form>
  );
}

export function Reconciliation() {
  const [query, setQuery] = useState<Query>(() => wholeMonth());
  /** The organisation's time zone (from the first answer): the default month is its month. */
  const [zone, setZone] = useState<string>();
  const [asked, setAsked] = useState(0);
  const askedRef = useRef(0);
  const [report, setReport] = useState<ReconciliationReport>();
  const [error, setError] = useState<ApiError>();
  const [csvError, setCsvError] = useState<ApiError>();
  const [loading, setLoading] = useState(false);
  const [refunding, setRefunding] = useState<string>();
  useEffect(() => {
    let live = true;
    setLoading(true);
    void api.GET('/api/reports/reconciliation', { params: { query } }).then(({ data, error }) => {
      if (!live) return;
      setLoading(false);
      setReport(data);
      setError(error);
      if (!data) return;
      setZone((z) => z ?? data.timeZone);
      // Until someone picks a range, the default is this month where the organisation is.
      if (askedRef.current > 0) return;
      const month = wholeMonth(data.timeZone);
      setQuery((q) => ('from' in q && q.from === month.from && q.to === month.to ? q : month));
    });
    return () => {
      live = false;
    };
  }, [query, asked]);
  function choose(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const payout = String(form.get('payout') ?? '').trim();
    askedRef.current += 1;
    setAsked(askedRef.current);
    setQuery(payout ? { payout } : { from: String(form.get('from')), to: String(form.get('to')) });
  }
  async function download() {
    const { data, error, response } = await api.GET('/api/reports/reconciliation.csv', {
      params: { query },
      parseAs: 'blob',
    });
    setCsvError(error);
    if (data) saveFile(data, fileNameOf(response, 'reconciliation.csv'));
  }
  const range = 'from' in query ? query : wholeMonth(zone);
  return (
    <section aria-labelledby="reconciliation-title">
      <h1 id="reconciliation-title">Reconciliation</h1>
      <p className="muted">Stripe payouts matched against the ledger, by the local day they arrive.</p>
      <form key={zone ?? 'browser'} onSubmit={choose} className="inline" noValidate>
        <Field label="From" name="from" type="date" defaultValue={range.from} error={error} />
        <Field label="To" name="to" type="date" defaultValue={range.to} error={error} />
        <Field label="Or one payout" name="payout" placeholder="po_…" error={error} />
        <button type="submit">Show</button>
      </form>
      <Problem error={error} fields={['from', 'to', 'payout']} />
      {loading && <p aria-live="polite">Asking Stripe…</p>}
      {report && (
        <>
          <p data-reconciliation-summary>
            {count(report.payouts.length)} payout{report.payouts.length === 1 ? '' : 's'},{' '}
            {report.differences === 0 ? (
              'no differences'
            ) : (
              <strong className="differs">
                {count(report.differences)} difference{report.differences === 1 ? '' : 's'}
              </strong>
            )}{' '}
            ({report.timeZone}).
          </p>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => void download()}>
              Download differences CSV
            </button>
          </div>
          <Problem error={csvError} />
          {report.payouts.map((p) => (
            <article
              key={p.payoutId}
              className="payout"
              data-payout={p.payoutId}
              aria-labelledby={`payout-${p.payoutId}`}
            >
              <h2 id={`payout-${p.payoutId}`}>
                Payout {p.payoutId}: {money(p.amount, p.currency)}{' '}
                <span className={p.differences.length ? 'badge bad' : 'badge good'}>
                  {p.differences.length ? `${p.differences.length} to check` : 'matches'}
                </span>
              </h2>
              <dl className="facts">
                <dt>Status</dt>
                <dd>{p.status}</dd>
                <dt>Arrives</dt>
                <dd>{dateTime(p.arrivalDate, report.timeZone)}</dd>
                <dt>Transactions</dt>
                <dd>
                  {count(p.transactions)}, {count(p.matched)} matched
                </dd>
                <dt>Stripe gross / fees / net</dt>
                <dd>
                  {money(p.stripe.amount, p.currency)} / {money(p.stripe.fee, p.currency)} /{' '}
                  {money(p.stripe.net, p.currency)}
                </dd>
              </dl>
              {p.differences.length > 0 && (
                <Differences rows={p.differences} currency={p.currency} caption={`Differences in ${p.payoutId}`} />
              )}
              <ScrollBox label={`Matched transactions in ${p.payoutId}`}>
                <table>
                  <caption>Matched transactions in {p.payoutId}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Stripe transaction</th>
                      <th scope="col">Type</th>
                      <th scope="col">Source</th>
                      <th scope="col" className="num">
                        Amount
                      </th>
                      <th scope="col" className="num">
                        Fee
                      </th>
                      <th scope="col">Ledger entries</th>
                      <th scope="col">
                        <span className="visually-hidden">Action</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.matchedTransactions.map((m) => (
                      <tr key={m.balanceTransactionId} data-matched={m.source ?? m.balanceTransactionId}>
                        <td>{m.balanceTransactionId}</td>
                        <td>{m.type}</td>
                        <td>{m.source ?? ''}</td>
                        <td className="num">{money(m.amount, p.currency)}</td>
                        <td className="num">{money(m.fee, p.currency)}</td>
                        <td>
                          <Entries ids={m.ledgerEntryIds} supporterId={m.supporterId} />
                        </td>
                        <td>
                          {(m.type === 'charge' || m.type === 'payment') && (
                            <button
                              type="button"
                              className="secondary"
                              aria-expanded={refunding === m.balanceTransactionId}
                              aria-controls={
                                refunding === m.balanceTransactionId ? `refund-${m.balanceTransactionId}` : undefined
                              }
                              aria-label={`Refund ${m.source ?? ''} (${money(m.amount, p.currency)})`}
                              onClick={() =>
                                setRefunding((r) => (r === m.balanceTransactionId ? undefined : m.balanceTransactionId))
                              }
                            >
                              Refund…
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                    {p.matchedTransactions.length === 0 && (
                      <tr>
                        <td colSpan={7}>None of its transactions matches the ledger.</td>
                      </tr>
                    )}
                  </tbody>
                </table>
              </ScrollBox>
              {p.matchedTransactions
                .filter((m) => m.balanceTransactionId === refunding)
                .map((m) => (
                  <RefundForm key={m.balanceTransactionId} payment={m} currency={p.currency} />
                ))}
            </article>
          ))}
          {report.payouts.length === 0 && <p>No payouts arrive in this range.</p>}
          {report.unmatchedLedgerEntries.length > 0 && (
            <Differences
              rows={report.unmatchedLedgerEntries}
              currency={report.payouts[0]?.currency ?? 'AUD'}
              caption="Ledger entries Stripe does not know"
            />
          )}
          {report.uncheckedLedgerEntries > 0 && (
            <p className="muted">
              {count(report.uncheckedLedgerEntries)} more ledger entries were not looked up on Stripe.
            </p>
          )}
        </>
      )}
    </section>
  );
}
