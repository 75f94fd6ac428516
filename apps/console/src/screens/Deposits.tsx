/**
 * Bank deposits (finance): open a deposit, pick the phone cash and cheques that go in it, close it
 * with the bank's reference and the day it was banked, and print the deposit slip (the print
 * stylesheet shows the slip alone). The deposit routes take no Idempotency-Key: a second open is
 * kept from a double click by the busy guard, and a closed deposit refuses any change (409).
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { api, type ApiError } from '../api';
import { Field, Problem, ScrollBox } from '../components';
import { today } from '../dates';
import { count, dateTime, money } from '../format';
import type { Deposit, DepositEntry, DepositSummary } from '../types';

const methodLabel = (m: DepositEntry['method']) => (m === 'cash' ? 'Cash' : 'Cheque');

export function Deposits() {
  const [list, setList] = useState<DepositSummary[]>();
  const [listError, setListError] = useState<ApiError>();
  const [deposit, setDeposit] = useState<Deposit>();
  const [openError, setOpenError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const busy = useRef(false);
  const [working, setWorking] = useState(false);

  /**
   * The organisation's time zone (dates on deposits are its dates): the phone reconciliation
   * answers it, with what of today's phone money is still to bank.
   */
  const [zone, setZone] = useState<string>();
  useEffect(() => {
    const day = today();
    void api
      .GET('/api/reports/phone-reconciliation', { params: { query: { from: day, to: day } } })
      .then(({ data }) => {
        if (data) setZone(data.timeZone);
      });
  }, []);

  const load = useCallback(async () => {
    const { data, error } = await api.GET('/api/deposits');
    setList(data);
    setListError(error);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  /** One request at a time: a double click does not open two deposits or add twice. */
  async function once<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (busy.current) return undefined;
    busy.current = true;
    setWorking(true);
    try {
      return await work();
    } finally {
      busy.current = false;
      setWorking(false);
    }
  }

  async function show(id: string) {
    setNotice(undefined);
    const { data, error } = await api.GET('/api/deposits/{id}', { params: { path: { id } } });
    setListError(error);
    if (data) setDeposit(data);
  }

  async function open(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formElement = e.currentTarget;
    const note = String(new FormData(formElement).get('note') ?? '').trim();
    await once(async () => {
      const { data, error } = await api.POST('/api/deposits', { body: note ? { note } : {} });
      setOpenError(error);
      if (data) {
        formElement.reset();
        setDeposit(data);
        setNotice('Deposit opened: tick the cash and cheques going to the bank.');
        await load();
      }
    });
  }

  return (
    <section aria-labelledby="deposits-title">
      <div className="no-print">
        <h1 id="deposits-title">Deposits</h1>
        <form onSubmit={(e) => void open(e)} className="inline" noValidate>
          <Field label="Note (optional)" name="note" error={openError} maxLength={500} />
          <button type="submit" disabled={working}>
            Open a deposit
          </button>
        </form>
        <Problem error={openError} fields={['note']} />
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <Problem error={listError} />
        {list && (
          <ScrollBox label="Deposits">
            <table>
              <caption>{list.length ? 'Deposits, newest first' : 'No deposits yet'}</caption>
              <thead>
                <tr>
                  <th scope="col">Opened</th>
                  <th scope="col">State</th>
                  <th scope="col">Note</th>
                  <th scope="col">Bank reference</th>
                  <th scope="col">Banked on</th>
                  <th scope="col" className="num">
                    Items
                  </th>
                  <th scope="col" className="num">
                    Total
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((d) => (
                  <tr key={d.id} data-deposit={d.id} aria-current={deposit?.id === d.id ? 'true' : undefined}>
                    <td>{dateTime(d.openedAt, zone)}</td>
                    <td>{d.status}</td>
                    <td>{d.note ?? ''}</td>
                    <td>{d.bankReference ?? ''}</td>
                    <td>{d.depositedOn ?? ''}</td>
                    <td className="num">{count(d.totals.count)}</td>
                    <td className="num">{money(d.totals.total, d.currency)}</td>
                    <td>
                      <button
                        type="button"
                        className="secondary"
                        onClick={() => void show(d.id)}
                        aria-label={`Show the deposit opened ${dateTime(d.openedAt, zone)}`}
                      >
                        Show
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
        )}
      </div>
      {deposit && (
        <DepositView
          key={`${deposit.id}-${zone ?? ''}`}
          deposit={deposit}
          zone={zone}
          working={working}
          once={once}
          onChange={async (d, message) => {
            setDeposit(d);
            setNotice(message);
            await load();
          }}
        />
      )}
    </section>
  );
}

function DepositView({
  deposit,
  zone,
  working,
  once,
  onChange,
}: {
  deposit: Deposit;
  /** The organisation's time zone, once known (the browser's until then). */
  zone?: string;
  working: boolean;
  once: <T>(work: () => Promise<T>) => Promise<T | undefined>;
  onChange: (d: Deposit, message: string) => Promise<void>;
}) {
  const [error, setError] = useState<ApiError>();
  const [closeError, setCloseError] = useState<ApiError>();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const available = deposit.available?.entries ?? [];

  async function add(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const entryIds = [...picked];
    if (!entryIds.length) {
      setError({
        statusCode: 400,
        code: 'NOTHING_PICKED',
        message: 'Tick at least one entry to add.',
        field: 'entryIds',
      });
      return;
    }
    await once(async () => {
      const { data, error } = await api.POST('/api/deposits/{id}/entries', {
        params: { path: { id: deposit.id } },
        body: { entryIds },
      });
      setError(error);
      if (data) {
        setPicked(new Set());
        await onChange(data, `Added ${entryIds.length} ${entryIds.length === 1 ? 'entry' : 'entries'} to the deposit.`);
      }
    });
  }

  async function remove(entry: DepositEntry) {
    await once(async () => {
      const { data, error } = await api.DELETE('/api/deposits/{id}/entries/{entryId}', {
        params: { path: { id: deposit.id, entryId: entry.id } },
      });
      setError(error);
      if (data) {
        await onChange(
          data,
          `Took the ${methodLabel(entry.method).toLowerCase()} of ${money(entry.amount, entry.currency)} out.`,
        );
      }
    });
  }

  async function close(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    await once(async () => {
      const { data, error } = await api.POST('/api/deposits/{id}/close', {
        params: { path: { id: deposit.id } },
        body: {
          bankReference: String(form.get('bankReference') ?? ''),
          depositedOn: String(form.get('depositedOn') ?? ''),
        },
      });
      setCloseError(error);
      if (data) {
        await onChange(
          data,
          `Deposit closed: ${money(data.totals.total, data.currency)} banked on ${data.depositedOn} (${data.bankReference}).`,
        );
      }
    });
  }

  const toggle = (id: string, on: boolean) =>
    setPicked((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <div className="deposit">
      <div className="slip" aria-labelledby="slip-title">
        <h2 id="slip-title">
          {deposit.status === 'closed' ? 'Deposit slip' : 'Open deposit'}
          {deposit.bankReference ? `: ${deposit.bankReference}` : ''}
        </h2>
        <dl className="facts">
          <dt>Opened</dt>
          <dd>{dateTime(deposit.openedAt, zone)}</dd>
          {deposit.depositedOn && (
            <>
              <dt>Banked on</dt>
              <dd data-deposited-on>{deposit.depositedOn}</dd>
            </>
          )}
          {deposit.note && (
            <>
              <dt>Note</dt>
              <dd>{deposit.note}</dd>
            </>
          )}
          <dt>Cash</dt>
          <dd>{money(deposit.totals.cash, deposit.currency)}</dd>
          <dt>Cheques</dt>
          <dd>{money(deposit.totals.cheque, deposit.currency)}</dd>
          <dt>Total</dt>
          <dd data-deposit-total>{money(deposit.totals.total, deposit.currency)}</dd>
        </dl>
        <table>
          <caption>
            {count(deposit.totals.count)} {deposit.totals.count === 1 ? 'item' : 'items'} in this deposit
          </caption>
          <thead>
            <tr>
              <th scope="col">Taken</th>
              <th scope="col">Method</th>
              <th scope="col">Reference</th>
              <th scope="col">From</th>
              <th scope="col" className="num">
                Amount
              </th>
              {deposit.status === 'open' && (
                <th scope="col" className="no-print">
                  <span className="visually-hidden">Action</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {deposit.entries.map((entry) => (
              <tr key={entry.id} data-entry={entry.id}>
                <td>{entry.localDate}</td>
                <td>{methodLabel(entry.method)}</td>
                <td>{entry.reference ?? ''}</td>
                <td>{entry.supporterName ?? ''}</td>
                <td className="num">{money(entry.amount, entry.currency)}</td>
                {deposit.status === 'open' && (
                  <td className="no-print">
                    <button
                      type="button"
                      className="secondary"
                      disabled={working}
                      onClick={() => void remove(entry)}
                      aria-label={`Take out ${methodLabel(entry.method).toLowerCase()} ${money(entry.amount, entry.currency)} ${entry.reference ?? ''}`.trim()}
                    >
                      Take out
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={4}>
                Total
              </th>
              <td className="num">{money(deposit.totals.total, deposit.currency)}</td>
              {deposit.status === 'open' && <td className="no-print" />}
            </tr>
          </tfoot>
        </table>
        {deposit.status === 'closed' && (
          <p className="signature">Banked by: ____________________ &nbsp; Signature: ____________________</p>
        )}
      </div>
      <div className="no-print">
        <Problem error={error} />
        {deposit.status === 'closed' ? (
          <button type="button" onClick={() => window.print()}>
            Print deposit slip
          </button>
        ) : (
          <>
            <form onSubmit={(e) => void add(e)} noValidate>
              <fieldset>
                <legend>Cash and cheques not in a deposit yet</legend>
                {available.length === 0 && <p>Nothing is waiting to be deposited.</p>}
                <ul className="picks">
                  {available.map((entry) => (
                    <li key={entry.id}>
                      <label>
                        <input
                          type="checkbox"
                          name="entryIds"
                          value={entry.id}
                          checked={picked.has(entry.id)}
                          onChange={(e) => toggle(entry.id, e.currentTarget.checked)}
                        />{' '}
                        {methodLabel(entry.method)} {money(entry.amount, entry.currency)}
                        {entry.reference ? ` (${entry.reference})` : ''}
                        {entry.supporterName ? ` from ${entry.supporterName}` : ''}, {entry.localDate}
                      </label>
                    </li>
                  ))}
                </ul>
                {available.length > 0 && (
                  <div className="actions">
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => setPicked(new Set(available.map((a) => a.id)))}
                    >
                      Tick all
                    </button>
                    <button type="submit" disabled={working}>
                      Add ticked to deposit
                    </button>
                  </div>
                )}
              </fieldset>
            </form>
            <form onSubmit={(e) => void close(e)} className="inline close-deposit" noValidate>
              <Field label="Bank reference" name="bankReference" required maxLength={100} error={closeError} />
              <Field
                label="Banked on"
                name="depositedOn"
                type="date"
                required
                defaultValue={today(zone)}
                error={closeError}
              />
              <button type="submit" disabled={working}>
                Close deposit
              </button>
            </form>
            <Problem error={closeError} fields={['bankReference', 'depositedOn']} />
          </>
        )}
      </div>
    </div>
  );
}
