import { paramErrors } from '../core/errors';

export interface RangeFilter {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

type Values = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);
const INTEGER = /^-?\d+$/;

/**
 * Reads request parameters (a parsed form body or query string, or a JSON body) the way Stripe
 * validates them: integers arrive as strings and are coerced, a missing required parameter is
 * `parameter_missing`, a malformed integer `parameter_invalid_integer`, and anything the endpoint
 * did not read is `parameter_unknown` when `end()` is called. Errors name the parameter in
 * Stripe's bracket form (`line_items[0][quantity]`).
 *
 * An empty string means "unset" in Stripe's encoding (the SDK sends `null` as ""): optional
 * parameters treat it as absent, required ones reject it.
 */
export class Params {
  private readonly used = new Set<string>();
  private readonly children: Params[] = [];

  private constructor(
    private readonly values: Values,
    private readonly prefix: string,
  ) {}

  static of(values: unknown, prefix = ''): Params {
    return new Params(isPlainObject(values) ? values : {}, prefix);
  }

  /** The bracketed name of a parameter, for error messages. */
  nameOf(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    const v = this.values[key];
    return v !== undefined && v !== null && v !== '';
  }

  /** Keys present in this object (for free-form hashes). */
  keys(): string[] {
    return Object.keys(this.values);
  }

  string(key: string): string | undefined {
    const v = this.take(key);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw paramErrors.invalid(this.nameOf(key), `Invalid string: ${JSON.stringify(v)}`);
  }

  requireString(key: string): string {
    return this.required(key, this.string(key));
  }

