/** Money is integer minor units with a currency: shown in en-AU with the currency. */
export function money(minor: number, currency: string): string {
  const f = new Intl.NumberFormat('en-AU', { style: 'currency', currency });
  const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
  return f.format(minor / 10 ** digits);
}

export const count = (n: number): string => new Intl.NumberFormat('en-AU').format(n);

export function dateTime(iso: string, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-AU', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}
