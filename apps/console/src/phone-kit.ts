/**
 * What the phone line and the supporter page share: one Idempotency-Key per form, amounts typed
 * in dollars read as integer minor units (never through a float), Australian addresses checked
 * before they are sent, and a POST retried while the API says the same key is still in progress.
 */
import type { ApiError } from './api';

/** A fresh Idempotency-Key (random, 128 bits; `getRandomValues` works outside secure contexts too). */
export function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * "50", "50.00", "$1,234.50" → minor units (5000, 123450); anything else undefined. Parsed as
 * text: the dollars and the cents are read as integers, so 0.1 + 0.2 never happens.
 */
export function parseAmount(text: string): number | undefined {
  const m = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const dollars = Number(m[1].replace(/,/g, ''));
  const cents = Number((m[2] ?? '0').padEnd(2, '0'));
  const minor = dollars * 100 + cents;
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** Minor units as the amount field shows them: 6000 → "60.00". */
export const amountText = (minor: number): string =>
  `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

/** An error found in the browser, shaped like the API's, so it shows next to the field it names. */
export const fieldError = (field: string, message: string): ApiError => ({
  statusCode: 400,
  code: 'VALIDATION_FAILED',
  field,
  message,
});

export const AU_STATES = [
  { code: 'ACT', name: 'Australian Capital Territory' },
  { code: 'NSW', name: 'New South Wales' },
  { code: 'NT', name: 'Northern Territory' },
  { code: 'QLD', name: 'Queensland' },
  { code: 'SA', name: 'South Australia' },
  { code: 'TAS', name: 'Tasmania' },
  { code: 'VIC', name: 'Victoria' },
  { code: 'WA', name: 'Western Australia' },
] as const;

/** Australia Post's postcode ranges by state and territory (street and PO box numbers). */
const POSTCODES: Record<string, Array<[number, number]>> = {
  ACT: [
    [200, 299],
    [2600, 2618],
    [2900, 2920],
  ],
  NSW: [
    [1000, 2599],
    [2619, 2899],
    [2921, 2999],
  ],
  NT: [[800, 999]],
  QLD: [
    [4000, 4999],
    [9000, 9999],
  ],
  SA: [[5000, 5999]],
  TAS: [[7000, 7999]],
  VIC: [
    [3000, 3999],
    [8000, 8999],
  ],
  WA: [[6000, 6999]],
};

export interface AddressInput {
  line1: string;
  line2?: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
}

/**
 * An Australian address's checks before it is sent (the API takes any country's): a street, a
 * suburb, one of the eight states and territories, and a four-digit postcode of that state.
 * Answers the first problem, naming the field as `<prefix>.<field>`.
 */
export function checkAddress(a: AddressInput, prefix: string): ApiError | undefined {
  if (!a.line1.trim()) return fieldError(`${prefix}.line1`, 'the street address is required');
  if (!a.city.trim()) return fieldError(`${prefix}.city`, 'the suburb or town is required');
  if (a.country !== 'AU') return undefined;
  const ranges = POSTCODES[a.state];
  if (!ranges) return fieldError(`${prefix}.state`, 'choose the state or territory');
  if (!/^\d{4}$/.test(a.postalCode.trim())) {
    return fieldError(`${prefix}.postalCode`, 'an Australian postcode is four digits');
  }
  const pc = Number(a.postalCode.trim());
  if (!ranges.some(([lo, hi]) => pc >= lo && pc <= hi)) {
    return fieldError(`${prefix}.postalCode`, `postcode ${a.postalCode.trim()} is not in ${a.state}`);
  }
  return undefined;
}

/** The address fields of a form (named `<prefix>.line1`, …); blank optional parts left out. */
export function addressFrom(form: FormData, prefix: string): AddressInput {
  const get = (f: string) => String(form.get(`${prefix}.${f}`) ?? '').trim();
  const line2 = get('line2');
  return {
    line1: get('line1'),
    ...(line2 ? { line2 } : {}),
    city: get('city'),
    state: get('state'),
    postalCode: get('postalCode'),
    country: get('country') || 'AU',
  };
}

/** A text field's value, or undefined when blank (optional fields are left out of the body). */
export function optional(form: FormData, name: string): string | undefined {
  const v = String(form.get(name) ?? '').trim();
  return v || undefined;
}

/**
 * Sends a keyed POST; while the API answers that the same key is still being processed (a double
 * click's second request), asks again shortly: the answer is then the first one, replayed.
 */
export async function keyedPost<T>(send: () => Promise<{ data?: T; error?: ApiError }>): Promise<{
  data?: T;
  error?: ApiError;
}> {
  for (let attempt = 0; ; attempt++) {
    const answer = await send();
    if (answer.error?.code !== 'IDEMPOTENCY_REQUEST_IN_PROGRESS' || attempt >= 10) return answer;
    await new Promise((r) => setTimeout(r, 300));
  }
}

export const METHOD_NAMES: Record<string, string> = {
  cash: 'cash',
  cheque: 'cheque',
  bank_transfer: 'bank transfer',
  card: 'card',
};
