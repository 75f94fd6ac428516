/**
 * The session, outside React: the access token lives in this module's memory only (never in
 * localStorage or a cookie script can read); the refresh token is an HttpOnly cookie the browser
 * sends to /api/auth alone. A reload starts with `POST /api/auth/refresh`. A request answered 401
 * refreshes once and is sent again; when the session has ended, the password is asked for in a
 * dialog over the current screen (nothing typed there is lost) and the request then goes through.
 */
import { useSyncExternalStore } from 'react';
import type { ApiError } from './api';
import type { AccessToken, SignedInStaff } from './types';

export interface SessionState {
  status: 'starting' | 'signed-out' | 'signed-in';
  staff: SignedInStaff | null;
  /** Signed in with a temporary password: only the password change is allowed. */
  passwordChangeRequired: boolean;
  /** The session ended under a signed-in screen: the dialog asks for the password again. */
  reauth: boolean;
  /** Said on the sign-in screen (why you are there). */
  notice?: string;
}

let state: SessionState = { status: 'starting', staff: null, passwordChangeRequired: false, reauth: false };
let token: string | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function set(next: Partial<SessionState>): void {
  state = { ...state, ...next };
  for (const l of listeners) l();
}

export function useSession(): SessionState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

/** A new access token: kept in memory; refreshed quietly a minute before it expires. */
function accept(t: AccessToken): void {
  token = t.accessToken;
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refresh(), Math.max(5, t.expiresIn - 60) * 1000);
  set({
    status: 'signed-in',
    staff: t.staff,
    passwordChangeRequired: t.passwordChangeRequired,
    reauth: false,
    notice: undefined,
  });
}

function forget(notice?: string): void {
  token = null;
  clearTimeout(refreshTimer);
  for (const w of waiting.splice(0)) w.reject(new Error('signed out'));
  set({ status: 'signed-out', staff: null, passwordChangeRequired: false, reauth: false, notice });
}

async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as Partial<ApiError>;
  return {
    statusCode: res.status,
    code: body.code ?? `HTTP_${res.status}`,
    message: body.message ?? `the server answered ${res.status}`,
    field: body.field,
  };
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** `POST /api/auth/refresh`, one at a time across this browser's tabs (they share the cookie). */
async function refresh(): Promise<boolean> {
  const run = async (): Promise<boolean> => {
    const res = await fetch('/api/auth/refresh', { method: 'POST' }).catch(() => undefined);
    if (!res?.ok) return false;
    accept((await res.json()) as AccessToken);
    return true;
  };
  return navigator.locks ? navigator.locks.request('staff-console-refresh', run) : run();
}

/** At load: a session from the cookie, or the sign-in screen. */
export async function start(): Promise<void> {
  if (!(await refresh())) forget();
}

export async function signIn(email: string, password: string): Promise<ApiError | undefined> {
  const res = await fetch('/api/auth/login', json({ email, password }));
  if (!res.ok) return errorOf(res);
  accept((await res.json()) as AccessToken);
  return undefined;
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<ApiError | undefined> {
  const res = await fetch('/api/auth/password', {
    ...json({ currentPassword, newPassword }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  });
  if (!res.ok) return errorOf(res);
  accept((await res.json()) as AccessToken);
  return undefined;
}

export async function signOut(): Promise<void> {
  await fetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
  forget('You have signed out.');
}

// ---- the session ended under a screen: ask for the password, then carry on ----------------

const waiting: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
let renewing: Promise<void> | undefined;

/** A working access token again: a refresh, else the password in the dialog. */
function renew(): Promise<void> {
  renewing ??= (async () => {
    if (await refresh()) return;
    await new Promise<void>((resolve, reject) => {
      waiting.push({ resolve, reject });
      set({ reauth: true });
    });
  })().finally(() => (renewing = undefined));
  return renewing;
}

/** The dialog's sign-in: the same person only (someone else signs out first). */
export async function reauthenticate(password: string): Promise<ApiError | undefined> {
  const email = state.staff?.email ?? '';
  const res = await fetch('/api/auth/login', json({ email, password }));
  if (!res.ok) return errorOf(res);
  accept((await res.json()) as AccessToken);
  for (const w of waiting.splice(0)) w.resolve();
  return undefined;
}

/**
 * `fetch` with the session: the bearer token on every request; a 401 renews the session once and
 * sends the request again; a 403 asking for a password change shows that screen. Pass it as
 * openapi-fetch's `fetch` when the generated client replaces api.ts.
 */
export async function sessionFetch(request: Request): Promise<Response> {
  const again = request.clone();
  const used = token;
  const send = (r: Request) => {
    if (token) r.headers.set('authorization', `Bearer ${token}`);
    return fetch(r);
  };
  let res = await send(request);
  if (res.status === 401 && state.status === 'signed-in') {
    if (token === used) await renew();
    res = await send(again);
  }
  if (res.status === 403) {
    const body = (await res
      .clone()
      .json()
      .catch(() => ({}))) as { code?: string };
    if (body.code === 'PASSWORD_CHANGE_REQUIRED') set({ passwordChangeRequired: true });
  }
  return res;
}
