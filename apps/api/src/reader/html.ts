/** Escapes text for HTML content and attribute values (double- or single-quoted). */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Reads one cookie from a Cookie header (undefined when absent). */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  const value = Array.isArray(header) ? header.join('; ') : header;
  if (!value) return undefined;
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A Set-Cookie value: HttpOnly, Path, SameSite and Max-Age as given; Secure over HTTPS. */
export function cookie(
  name: string,
  value: string,
  opts: { path?: string; maxAgeSeconds?: number; sameSite: 'Lax' | 'Strict'; secure: boolean },
): string {
  const parts = [`${name}=${value}`, `Path=${opts.path ?? '/'}`, 'HttpOnly', `SameSite=${opts.sameSite}`];
  if (opts.maxAgeSeconds !== undefined) parts.push(`Max-Age=${opts.maxAgeSeconds}`);
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}
