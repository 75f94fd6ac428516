import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../api';
import { Field, Problem } from '../components';
import { reauthenticate, signOut } from '../session';

/**
 * The session ended while a screen was open: a modal dialog asks for the password again. The
 * screen underneath stays mounted, so a half-filled form keeps what was typed, and the request
 * that met the end of the session is sent once the password is accepted.
 */
export function ReauthDialog({ email }: { email: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setBusy(true);
    setError(await reauthenticate(String(new FormData(e.currentTarget).get('password'))));
    setBusy(false);
  }
  return (
    <dialog ref={ref} aria-labelledby="reauth-title" onCancel={(e) => e.preventDefault()}>
      <h2 id="reauth-title">Your session has ended</h2>
      <p>Enter your password to carry on as {email}. Nothing you have typed is lost.</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <input type="hidden" name="username" value={email} autoComplete="username" />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={error}
          autoFocus
        />
        <Problem error={error} fields={['password']} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            Continue
          </button>
          <button type="button" className="secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </form>
    </dialog>
  );
}
