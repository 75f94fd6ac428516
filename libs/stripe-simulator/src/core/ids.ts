import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A random string of letters and digits, as in Stripe's ids. */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i] % ALPHABET.length];
  return out;
}

/** Random decimal digits (card network ids, receipt numbers). */
export function randomDigits(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += String(bytes[i] % 10);
  return out;
}

/**
 * A Stripe-looking id: `pi_3Q...` (24 characters after the prefix), or, for
 * Checkout Sessions, `cs_test_...` (58 characters after the prefix).
 */
export function newId(prefix: string, length = 24): string {
  return `${prefix}_${randomToken(length)}`;
}

export const newCheckoutSessionId = (): string => newId('cs_test', 58);
export const newRequestId = (): string => newId('req', 14);
