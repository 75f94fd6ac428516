import { formatMoney, minorUnitDigits } from '@app/common';
import { escapeHtml } from './html';

/** A form field's problem, shown next to it and in the summary at the top of the page. */
export type FieldErrors = Record<string, string>;

/** A posted form's text value ('' when absent or not text: a repeated field is refused the same way). */
export function formText(body: unknown, name: string): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * An amount a person typed ("25", "25.5", "$1,000.00", "10.05") as integer minor units, parsed
 * from the digits (never through a floating-point number), or a message saying what is wrong.
 * At most the currency's minor digits after the point; thousands separators and a leading $ allowed.
 */
export function parseAmount(input: string, currency: string): { amount: number } | { problem: string } {
  const digits = minorUnitDigits(currency);
  const text = input.replace(/^\s*(A?\$|AUD)\s*/i, '').replace(/\s+/g, '');
  if (!text) return { problem: 'Enter an amount' };
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === undefined && !m[2])) {
    return { problem: digits ? 'Enter the amount in dollars and cents, like 25 or 25.50' : 'Enter a whole amount' };
  }
  const whole = (m[1] ?? '0').replace(/,/g, '');
  const fraction = m[2] ?? '';
  if (fraction.length > digits) {
    return { problem: digits ? 'Enter the amount with at most two digits after the point' : 'Enter a whole amount' };
  }
  if (whole.length > 12) return { problem: 'Enter a smaller amount' };
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  return { amount: Number(minor) };
}

/** Minor units as a person would type them back: 2500 → "25.00" (no currency sign). */
export function amountInput(amount: number, currency: string): string {
  return formatMoney({ amount, currency })
    .replace(/^-?[^\d]*/, '')
    .replace(/,/g, '');
}

/** The eight Australian states and territories, as the delivery address's `state`. */
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

/** Australia Post's postcode ranges by state and territory (street and PO box numbers); as the console's phone line checks them. */
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

export interface AddressForm {
  line1: string;
  line2: string;
  city: string;
  state: string;
  postalCode: string;
}

/** The checks of an Australian delivery address, each problem named by its field (`address.<field>`). */
export function addressProblems(a: AddressForm): FieldErrors {
  const errors: FieldErrors = {};
  if (!a.line1) errors['address.line1'] = 'Enter the street address';
  else if (a.line1.length > 200) errors['address.line1'] = 'The street address must be at most 200 characters';
  if (a.line2.length > 200) errors['address.line2'] = 'The second line must be at most 200 characters';
  if (!a.city) errors['address.city'] = 'Enter the suburb or town';
  else if (a.city.length > 100) errors['address.city'] = 'The suburb or town must be at most 100 characters';
  const ranges = Object.hasOwn(POSTCODES, a.state) ? POSTCODES[a.state] : undefined;
  if (!ranges) errors['address.state'] = 'Choose the state or territory';
  if (!/^\d{4}$/.test(a.postalCode)) {
    errors['address.postalCode'] = 'Enter the four-digit postcode';
  } else if (ranges) {
    const pc = Number(a.postalCode);
    if (!ranges.some(([lo, hi]) => pc >= lo && pc <= hi)) {
      errors['address.postalCode'] = `Postcode ${a.postalCode} is not in ${a.state}: check the postcode and the state`;
    }
  }
  return errors;
}

const EMAIL = /^[^\s@\u0000-\u001f]+@[^\s@\u0000-\u001f]+\.[^\s@\u0000-\u001f]+$/;

