/** Query strings (raw, with repeated keys and junk) and path segments, generated and encoded. */
import fc from 'fast-check';
import { DELETE, nastyNumber, nastyString, weirdString } from './generators';

/** Query strings, raw: values percent-encoded (lone surrogates as raw bad escapes), keys repeated, junk keys. */
export type Query = Record<string, string | string[]>;

export function encodePart(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    // A lone surrogate has no UTF-8: send the bytes a careless client would (CESU-8), which are not UTF-8 either.
    return [...s]
      .map((ch) => {
        try {
          return encodeURIComponent(ch);
        } catch {
          return '%ED%A0%80';
        }
      })
      .join('');
  }
}

/** The parameter names in a raw query-string fragment, as the server decodes them (or leaves them). */
export function rawKeys(raw: string): string[] {
  return raw
    .split('&')
    .filter(Boolean)
    .map((part) => {
      const key = part.split('=')[0];
      try {
        return decodeURIComponent(key);
      } catch {
        return key;
      }
    });
}

export function queryString(q: Query, rawSuffix = ''): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) {
    for (const one of Array.isArray(v) ? v : [v]) parts.push(`${encodePart(k)}=${encodePart(one)}`);
  }
  const s = parts.join('&') + rawSuffix;
  return s ? `?${s}` : '';
}

export const junkQueryValue: fc.Arbitrary<string | string[]> = fc.oneof(
  { arbitrary: nastyString, weight: 20 },
  { arbitrary: weirdString, weight: 10 },
  { arbitrary: fc.integer().map(String), weight: 5 },
  { arbitrary: nastyNumber.map(String), weight: 5 },
  { arbitrary: fc.string({ maxLength: 20 }), weight: 5 },
  {
    arbitrary: fc
      .tuple(fc.integer({ min: -1, max: 99999 }), fc.integer({ min: -1, max: 99 }), fc.integer({ min: -1, max: 99 }))
      .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
    weight: 10,
  },
  { arbitrary: fc.array(fc.oneof(nastyString, fc.constant('2026-01-01')), { minLength: 2, maxLength: 3 }), weight: 5 },
  { arbitrary: fc.constant('a'.repeat(5000)), weight: 1 },
);

export const rawQuerySuffix = fc.oneof(
  { arbitrary: fc.constant(''), weight: 12 },
  {
    arbitrary: fc.constantFrom(
      '&%',
      '&from=%zz',
      '&to=%ED%A0%80',
      '&x[y]=1',
      '&&&',
      '&=',
      '&from',
      '&interval=%00',
      '&a=1;b=2',
      '&%C0%AF=1',
    ),
    weight: 1,
  },
);

export function queries(
  valid: fc.Arbitrary<Query>,
  params: Record<string, fc.Arbitrary<string | string[]>>,
): fc.Arbitrary<{ q: Query; raw: string }> {
  const names = Object.keys(params);
  const anyParam = (n: string) =>
    fc.oneof({ arbitrary: params[n], weight: 2 }, { arbitrary: junkQueryValue, weight: 3 });
  const shaped = fc
    .tuple(
      fc.record(Object.fromEntries(names.map((n) => [n, anyParam(n)])), { requiredKeys: [] }),
      fc.option(
        fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('limit', 'extra', 'q')), junkQueryValue, {
          minKeys: 1,
          maxKeys: 2,
        }),
        { freq: 5 },
      ),
    )
    .map(([known, extra]) => ({ ...(extra ?? {}), ...(known as Query) }));
  const mutated = fc
    .tuple(
      valid,
      fc.constantFrom(...names),
      fc.oneof(
        { arbitrary: junkQueryValue, weight: 5 },
        { arbitrary: fc.constant<string | string[] | typeof DELETE>(DELETE), weight: 1 },
      ),
    )
    .map(([q, name, value]) => {
      const copy = { ...q };
      if (value === DELETE) delete copy[name];
      else copy[name] = value;
      return copy;
    });
  return fc
    .tuple(
      fc.oneof({ arbitrary: shaped, weight: 4 }, { arbitrary: mutated, weight: 5 }, { arbitrary: valid, weight: 1 }),
      rawQuerySuffix,
    )
    .map(([q, raw]) => ({ q, raw }));
}

/** A path segment: junk ids and slugs, percent-encoded (malformed escapes included). */
export const junkSegment: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: nastyString.filter((s) => s.length <= 1000), weight: 4 },
  { arbitrary: weirdString, weight: 2 },
  { arbitrary: fc.integer().map(String), weight: 1 },
  { arbitrary: fc.uuid(), weight: 1 },
  { arbitrary: fc.bigInt({ min: 0n, max: 10n ** 25n }).map(String), weight: 1 },
  { arbitrary: fc.string({ maxLength: 30 }), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      '..',
      '.',
      '%',
      '%zz',
      '%00',
      '%2F',
      '%ED%A0%80',
      'a%2Fb',
      '%25',
      '1;DROP',
      '1 OR 1=1',
      "1'",
      '-1',
      '0',
      '1e3',
      '1.5',
      '9'.repeat(19),
      'a'.repeat(1000),
    ),
    weight: 2,
  },
);

/** Segments that are already escaped stay as they are; anything else is encoded. */
export const segment = (s: string) =>
  /^(%[0-9A-Fa-f]{2}|%zz|%|[A-Za-z0-9._~-])*$/.test(s) && s.includes('%') ? s : encodePart(s);
