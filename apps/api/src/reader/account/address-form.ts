import type { PostalAddress } from '@app/donations';
import { addressProblems, AU_STATES as STATES } from '../forms';

/** Australia's states and territories, as a delivery address names them (the reader forms' list). */
export const AU_STATES: Array<[code: string, name: string]> = STATES.map((st) => [st.code, st.name]);

export type AddressField = 'line1' | 'line2' | 'city' | 'state' | 'postalCode';

/** A posted form's address, checked as Australia Post would: the address, or what is wrong with each field. */
export function australianAddress(
  form: Record<string, unknown>,
):
  | { address: PostalAddress; errors?: undefined }
  | { address?: undefined; errors: Partial<Record<AddressField, string>> } {
  const text = (k: AddressField) =>
    typeof form[k] === 'string' ? (form[k] as string).trim().replace(/\s+/g, ' ') : '';
  const [line1, line2, city, state, postalCode] = [
    text('line1'),
    text('line2'),
    text('city'),
    text('state').toUpperCase(),
    text('postalCode'),
  ];
  // The subscribe page's checks (`addressProblems`, keys `address.<field>`), and no control
  // characters in the text lines.
  const errors: Partial<Record<AddressField, string>> = {};
  for (const [key, message] of Object.entries(addressProblems({ line1, line2, city, state, postalCode }))) {
    errors[key.slice('address.'.length) as AddressField] = `${message}.`;
  }
  const control = /[\u0000-\u001f\u007f]/;
  for (const [k, v] of [
    ['line1', line1],
    ['line2', line2],
    ['city', city],
  ] as const) {
    if (!errors[k] && control.test(v)) errors[k] = 'Use letters, numbers and punctuation only.';
  }
  if (Object.keys(errors).length) return { errors };
  return { address: { line1, ...(line2 ? { line2 } : {}), city, state, postalCode, country: 'AU' } };
}
