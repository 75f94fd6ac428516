import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, type ApiError } from '../api';
import { Field, Problem, ScrollBox } from '../components';
import { dateTime } from '../format';
import type { Schemas } from '../api';
import type { StaffMember } from '../types';

type AuditEntry = Schemas['AuditLogEntryDto'];

/** Entries per page. */
const PAGE = 100;

interface Filter {
  staffId?: string;
  action?: string;
  from?: string;
  to?: string;
}

const given = (v: FormDataEntryValue | null) => {
  const s = String(v ?? '').trim();
  return s === '' ? undefined : s;
};

/** The audit log (admin): newest first, filtered by staff member, action and dates; pages backwards. */
export function AuditLog() {
  const [staff, setStaff] = useState<StaffMember[]>([]);
  const [filter, setFilter] = useState<Filter>({});
  const [entries, setEntries] = useState<AuditEntry[]>();
  const [more, setMore] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const staffId = useId();
  useEffect(() => {
    void api.GET('/api/staff').then(({ data }) => setStaff(data ?? []));
  }, []);
  async function load(f: Filter, before?: string) {
    setBusy(true);
    const { data, error } = await api.GET('/api/audit-log', {
      params: { query: { ...f, limit: String(PAGE), before } },
    });
    setBusy(false);
    setError(error);
    if (data) {
      setEntries((old) => (before ? [...(old ?? []), ...data] : data));
      setMore(data.length === PAGE);
    }
  }
  useEffect(() => {
    void load({});
  }, []);
  function apply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const f: Filter = {
      staffId: given(form.get('staffId')),
      action: given(form.get('action')),
      from: given(form.get('from')),
      to: given(form.get('to')),
    };
    setFilter(f);
    void load(f);
  }
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form
        className="inline"
        aria-label="Filter the audit log"
        onSubmit={apply}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.currentTarget.reset();
            setFilter({});
            void load({});
          }
        }}
        noValidate
      >
        <div className="field">
          <label htmlFor={staffId}>Staff member</label>
          <select id={staffId} name="staffId" defaultValue="">
            <option value="">Anyone</option>
            {staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name} ({s.email})
              </option>
            ))}
          </select>
          {error?.field === 'staffId' && <p className="field-error">{error.message}</p>}
        </div>
        <Field
          label="Action"
          name="action"
          autoComplete="off"
          hint="e.g. campaign.update, or campaign. for every campaign action"
          error={error}
        />
        <Field label="From" name="from" type="date" error={error} />
        <Field label="To" name="to" type="date" error={error} />
        <button type="submit" disabled={busy}>
          Show
        </button>
      </form>
      <Problem error={error} fields={['staffId', 'action', 'from', 'to']} />
      {entries && (
        <ScrollBox label="Audit log entries">
          <table>
            <caption>
              {entries.length} entr{entries.length === 1 ? 'y' : 'ies'}
              {Object.values(filter).some(Boolean) ? ' matching the filter' : ''}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Record</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((a) => (
                <tr key={a.id} data-audit-action={a.action}>
                  <td>{dateTime(a.createdAt)}</td>
                  <td>{a.actor}</td>
                  <td>{a.action}</td>
                  <td>{a.entityType ? `${a.entityType} ${a.entityId ?? ''}` : '—'}</td>
                  <td>
                    {(a.before || a.after) && (
                      <details>
                        <summary>Before and after</summary>
                        <pre className="snapshot">{JSON.stringify({ before: a.before, after: a.after }, null, 2)}</pre>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      {more && entries && (
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void load(filter, entries[entries.length - 1]?.id)}
        >
          Older entries
        </button>
      )}
    </section>
  );
}