  integer(key: string, opts: { min?: number; max?: number } = {}): number | undefined {
    const v = this.take(key);
    if (v === undefined) return undefined;
    let n: number;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'string' && INTEGER.test(v.trim())) n = Number(v.trim());
    else throw paramErrors.invalidInteger(this.nameOf(key), v);
    if (!Number.isSafeInteger(n)) throw paramErrors.invalidInteger(this.nameOf(key), v);
    if (opts.min !== undefined && n < opts.min) {
      throw paramErrors.invalid(
        this.nameOf(key),
        `This value must be greater than or equal to ${opts.min}.`,
        'parameter_invalid_integer',
      );
    }
    if (opts.max !== undefined && n > opts.max) {
      throw paramErrors.invalid(
        this.nameOf(key),
        `This value must be less than or equal to ${opts.max}.`,
        'parameter_invalid_integer',
      );
    }
    return n;
  }

  requireInteger(key: string, opts: { min?: number; max?: number } = {}): number {
    return this.required(key, this.integer(key, opts));
  }

  boolean(key: string): boolean | undefined {
    const v = this.take(key);
    if (v === undefined) return undefined;
    if (v === true || v === 'true') return true;
    if (v === false || v === 'false') return false;
    throw paramErrors.invalid(this.nameOf(key), `Invalid boolean: ${String(v)}`);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      throw paramErrors.invalid(this.nameOf(key), `Invalid ${this.nameOf(key)}: must be one of ${humanList(allowed)}`);
    }
    return v as T;
  }

  requireOneOf<T extends string>(key: string, allowed: readonly T[]): T {
    return this.required(key, this.oneOf(key, allowed));
  }

  /** A three-letter ISO currency code, lower-cased as Stripe returns it. */
  currency(key: string): string | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    if (!/^[a-zA-Z]{3}$/.test(v)) throw paramErrors.invalid(this.nameOf(key), `Invalid currency: ${v.toLowerCase()}.`);
    return v.toLowerCase();
  }

  requireCurrency(key: string): string {
    return this.required(key, this.currency(key));
  }

  /** A `metadata`-style hash of strings. */
  stringMap(key: string): Record<string, string> | undefined {
    const v = this.take(key);
    if (v === undefined) return undefined;
    if (!isPlainObject(v)) throw paramErrors.invalid(this.nameOf(key), `Invalid object`);
    const out: Record<string, string> = {};
    for (const [k, value] of Object.entries(v)) {
      if (value === '' || value === null || value === undefined) continue;
      if (typeof value === 'object') {
        throw paramErrors.invalid(`${this.nameOf(key)}[${k}]`, `Invalid string: ${JSON.stringify(value)}`);
      }
      out[k] = String(value);
    }
    return out;
  }

  /**
   * `metadata` in an update: the keys to set, with `null` for a key sent empty (unset it);
   * `null` for `metadata=""` (clear it all); undefined when not sent.
   */
  metadataUpdate(key: string): Record<string, string | null> | null | undefined {
    const raw = this.values[key];
    this.used.add(key);
    if (raw === undefined) return undefined;
    if (raw === '' || raw === null) return null;
    if (!isPlainObject(raw)) throw paramErrors.invalid(this.nameOf(key), `Invalid object`);
    const out: Record<string, string | null> = {};
    for (const [k, value] of Object.entries(raw)) {
      if (value === '' || value === null) out[k] = null;
      else if (typeof value === 'object') {
        throw paramErrors.invalid(`${this.nameOf(key)}[${k}]`, `Invalid string: ${JSON.stringify(value)}`);
      } else out[k] = String(value);
    }
    return out;
  }

  /** A nested hash, read with its own `Params` (whose unread keys `end()` also reports). */
  object(key: string): Params | undefined {
    const v = this.take(key);
    if (v === undefined) return undefined;
    if (!isPlainObject(v)) throw paramErrors.invalid(this.nameOf(key), `Invalid object`);
    return this.child(v, this.nameOf(key));
  }

  requireObject(key: string): Params {
    return this.required(key, this.object(key));
  }

  /** A list of hashes: `items[0][x]=..&items[1][x]=..` (or a JSON array). */
  list(key: string): Params[] | undefined {
    const items = this.arrayOf(key);
    if (items === undefined) return undefined;
    return items.map((item, i) => {
      if (!isPlainObject(item)) throw paramErrors.invalid(`${this.nameOf(key)}[${i}]`, `Invalid object`);
      return this.child(item, `${this.nameOf(key)}[${i}]`);
    });
  }

  requireList(key: string): Params[] {
    const items = this.list(key);
    if (!items || items.length === 0) throw paramErrors.missing(this.nameOf(key));
    return items;
  }

  /** A list of strings: `expand[]=a&expand[]=b`, `expand[0]=a`, or a single `expand=a`. */
  stringList(key: string): string[] | undefined {
    const items = this.arrayOf(key);
    if (items === undefined) return undefined;
    return items.map((item, i) => {
      if (typeof item !== 'string') {
        throw paramErrors.invalid(`${this.nameOf(key)}[${i}]`, `Invalid string: ${JSON.stringify(item)}`);
      }
      return item;
    });
  }

  /** `created=123` or `created[gt]=..&created[lte]=..`. */
  range(key: string): RangeFilter | undefined {
    if (!this.has(key)) {
      this.used.add(key);
      return undefined;
    }
    const v = this.values[key];
    if (!isPlainObject(v)) {
      const exact = this.integer(key);
      return exact === undefined ? undefined : { gte: exact, lte: exact };
    }
    const p = this.requireObject(key);
    return { gt: p.integer('gt'), gte: p.integer('gte'), lt: p.integer('lt'), lte: p.integer('lte') };
  }

  /** Throws `parameter_unknown` for the first parameter nobody read, here or in nested hashes. */
  end(): void {
    for (const key of Object.keys(this.values)) {
      if (!this.used.has(key)) throw paramErrors.unknown(this.nameOf(key));
    }
    for (const child of this.children) child.end();
  }

  private take(key: string): unknown {
    this.used.add(key);
    const v = this.values[key];
    return v === '' || v === null ? undefined : v;
  }

  private arrayOf(key: string): unknown[] | undefined {
    const v = this.take(key);
    if (v === undefined) return undefined;
    if (Array.isArray(v)) return v;
    if (typeof v === 'string') return [v];
    if (isPlainObject(v) && Object.keys(v).every((k) => /^\d+$/.test(k))) {
      return Object.keys(v)
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => v[k]);
    }
    throw paramErrors.invalid(this.nameOf(key), `Invalid array`);
  }

  private child(values: Values, prefix: string): Params {
    const child = new Params(values, prefix);
    this.children.push(child);
    return child;
  }

  private required<T>(key: string, value: T | undefined): T {
    if (value !== undefined) return value;
    if (this.values[key] === '') throw paramErrors.empty(this.nameOf(key));
    throw paramErrors.missing(this.nameOf(key));
  }
}

function humanList(values: readonly string[]): string {
  const sorted = [...values].sort();
  if (sorted.length <= 1) return sorted.join('');
  return `${sorted.slice(0, -1).join(', ')}, or ${sorted[sorted.length - 1]}`;
}
