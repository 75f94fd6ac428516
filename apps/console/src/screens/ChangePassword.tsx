import { type FormEvent, useState } from 'react';
import type { ApiError } from '../api';
import { Field, Problem } from '../components';
import { changePassword, signOut } from '../session';
import type { SignedInStaff } from '../types';

/** After a sign-in with a temporary password (an invitation or a reset): choose your own. */
export function ChangePassword({ staff }: { staff: SignedInStaff }) {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = String(form.get('newPassword'));
    if (next !== String(form.get('confirmPassword'))) {
      setError({
        statusCode: 400,
        code: 'VALIDATION_FAILED',
        field: 'confirmPassword',
        message: 'the two new passwords differ',
      });
      return;
    }
    setBusy(true);
    setError(await changePassword(String(form.get('currentPassword')), next));
    setBusy(false);
  }
  return (
    <main className="narrow">
      <h1>Choose your password</h1>
      <p>{staff.name}, you signed in with a temporary password. Choose your own to continue: at least 12 characters.</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <input type="hidden" name="username" value={staff.email} autoComplete="username" />
        <Field
          label="Temporary password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={error}
          autoFocus
        />
        <Field
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          minLength={12}
          required
          error={error}
        />
        <Field
          label="New password again"
          name="confirmPassword"
          type="password"
          autoComplete="new-password"
          required
          error={error}
        />
        <Problem error={error} fields={['currentPassword', 'newPassword', 'confirmPassword']} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Save password
          </button>
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </form>
    </main>
  );
}
