import type { Query } from './queries';

export const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
/** Text PostgreSQL cannot hold (NUL) or that has no UTF-8 form (a lone surrogate). */
export const unstorable = (s: string) =>
  /\u0000/.test(s) || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

export type Problems = string[];

export function onlyKeys(p: Problems, o: Record<string, unknown>, allowed: string[], where = ''): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) p.push(`unknown field ${where}${k}`);
}
export function text(p: Problems, v: unknown, name: string, max: number, { required = true, min = 1 } = {}): void {
  if (v === undefined) {
    if (required) p.push(`${name} missing`);
    return;
  }
  if (typeof v !== 'string') return void p.push(`${name} not a string`);
  const s = v.trim();
  const length = [...s].length;
  if (length < min || length > max) p.push(`${name} length ${length}`);
  if (unstorable(s)) p.push(`${name} has NUL or a lone surrogate`);
  if (/[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s)) p.push(`${name} has control characters`);
}
export function email(p: Problems, v: unknown, name: string, required = true): void {
  if (v === undefined) {
    if (required) p.push(`${name} missing`);
    return;
  }
  if (typeof v !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) || v.trim().length > 254 || unstorable(v)) {
    p.push(`${name} not an email address`);
  }
}
export function int(p: Problems, v: unknown, name: string, min: number, max: number, required = true): void {
  if (v === undefined) {
    if (required) p.push(`${name} missing`);
    return;
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    p.push(`${name} not an integer in [${min}, ${max}]`);
  }
}
export function oneOf(p: Problems, v: unknown, name: string, values: readonly unknown[], required = true): void {
  if (v === undefined) {
    if (required) p.push(`${name} missing`);
    return;
  }
  if (!values.includes(v)) p.push(`${name} not one of ${values.join('|')}`);
}
export function address(p: Problems, v: unknown, name: string): void {
  if (v === undefined) return;
  if (!isObj(v)) return void p.push(`${name} not an object`);
  onlyKeys(p, v, ['line1', 'line2', 'city', 'state', 'postalCode', 'country'], `${name}.`);
  text(p, v.line1, `${name}.line1`, 200);
  text(p, v.line2, `${name}.line2`, 200, { required: false, min: 0 });
  text(p, v.city, `${name}.city`, 100);
  text(p, v.state, `${name}.state`, 100);
  text(p, v.postalCode, `${name}.postalCode`, 16, { min: 2 });
  if (typeof v.country !== 'string' || !/^[A-Z]{2}$/.test(v.country.trim().toUpperCase())) p.push(`${name}.country`);
}
export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
export function isoDate(p: Problems, v: unknown, name: string, nullable = false): void {
  if (v === undefined || (nullable && v === null)) return;
  if (typeof v !== 'string' || !ISO_INSTANT.test(v) || Number.isNaN(Date.parse(v)) || !realDate(v.slice(0, 10))) {
    p.push(`${name} not an ISO 8601 date-time`);
  } else if (Number(v.slice(0, 4)) < 1970) p.push(`${name} out of range`);
}
export function subscriptionBody(p: Problems, b: unknown): void {
  if (!isObj(b)) return void p.push('body not an object');
  onlyKeys(p, b, ['tier', 'billing', 'months', 'email', 'name', 'deliveryAddress']);
  oneOf(p, b.tier, 'tier', ['digital', 'print']);
  oneOf(p, b.billing, 'billing', ['monthly', 'prepaid']);
  int(p, b.months, 'months', 1, 36, false);
  if (b.billing === 'monthly' && b.months !== undefined) p.push('months with monthly');
  email(p, b.email, 'email');
  text(p, b.name, 'name', 200);
  address(p, b.deliveryAddress, 'deliveryAddress');
  if (b.tier === 'print' && b.deliveryAddress === undefined) p.push('print without an address');
}
export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const realDate = (v: unknown) => {
  if (typeof v !== 'string' || !DATE_RE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};
export function single(p: Problems, q: Query, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) {
    p.push(`${name} repeated`);
    return undefined;
  }
  return v;
}
export function range(p: Problems, q: Query): void {
  const from = single(p, q, 'from');
  const to = single(p, q, 'to');
  if (!realDate(from)) p.push('from not a date');
  if (!realDate(to)) p.push('to not a date');
  if (realDate(from) && realDate(to) && to! < from!) p.push('to before from');
  const currency = single(p, q, 'currency');
  if (currency !== undefined && !/^[A-Za-z]{3}$/.test(currency)) p.push('currency');
}
