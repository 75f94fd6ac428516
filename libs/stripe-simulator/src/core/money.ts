const formatters = new Map<string, Intl.NumberFormat>();

/**
 * An amount in minor units as a person reads it: 2500 aud → "A$25.00", 2500 usd → "$25.00",
 * 2500 jpy → "¥2,500" (the currency's own number of decimals).
 */
export function formatMoney(amount: number, currency: string): string {
  const code = currency.toUpperCase();
  let formatter = formatters.get(code);
  if (!formatter) {
    try {
      formatter = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    } catch {
      return `${amount} ${code} (minor units)`;
    }
    formatters.set(code, formatter);
  }
  const decimals = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  // Display only: the division is exact for any amount Stripe accepts.
  return formatter.format(amount / 10 ** decimals);
}
