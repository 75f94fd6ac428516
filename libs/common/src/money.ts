/**
 * Money is always integer minor units plus an ISO currency. This is the one place that formats it.
 */
export interface Money {
  amount: number;
  currency: string;
}

const zeroDecimal = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);

/**
 * ISO 4217 currencies whose minor unit is a thousandth. Amounts here are Stripe's minor units,
 * hundredths or whole units (`minorUnitDigits`), so these are refused rather than misformatted.
 */
const threeDecimal = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/** Why a deployment cannot use this currency code, or null when it can (an ISO 4217 code with 0 or 2 minor digits). */
export function currencyProblem(code: string): string | null {
  const upper = code.toUpperCase();
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : null;
  if (!/^[A-Z]{3}$/.test(upper) || (known && !known.includes(upper))) {
    return `"${code}" is not an ISO 4217 currency code`;
  }
  if (threeDecimal.has(upper)) {
    return `${upper} has three-decimal minor units, which this service does not handle (amounts are in hundredths or whole units)`;
  }
  return null;
}

export function minorUnitDigits(currency: string): number {
  return zeroDecimal.has(currency.toUpperCase()) ? 0 : 2;
}

export function assertMinorUnits(amount: number, what = 'amount'): number {
  if (!Number.isSafeInteger(amount)) {
    throw new RangeError(`${what} must be a safe integer of minor units, got ${amount}`);
  }
  return amount;
}

/** "A$12.50" style, without floating point: splits the integer into units and cents. */
export function formatMoney({ amount, currency }: Money, locale = 'en-AU'): string {
  assertMinorUnits(amount);
  const digits = minorUnitDigits(currency);
  const negative = amount < 0;
  const abs = BigInt(Math.abs(amount));
  const scale = 10n ** BigInt(digits);
  const units = abs / scale;
  const cents = abs % scale;
  const symbolParts = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: 0,
    maximumFractionDigits: 0,
  }).formatToParts(0);
  const symbol =
    symbolParts
      .filter((p) => p.type === 'currency')
      .map((p) => p.value)
      .join('') || currency.toUpperCase();
  const grouped = units.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const body = digits ? `${grouped}.${cents.toString().padStart(digits, '0')}` : grouped;
  return `${negative ? '-' : ''}${symbol}${body}`;
}

/** Sum of integer minor units; throws rather than silently losing precision. */
export function sumMinor(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total = assertMinorUnits(total + assertMinorUnits(v));
  return total;
}
