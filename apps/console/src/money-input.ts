/**
 * Money typed by a person ("2,500", "2500.50", "$25") as integer minor units, with no float in
 * between: null when it is not an amount in the currency's precision.
 */
export function parseMoney(text: string, currency: string): number | null {
  const digits =
    new Intl.NumberFormat('en-AU', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const cleaned = text.trim().replace(/^\$/, '').replace(/,/g, '');
  const m = new RegExp(`^(\\d{1,13})(?:\\.(\\d{1,${Math.max(digits, 1)}}))?$`).exec(cleaned);
  if (!m || (digits === 0 && m[2])) return null;
  const minor = Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

/** Minor units as the plain amount a person would type back ("2500.00"). */
export function moneyText(minor: number, currency: string): string {
  const digits =
    new Intl.NumberFormat('en-AU', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  if (digits === 0) return String(minor);
  const s = String(minor).padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}
