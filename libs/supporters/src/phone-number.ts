import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** The region a number typed without its country code is read in (the 1800 line is Australian). */
export const DEFAULT_PHONE_REGION: CountryCode = 'AU';

/** A number as typed and as stored: E.164 (`+61255501111`), or null when it is not a valid number. */
export function toE164(typed: string, region: CountryCode = DEFAULT_PHONE_REGION): string | null {
  const parsed = parsePhoneNumberFromString(typed.trim(), region);
  return parsed?.isValid() ? parsed.number : null;
}

/**
 * What a search term can match among stored numbers: the whole number when it is one
 * (`{ exact }`), or the beginning of one when it is at least 6 digits of one (`{ prefix }`:
 * `0400 000` → `+61400000`, a trunk `0` read as the default region's code), or nothing.
 */
export function phoneQuery(
  term: string,
  region: CountryCode = DEFAULT_PHONE_REGION,
): { exact: string } | { prefix: string } | null {
  if (!/^[+0-9 ().-]+$/.test(term.trim())) return null;
  const exact = toE164(term, region);
  if (exact) return { exact };
  const digits = term.replace(/\D/g, '');
  if (digits.length < 6) return null;
  const code = getCountryCallingCode(region);
  if (term.trim().startsWith('+')) return { prefix: `+${digits}` };
  if (digits.startsWith('0')) return { prefix: `+${code}${digits.slice(1)}` };
  return { prefix: `+${code}${digits}` };
}
