/** A tiny client-side router under /console/ (history API): no dependency for four screens. */
import { type MouseEvent, useSyncExternalStore } from 'react';

export const BASE = '/console';
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);

/** The path inside the console: `/`, `/reports`, … */
export function usePath(): string {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => window.location.pathname.slice(BASE.length).replace(/\/+$/, '') || '/',
  );
}

export function navigate(to: string): void {
  window.history.pushState(null, '', `${BASE}${to === '/' ? '/' : to}`);
  notify();
}

/** An `<a>`'s click that stays in the app (a plain click: new tabs and the like are the browser's). */
export function follow(e: MouseEvent<HTMLAnchorElement>, to: string): void {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(to);
}
