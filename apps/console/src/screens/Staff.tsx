import { type FormEvent, useEffect, useId, useState } from 'react';
import { api, type ApiError } from '../api';
import { Field, Problem } from '../components';
import { dateTime } from '../format';
import { useSession } from '../session';
import type { CreatedStaffMember, StaffMember, StaffRole } from '../types';

const ROLES: StaffRole[] = ['phone', 'finance', 'admin'];

/** Staff accounts (admin): the list, and inviting someone (their temporary password is shown once). */
export function Staff() {
  const [members, setMembers] = useState<StaffMember[]>();
  const [listError, setListError] = useState<ApiError>();
  const [error, setError] = useState<ApiError>();
  const [created, setCreated] = useState<CreatedStaffMember>();
  const [busy, setBusy] = useState(false);
  const [change, setChange] = useState<Changed>();
  const roleId = useId();
  const load = async () => {
    const { data, error } = await api.GET('/api/staff');
    setMembers(data);
    setListError(error);
  };
  useEffect(() => {
    void load();
  }, []);
  const changed = async (result: Changed) => {
    setCreated(undefined);
    setChange(result);
    await load();
  };
  async function invite(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formElement = e.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setCreated(undefined);
    setChange(undefined);
    const { data, error } = await api.POST('/api/staff', {
      body: {
        email: String(form.get('email') ?? ''),
        name: String(form.get('name') ?? ''),
        // The select offers only the API's roles; the API checks again (400 naming `role`).
        role: String(form.get('role') ?? '') as StaffRole,
      },
    });
    setBusy(false);
    setError(error);
    if (data) {
      setCreated(data);
      formElement.reset();
      await load();
    }
  }
  return (
    <section aria-labelledby="staff-title">
      <h1 id="staff-title">Staff</h1>
      <Problem error={listError} />
      {change && (
        <div className="notice" role="status">
          <p>
            {change.message}
            {change.temporaryPassword && (
              <>
                {' '}
                Their temporary password, shown only this once:{' '}
                <code data-temporary-password>{change.temporaryPassword}</code>
              </>
            )}
          </p>
        </div>
      )}
      {members && (
        <table>
          <caption>{members.length} staff accounts</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">State</th>
              <th scope="col">Added</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>{m.role}</td>
                <td>{m.disabled ? 'disabled' : m.passwordChangeRequired ? 'temporary password' : 'active'}</td>
                <td>{dateTime(m.createdAt)}</td>
                <td>
                  <MemberActions member={m} onChanged={changed} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Invite someone</h2>
      <form onSubmit={(e) => void invite(e)} noValidate>
        <Field label="Name" name="name" autoComplete="off" required error={error} />
        <Field label="Email" name="email" type="email" autoComplete="off" required error={error} />
        <div className="field">
          <label htmlFor={roleId}>Role</label>
          <select id={roleId} name="role" defaultValue="phone">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          {error?.field === 'role' && <p className="field-error">{error.message}</p>}
        </div>
        <Problem error={error} fields={['name', 'email', 'role']} />
        <button type="submit" disabled={busy}>
          Invite
        </button>
      </form>
      {created && (
        <div className="notice" role="status">
          <p>
            {created.name} ({created.email}) can now sign in as {created.role}. Their temporary password, shown only
            this once: <code data-temporary-password>{created.temporaryPassword}</code>
          </p>
        </div>
      )}
    </section>
  );
}

/** What an action on one account did, told above the list (a reset's temporary password once). */
interface Changed {
  message: string;
  temporaryPassword?: string;
}

/** One account's changes (admin): its role, disable or enable, and a password reset. */
function MemberActions({ member: m, onChanged }: { member: StaffMember; onChanged: (c: Changed) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const roleId = useId();
  const self = useSession().staff?.id === m.id;
  async function patch(body: { role?: StaffRole; disabled?: boolean }, done: (s: StaffMember) => string) {
    setBusy(true);
    const { data, error } = await api.PATCH('/api/staff/{id}', { params: { path: { id: m.id } }, body });
    setBusy(false);
    setError(error);
    if (data) await onChanged({ message: done(data) });
  }
  async function reset() {
    if (!window.confirm(`Reset the password of ${m.name}? Their sessions end and they get a temporary password.`)) {
      return;
    }
    setBusy(true);
    const { data, error } = await api.POST('/api/staff/{id}/password-reset', { params: { path: { id: m.id } } });
    setBusy(false);
    setError(error);
    if (data) {
      await onChanged({
        message: `${data.name}'s password was reset; their sessions have ended.`,
        temporaryPassword: data.temporaryPassword,
      });
    }
  }
  return (
    <div>
      <form
        className="inline"
        onSubmit={(e) => {
          e.preventDefault();
          const role = String(new FormData(e.currentTarget).get('role') ?? '') as StaffRole;
          void patch({ role }, (s) => `${s.name} is now ${s.role}.`);
        }}
      >
        <div className="field">
          <label htmlFor={roleId}>Role of {m.name}</label>
          <select id={roleId} name="role" defaultValue={m.role} key={m.role} disabled={self}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        {!self && (
          <button type="submit" className="small" disabled={busy}>
            Change role
          </button>
        )}
      </form>
      {!self && (
        <div className="actions">
          <button
            type="button"
            className="secondary small"
            disabled={busy}
            onClick={() =>
              void patch({ disabled: !m.disabled }, (s) =>
                s.disabled ? `${s.name} is disabled: they cannot sign in.` : `${s.name} may sign in again.`,
              )
            }
          >
            {m.disabled ? `Enable ${m.name}` : `Disable ${m.name}`}
          </button>
          <button type="button" className="secondary small" disabled={busy} onClick={() => void reset()}>
            Reset password of {m.name}
          </button>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error.statusCode === 403 ? `Not allowed: ${error.message}` : error.message}
        </p>
      )}
    </div>
  );
}
