import { type FormEvent, useState } from 'react';
import type { ApiError } from '../api';
import { Field, Problem } from '../components';
import { signIn } from '../session';

export function SignIn({ notice }: { notice?: string }) {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(await signIn(String(form.get('email')), String(form.get('password'))));
    setBusy(false);
  }
  return (
    <main className="narrow">
      <h1>Staff console: sign in</h1>
      {notice && <p role="status">{notice}</p>}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Email" name="email" type="email" autoComplete="username" required error={error} autoFocus />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={error}
        />
        <Problem error={error} fields={['email', 'password']} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