/** A reader's email as typed: a message when it is missing or not an address. */
export function emailProblem(email: string): string | undefined {
  if (!email) return 'Enter your email address';
  if (email.length > 254 || !EMAIL.test(email)) return 'Enter an email address like name@example.com';
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// HTML of form parts. Every value is escaped here; ids are derived from field names.

/** The element id of a field (`address.postalCode` → `f-address-postalCode`). */
export const fieldId = (name: string): string => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
const errorId = (name: string): string => `${fieldId(name)}-error`;

/** The summary at the top of a page that failed its checks: each problem links to its field. */
export function errorSummary(errors: FieldErrors, order: string[]): string {
  const names = Object.keys(errors).sort((a, b) => rank(order, a) - rank(order, b));
  if (!names.length) return '';
  return `<div class="errors" role="alert" tabindex="-1" id="error-summary" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">There is a problem</h2>
<ul>${names.map((n) => `<li><a href="#${fieldId(n)}">${escapeHtml(errors[n])}</a></li>`).join('')}</ul></div>`;
}

const rank = (order: string[], name: string) => {
  const i = order.indexOf(name);
  return i === -1 ? order.length : i;
};

/** `aria-invalid` and `aria-describedby` for a field (its hint, its error). */
function describedBy(name: string, errors: FieldErrors, hint?: string, invalid = true): string {
  const ids = [hint ? `${fieldId(name)}-hint` : '', errors[name] ? errorId(name) : ''].filter(Boolean);
  return `${invalid && errors[name] ? ' aria-invalid="true"' : ''}${ids.length ? ` aria-describedby="${ids.join(' ')}"` : ''}`;
}

function hintAndError(name: string, errors: FieldErrors, hint?: string): string {
  return (
    (hint ? `<p class="hint" id="${fieldId(name)}-hint">${escapeHtml(hint)}</p>` : '') +
    (errors[name] ? `<p class="error" id="${errorId(name)}">${escapeHtml(errors[name])}</p>` : '')
  );
}

export interface InputOptions {
  name: string;
  label: string;
  value: string;
  errors: FieldErrors;
  type?: 'text' | 'email';
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  inputmode?: 'decimal' | 'numeric';
  extra?: string;
}

/** A labelled text input with its hint and error. */
export function input(o: InputOptions): string {
  const id = fieldId(o.name);
  return `<div class="field"><label for="${id}">${escapeHtml(o.label)}</label>${hintAndError(o.name, o.errors, o.hint)}
<input type="${o.type ?? 'text'}" id="${id}" name="${escapeHtml(o.name)}" value="${escapeHtml(o.value)}"${
    o.autocomplete ? ` autocomplete="${o.autocomplete}"` : ''
  }${o.inputmode ? ` inputmode="${o.inputmode}"` : ''}${o.required ? ' aria-required="true"' : ''}${describedBy(
    o.name,
    o.errors,
    o.hint,
  )}${o.extra ?? ''}></div>`;
}

/** A group of radio buttons in a fieldset with a legend; the first option carries the field's id (the summary's link). */
export function radios(o: {
  name: string;
  legend: string;
  options: Array<{ value: string; label: string }>;
  checked: string;
  errors: FieldErrors;
  hint?: string;
}): string {
  const items = o.options
    .map(
      (opt, i) =>
        `<label class="choice"><input type="radio" name="${escapeHtml(o.name)}" value="${escapeHtml(opt.value)}"${
          i === 0 ? ` id="${fieldId(o.name)}"` : ''
        }${opt.value === o.checked ? ' checked' : ''}><span>${escapeHtml(opt.label)}</span></label>`,
    )
    .join('');
  return `<fieldset${describedBy(o.name, o.errors, o.hint, false)}><legend>${escapeHtml(o.legend)}</legend>${hintAndError(o.name, o.errors, o.hint)}<div class="choices">${items}</div></fieldset>`;
}

/** A labelled select with an empty first choice. */
export function select(o: {
  name: string;
  label: string;
  options: ReadonlyArray<{ code: string; name: string }>;
  value: string;
  errors: FieldErrors;
  autocomplete?: string;
}): string {
  const id = fieldId(o.name);
  const opts = o.options
    .map(
      (s) =>
        `<option value="${escapeHtml(s.code)}"${s.code === o.value ? ' selected' : ''}>${escapeHtml(s.name)}</option>`,
    )
    .join('');
  return `<div class="field"><label for="${id}">${escapeHtml(o.label)}</label>${hintAndError(o.name, o.errors)}
<select id="${id}" name="${escapeHtml(o.name)}"${o.autocomplete ? ` autocomplete="${o.autocomplete}"` : ''}${describedBy(
    o.name,
    o.errors,
  )}><option value="">Choose…</option>${opts}</select></div>`;
}

/** The hidden CSRF field every reader form carries. */
export const csrfField = (token: string): string => `<input type="hidden" name="_csrf" value="${escapeHtml(token)}">`;

/** A date as readers read it: "4 December 2027" (or "4 December" without the year), in the organisation's time zone. */
export function readerDate(at: Date, timeZone: string, withYear = true): string {
  return new Intl.DateTimeFormat('en-AU', {
    day: 'numeric',
    month: 'long',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone,
  }).format(at);
}
