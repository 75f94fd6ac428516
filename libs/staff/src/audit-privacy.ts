/** What replaces a piece of personal data in an audit snapshot once its person is erased. */
export const ERASED = '[erased]';

/** Keys whose value is personal data wherever they appear in a snapshot. */
const PERSONAL_KEYS = new Set([
  'name',
  'email',
  'emails',
  'phone',
  'phones',
  'address',
  'postalAddress',
  'deliveryAddress',
  'notes',
  'note',
  'supporter',
  'to',
  'toAddress',
  'customerEmail',
  'customerName',
]);

/**
 * A copy of an audit snapshot (`before` / `after`) with the personal data taken out: the value of
 * every personal key (name, email, phones, addresses, notes, the supporter given to the phone
 * line; a count or flag under such a key stays) and every string containing one of `needles`
 * (the person's emails, name, phone, street; compared case-insensitively; needles under 3
 * characters are ignored) become "[erased]". Ids, amounts, statuses and dates stay, so the entry
 * still says who did what to which record.
 */
export function scrubSnapshot(value: unknown, needles: string[]): unknown {
  const lowered = needles.map((n) => n.trim().toLowerCase()).filter((n) => n.length >= 3);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return lowered.some((n) => v.toLowerCase().includes(n)) ? ERASED : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v).map(([k, inner]) => [k, PERSONAL_KEYS.has(k) && isText(inner) ? ERASED : walk(inner)]),
      );
    }
    return v;
  };
  return walk(value);
}

/** A value that can carry personal data: text, or a structure (not a null, number or boolean). */
function isText(value: unknown): boolean {
  return typeof value === 'string' || (typeof value === 'object' && value !== null);
}
