import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, type ApiError, type Schemas } from '../api';
import { Field, Problem } from '../components';
import { dateTime, money } from '../format';
import { addressFrom, checkAddress, fieldError, newKey, optional, parseAmount } from '../phone-kit';
import { usePath } from '../router';
import { useSession } from '../session';
import { AddressFields } from './AddressFields';
import { VoidForm } from './Phone';

type SupporterRecord = Schemas['SupporterRecordDto'];
type Payment = Schemas['SupporterPaymentDto'];
type Duplicate = Schemas['SupporterDuplicateDto'];
type Export = Schemas['SupporterExportDto'];
type Activity = Schemas['SupporterActivityDto'];
type Tier = Schemas['TierDto'];

/** Subscriptions whose status still gives access. */
const LIVE = new Set(['active', 'trialing', 'past_due']);

/**
 * A supporter (/supporters/:id): details (editable), payments with the corrections the role may
 * make, subscriptions and what they give access to, emails sent and the audit trail (all roles; the
 * audited export for finance and admin), duplicates and merging, erasure (admin).
 */
export function Supporter() {
  const id = decodeURIComponent(usePath().split('/')[2] ?? '');
  const role = useSession().staff?.role;
  const [record, setRecord] = useState<SupporterRecord>();
  const [error, setError] = useState<ApiError>();
  const [tiers, setTiers] = useState<Tier[]>([]);
  const load = async () => {
    const { data, error } = await api.GET('/api/supporters/{id}', { params: { path: { id } } });
    setRecord(data);
    setError(error);
  };
  useEffect(() => {
    void load();
    void api.GET('/api/tiers').then(({ data }) => setTiers(data ?? []));
  }, [id]);

  if (!record) {
    return (
      <section aria-labelledby="supporter-title">
        <h1 id="supporter-title">Supporter</h1>
        {error ? <Problem error={error} /> : <p aria-busy="true">Loading…</p>}
      </section>
    );
  }
  const finance = role === 'finance' || role === 'admin';
  return (
    <section aria-labelledby="supporter-title" className="supporter">
      <h1 id="supporter-title">{record.name ?? record.email ?? 'Supporter'}</h1>
      {record.requestedId && (
        <p className="notice">Record {record.requestedId} was merged into this one: this is the record kept.</p>
      )}
      <p className="muted">
        Supporter {record.id} · on file since {dateTime(record.createdAt)}
        {record.previousEmails.length > 0 &&
          ` · former emails: ${record.previousEmails.map((p) => p.email).join(', ')}`}
      </p>
      <Details key={`${record.id}-${record.merged.length}`} record={record} onSaved={setRecord} />
      <Payments record={record} role={role} onChanged={load} />
      <Subscriptions record={record} tiers={tiers} />
      <History record={record} canExport={finance} />
      <Duplicates id={record.id} canMerge={finance} onMerged={setRecord} />
      {role === 'admin' && <Erase id={record.id} onErased={load} />}
    </section>
  );
}

function Details({ record, onSaved }: { record: SupporterRecord; onSaved: (r: SupporterRecord) => void }) {
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const address = addressFrom(form, 'address');
    const hasAddress = Boolean(address.line1 || address.city || address.state || address.postalCode);
    if (hasAddress) {
      const bad = checkAddress(address, 'address');
      if (bad) return setError(bad);
    }
    const email = optional(form, 'email');
    const body: Schemas['UpdateSupporterDto'] = {
      name: optional(form, 'name'),
      email: email ?? null,
      phones: String(form.get('phones') ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
      address: hasAddress ? address : null,
      notes: optional(form, 'notes') ?? null,
      emailReceipts: form.get('emailReceipts') === 'on',
    };
    setSaved(false);
    const { data, error } = await api.PATCH('/api/supporters/{id}', { params: { path: { id: record.id } }, body });
    setError(error);
    if (data) {
      setSaved(true);
      onSaved(data);
    }
  }
  return (
    <form aria-labelledby="details-title" noValidate onSubmit={(e) => void save(e)}>
      <h2 id="details-title">Details</h2>
      <Field label="Name" name="name" defaultValue={record.name ?? ''} autoComplete="off" error={error} />
      <Field
        label="Email"
        name="email"
        type="email"
        defaultValue={record.email ?? ''}
        autoComplete="off"
        error={error}
      />
      <Field
        label="Phones"
        name="phones"
        hint="Separate numbers with commas; any format."
        defaultValue={record.phones.map((p) => p.number).join(', ')}
        autoComplete="off"
        error={error}
      />
      <AddressFields prefix="address" legend="Postal address" error={error} initial={record.address} />
      <Field label="Staff notes" name="notes" defaultValue={record.notes ?? ''} autoComplete="off" error={error} />
      <div className="field checkbox">
        <label>
          <input type="checkbox" name="emailReceipts" defaultChecked={record.emailReceipts} /> Email receipts
        </label>
      </div>
      <Problem
        error={error}
        fields={[
          'name',
          'email',
          'phones',
          'notes',
          'address.line1',
          'address.line2',
          'address.city',
          'address.state',
          'address.postalCode',
        ]}
      />
      <button type="submit">Save details</button>
      {saved && (
        <p className="notice" role="status">
          Details saved.
        </p>
      )}
    </form>
  );
}

