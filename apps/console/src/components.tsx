import { type InputHTMLAttributes, type ReactNode, useId } from 'react';
import type { ApiError } from './api';
import { follow } from './router';

export function Link({ to, children, current }: { to: string; children: ReactNode; current?: boolean }) {
  return (
    <a
      href={`/console${to === '/' ? '/' : to}`}
      onClick={(e) => follow(e, to)}
      aria-current={current ? 'page' : undefined}
    >
      {children}
    </a>
  );
}

/** A labelled input; the API's validation error appears under the field it names. */
export function Field({
  label,
  name,
  error,
  hint,
  ...input
}: { label: string; name: string; error?: ApiError; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const mine = error?.field === name;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <input
        id={id}
        name={name}
        aria-invalid={mine || undefined}
        aria-describedby={[hint && `${id}-hint`, mine && `${id}-error`].filter(Boolean).join(' ') || undefined}
        {...input}
      />
      {mine && (
        <p className="field-error" id={`${id}-error`}>
          {error.message}
        </p>
      )}
    </div>
  );
}

/**
 * An error from the API that no field shows: a 403 says plainly that the role may not do this
 * (never a blank page); anything else says what the server said.
 */
export function Problem({ error, fields = [] }: { error?: ApiError; fields?: string[] }) {
  if (!error || (error.field && fields.includes(error.field))) return null;
  if (error.statusCode === 403) {
    return (
      <div className="problem" role="alert">
        <h2>Not allowed</h2>
        <p>Your role may not do this. The server said: {error.message}.</p>
      </div>
    );
  }
  return (
    <div className="problem" role="alert">
      <p>{error.message}</p>
    </div>
  );
}

/**
 * A wide table's own sideways-scrolling box (the page itself never scrolls sideways, on a tablet
 * either): a named region that takes keyboard focus, so that arrow keys can scroll it.
 */
export function ScrollBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
