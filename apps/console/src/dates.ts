/**
 * Local dates (YYYY-MM-DD) for the finance screens' default ranges. The API cuts days in the
 * organisation's time zone (each report answers it as `timeZone`): given that zone, "today" is
 * the organisation's today, not the browser's.
 */
const pad = (n: number) => String(n).padStart(2, '0');

/** Today in `timeZone` (the browser's zone when not given). */
export function today(timeZone?: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** This month so far: its first day to today. */
export function thisMonth(timeZone?: string, now = new Date()): { from: string; to: string } {
  const to = today(timeZone, now);
  return { from: `${to.slice(0, 8)}01`, to };
}

/** The whole of this month (payouts may arrive after today). */
export function wholeMonth(timeZone?: string, now = new Date()): { from: string; to: string } {
  const from = `${today(timeZone, now).slice(0, 8)}01`;
  const [y, m] = from.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from, to: `${from.slice(0, 8)}${pad(last)}` };
}