const OFFLINE = new Set(['cash', 'cheque', 'bank_transfer']);

function Payments({
  record,
  role,
  onChanged,
}: {
  record: SupporterRecord;
  role?: string;
  onChanged: () => Promise<void>;
}) {
  // A reversal (a phone entry voided or reversed) ends a payment; refunds (negative entries that also
  // point at it) take part of it back and leave the rest refundable.
  const reversedBy = new Map(
    record.payments.filter((p) => p.kind === 'reversal' && p.reversesEntryId).map((p) => [p.reversesEntryId!, p.id]),
  );
  const refunded = new Map<string, number>();
  for (const p of record.payments) {
    if (p.kind === 'refund' && p.reversesEntryId) {
      refunded.set(p.reversesEntryId, (refunded.get(p.reversesEntryId) ?? 0) - p.gross);
    }
  }
  return (
    <div role="region" aria-labelledby="payments-title">
      <h2 id="payments-title">Payments</h2>
      {record.payments.length === 0 ? (
        <p>No payments.</p>
      ) : (
        <table>
          <caption>
            {record.payments.length} ledger entr{record.payments.length === 1 ? 'y' : 'ies'}, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Entry</th>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">How</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col">Reference</th>
              <th scope="col">Corrections</th>
            </tr>
          </thead>
          <tbody>
            {record.payments.map((p) => (
              <tr key={p.id} data-entry={p.id}>
                <td>{p.id}</td>
                <td>{dateTime(p.occurredAt)}</td>
                <td>
                  {p.type} {p.kind !== 'payment' && `(${p.kind}${p.reversesEntryId ? ` of ${p.reversesEntryId}` : ''})`}
                </td>
                <td>
                  {p.channel}
                  {p.method && `, ${p.method.replace('_', ' ')}`}
                </td>
                <td className="num">{money(p.gross, p.currency)}</td>
                <td>{p.reference ?? '—'}</td>
                <td>
                  {reversedBy.has(p.id) ? (
                    `reversed by ${reversedBy.get(p.id)}`
                  ) : (
                    <Corrections payment={p} refunded={refunded.get(p.id) ?? 0} role={role} onChanged={onChanged} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** What the role may do about one payment: void (its taker, same day), reverse (finance), refund (online, finance). */
function Corrections({
  payment,
  refunded,
  role,
  onChanged,
}: {
  payment: Payment;
  /** Refunded of it so far (minor units, positive). */
  refunded: number;
  role?: string;
  onChanged: () => Promise<void>;
}) {
  if (payment.kind !== 'payment') return null;
  const finance = role === 'finance' || role === 'admin';
  const offline = payment.channel === 'phone' && OFFLINE.has(payment.method ?? '');
  return (
    <>
      {offline && (role === 'phone' || role === 'admin') && (
        <VoidForm entryId={payment.id} onVoided={() => void onChanged()} />
      )}
      {offline && finance && <ReverseForm entryId={payment.id} onDone={onChanged} />}
      {refunded > 0 && <p data-refunded>{`${money(refunded, payment.currency)} refunded`}</p>}
      {!offline && finance && payment.gross - refunded > 0 && <RefundForm payment={payment} onDone={onChanged} />}
    </>
  );
}

function ReverseForm({ entryId, onDone }: { entryId: string; onDone: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<ApiError>();
  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Reverse entry {entryId}
      </button>
    );
  }
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const reason = optional(new FormData(e.currentTarget), 'reason');
    if (!reason) return setError(fieldError('reason', 'say why it is reversed'));
    const { data, error } = await api.POST('/api/ledger-entries/{id}/reversal', {
      params: { path: { id: entryId } },
      body: { reason },
    });
    setError(error);
    if (data) await onDone();
  }
  return (
    <form
      className="inline"
      aria-label={`Reverse entry ${entryId}`}
      noValidate
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
    >
      <Field label={`Why reverse entry ${entryId}`} name="reason" autoComplete="off" error={error} autoFocus />
      <button type="submit">Reverse</button>
      <Problem error={error} fields={['reason']} />
    </form>
  );
}

function RefundForm({ payment, onDone }: { payment: Payment; onDone: () => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [key, setKey] = useState(newKey);
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const reasonId = useId();
  if (!open) {
    return (
      <>
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          Refund entry {payment.id}
        </button>
        {done && <p role="status">{done}</p>}
      </>
    );
  }
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const typed = optional(form, 'amount');
    const amount = typed === undefined ? undefined : parseAmount(typed);
    if (typed !== undefined && (amount === undefined || amount <= 0)) {
      return setError(fieldError('amount', 'amount must be dollars and cents, or blank for all that is left'));
    }
    const { data, error } = await api.POST('/api/ledger-entries/{id}/refund', {
      params: { path: { id: payment.id }, header: { 'Idempotency-Key': key } },
      body: {
        ...(amount ? { amount } : {}),
        reason: String(form.get('reason')) as Schemas['RefundDto']['reason'],
        note: optional(form, 'note'),
      },
    });
    setError(error);
    if (data) {
      setDone(`Refund of ${money(data.amount, data.currency)} sent to Stripe (${data.status ?? 'pending'}).`);
      setKey(newKey());
      setOpen(false);
      await onDone();
    }
  }
  return (
    <form
      className="inline"
      aria-label={`Refund entry ${payment.id}`}
      noValidate
      onSubmit={(e) => void submit(e)}
      onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}
    >
      <Field label="Amount (blank: all that is left)" name="amount" inputMode="decimal" error={error} autoFocus />
      <div className="field">
        <label htmlFor={reasonId}>Reason</label>
        <select id={reasonId} name="reason" defaultValue="requested_by_customer">
          <option value="requested_by_customer">Requested by the supporter</option>
          <option value="duplicate">Duplicate</option>
          <option value="fraudulent">Fraudulent</option>
        </select>
      </div>
      <Field label="Note" name="note" autoComplete="off" error={error} />
      <button type="submit">Refund</button>
      <Problem error={error} fields={['amount', 'note']} />
    </form>
  );
}

function Subscriptions({ record, tiers }: { record: SupporterRecord; tiers: Tier[] }) {
  const live = record.subscriptions.filter((s) => LIVE.has(s.status));
  const access = [
    ...new Set(live.flatMap((s) => tiers.find((t) => t.code === s.tier)?.includes ?? (s.tier ? [s.tier] : []))),
  ];
  return (
    <div role="region" aria-labelledby="subscriptions-title">
      <h2 id="subscriptions-title">Subscriptions and entitlements</h2>
      <p data-entitlements>
        {access.length ? `Entitled to: ${access.join(', ')}.` : 'No entitlements: no subscription is running.'}
      </p>
      {record.subscriptions.length > 0 && (
        <table>
          <caption>{record.subscriptions.length} subscriptions</caption>
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col">Paid</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col">Period ends</th>
              <th scope="col">Delivery</th>
            </tr>
          </thead>
          <tbody>
            {record.subscriptions.map((s) => (
              <tr key={s.id}>
                <td>{s.tier ?? s.kind}</td>
                <td>
                  {s.billing}, {s.origin}
                  {s.reason && ` (${s.reason})`}
                </td>
                <td>
                  {s.status}
                  {s.cancelAtPeriodEnd && ', ends at period end'}
                </td>
                <td className="num">{money(s.amount, s.currency)}</td>
                <td>{s.currentPeriodEnd ? dateTime(s.currentPeriodEnd) : '—'}</td>
                <td>
                  {s.deliveryAddress
                    ? `${s.deliveryAddress.line1}, ${s.deliveryAddress.city} ${s.deliveryAddress.state} ${s.deliveryAddress.postalCode}`
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * Emails sent and the audit trail (every role that opens the record; read again whenever the
 * record changes). The full privacy export, itself audited, is a separate download (finance, admin).
 */
function History({ record, canExport }: { record: SupporterRecord; canExport: boolean }) {
  const id = record.id;
  const [data, setData] = useState<Activity>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    let live = true;
    void api.GET('/api/supporters/{id}/activity', { params: { path: { id } } }).then(({ data, error }) => {
      if (!live) return;
      setError(error);
      if (data) setData(data);
    });
    return () => {
      live = false;
    };
  }, [id, record]);
  return (
    <div role="region" aria-labelledby="history-title">
      <h2 id="history-title">Emails sent and audit trail</h2>
      <Problem error={error} />
      {!data && !error && <p aria-busy="true">Loading…</p>}
      {data && (
        <>
          <table>
            <caption>
              {data.emails.length} {data.emails.length === 1 ? 'email' : 'emails'} (newest first)
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Kind</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.emails.map((m) => (
                <tr key={m.id}>
                  <td>{dateTime(m.sentAt ?? m.createdAt)}</td>
                  <td>{m.kind}</td>
                  <td>{m.to}</td>
                  <td>{m.subject}</td>
                  <td>{m.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <caption>
              {data.audit.length} audit {data.audit.length === 1 ? 'entry' : 'entries'} (newest first)
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">About</th>
              </tr>
            </thead>
            <tbody>
              {data.audit.map((a) => (
                <tr key={a.id}>
                  <td>{dateTime(a.at)}</td>
                  <td>{a.actor}</td>
                  <td>{a.action}</td>
                  <td>{[a.entityType, a.entityId].filter(Boolean).join(' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {canExport && <ExportDownload id={id} />}
    </div>
  );
}

/** The privacy export (finance, admin): everything held about the supporter, audited, only when asked. */
function ExportDownload({ id }: { id: string }) {
  const [data, setData] = useState<Export>();
  const [error, setError] = useState<ApiError>();
  const [download, setDownload] = useState<string>();
  useEffect(
    () => () => {
      if (download) URL.revokeObjectURL(download);
    },
    [download],
  );
  async function load() {
    const { data, error } = await api.GET('/api/supporters/{id}/export', { params: { path: { id } } });
    setError(error);
    setData(data);
    if (data) setDownload(URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })));
  }
  return (
    <>
      <Problem error={error} />
      {data ? (
        <p>
          <a href={download} download={`supporter-${id}-${data.exportedAt.slice(0, 10)}.json`}>
            Download everything held about them (JSON)
          </a>
        </p>
      ) : (
        <>
          <p className="muted">The full export (email bodies, snapshots) is recorded in the audit log.</p>
          <button type="button" className="secondary" onClick={() => void load()}>
            Prepare the full export
          </button>
        </>
      )}
    </>
  );
}

function Duplicates({
  id,
  canMerge,
  onMerged,
}: {
  id: string;
  canMerge: boolean;
  onMerged: (r: SupporterRecord) => void;
}) {
  const [list, setList] = useState<Duplicate[]>();
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const load = async () => {
    const { data, error } = await api.GET('/api/supporters/{id}/duplicates', { params: { path: { id } } });
    setList(data);
    setError(error);
  };
  useEffect(() => {
    void load();
  }, [id]);
  async function merge(d: Duplicate) {
    const { data, error } = await api.POST('/api/supporters/{id}/merge', {
      params: { path: { id } },
      body: { from: d.id },
    });
    setError(error);
    if (data) {
      setDone(`Merged ${d.name ?? d.email ?? d.id} into this record.`);
      onMerged(data.supporter);
      await load();
    }
  }
  return (
    <div role="region" aria-labelledby="duplicates-title">
      <h2 id="duplicates-title">Possible duplicates</h2>
      <Problem error={error} />
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      {list && list.length === 0 && <p>No likely duplicates.</p>}
      {list && list.length > 0 && (
        <table>
          <caption>{list.length} likely duplicates</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Phones</th>
              <th scope="col">Why</th>
              <th scope="col">
                <span className="visually-hidden">Merge</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <tr key={d.id}>
                <td>{d.name ?? '—'}</td>
                <td>{d.email ?? '—'}</td>
                <td>{d.phones.map((p) => p.number).join(', ') || '—'}</td>
                <td>{d.reasons.join(', ').replace('name_postcode', 'name and postcode')}</td>
                <td>
                  {canMerge && (
                    <button type="button" className="secondary" onClick={() => void merge(d)}>
                      Merge {d.name ?? d.email} into this record
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** " with the 2 records merged into it", when an erasure took merged records too. */
function mergedErased(n: number): string {
  return n > 0 ? ` with the ${n === 1 ? 'record' : `${n} records`} merged into it` : '';
}

function Erase({ id, onErased }: { id: string; onErased: () => Promise<void> }) {
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  async function erase(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const reason = optional(form, 'reason');
    if (!reason) return setError(fieldError('reason', 'say why (no personal data): it is kept in the audit log'));
    if (form.get('confirm') !== 'on') return setError(fieldError('confirm', 'tick the box to confirm the erasure'));
    const { data, error } = await api.POST('/api/supporters/{id}/erasure', {
      params: { path: { id } },
      body: { reason },
    });
    setError(error);
    if (data) {
      setDone(
        data.alreadyErased
          ? 'This supporter had already been erased.'
          : `Erased${mergedErased(data.erasedSupporterIds.length - 1)}: ${data.emailsScrubbed} emails and ${data.auditEntriesScrubbed} audit entries scrubbed; the ledger is unchanged.`,
      );
      await onErased();
    }
  }
  return (
    <form aria-labelledby="erase-title" noValidate onSubmit={(e) => void erase(e)}>
      <h2 id="erase-title">Erase personal data</h2>
      <Field label="Reason (no personal data)" name="reason" autoComplete="off" error={error} />
      <div className="field checkbox">
        <label>
          <input type="checkbox" name="confirm" /> I have checked the request: erase this supporter’s personal data
        </label>
        {error?.field === 'confirm' && <p className="field-error">{error.message}</p>}
      </div>
      <Problem error={error} fields={['reason', 'confirm']} />
      <button type="submit" className="danger">
        Erase
      </button>
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
    </form>
  );
}
