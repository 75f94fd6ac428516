/**
 * Generators of values, bodies and headers: junk of every type, nasty strings and numbers, and
 * valid field values; `bodies()` mixes them into what an endpoint's body generator needs.
 */
import fc from 'fast-check';

/** Strings that have broken parsers, databases and spreadsheets before. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '   ',
  '\t',
  '\n',
  '\u0000',
  'a\u0000b',
  'Jenny\u0000Rosen',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\ude00y',
  'ok\ud800ok',
  '🎉',
  '👩‍👩‍👧‍👦',
  '🎉'.repeat(60),
  '\u202eevil',
  'مرحبا بالعالم',
  'שלום',
  '\u200b',
  '\u200b\u200b\u200b',
  '\ufeff',
  '\u00a0',
  'Zoë',
  'İstanbul',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  '1e308',
  '-0',
  '0x10',
  '2500',
  ' 2500 ',
  '25.00',
  '9007199254740993',
  'null',
  'undefined',
  'true',
  'false',
  '[]',
  '{}',
  '{"a":1}',
  '<script>alert(1)</script>',
  "'; DROP TABLE supporters; --",
  '%s%s%n',
  '${7*7}',
  '{{7*7}}',
  '../../etc/passwd',
  '=HYPERLINK("http://x")',
  '+1+1',
  '@SUM(A1)',
  'a'.repeat(255),
  'b'.repeat(1001),
  'current',
  'CURRENT',
  'fighting-fund',
  'digital',
  'print',
  'cash',
  'card',
  'admin',
  'one_off',
  'monthly',
  'prepaid',
  'requested_by_customer',
  '2026-01-01',
  '2026-02-30',
  '0000-00-00',
  '-271821-04-20T00:00:00Z',
  'reader@example.com',
  'a@b',
  '@',
  'a@',
  '@b.com',
  'a@b@c.com',
  'a b@example.com',
  'reader@example.com\u0000',
  'x@\ud800.com',
  'x@😀.com',
];

export const nastyString = fc.constantFrom(...NASTY_STRINGS);

export const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Strings of any unicode, with NUL, lone surrogates, RTL marks and zero-width characters mixed in. */
export const weirdString = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 8 }),
      loneSurrogate,
      fc.constantFrom('\u0000', '\u202e', '\u200b', '\ufeff', '🎉', '\r\n', '"', '\\', '%', '\u0085'),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''));

/** Up to ~10,000 characters. */
export const longString = fc
  .tuple(
    fc.oneof(fc.string({ minLength: 1, maxLength: 4 }), fc.constantFrom('a', '🎉', '\u0000', 'é')),
    fc.integer({ min: 200, max: 10_000 }),
  )
  .map(([s, n]) => s.repeat(Math.ceil(n / s.length)).slice(0, n));

export const nastyNumber = fc.constantFrom(
  1e308,
  -1e308,
  -0,
  0,
  1,
  -1,
  0.5,
  2500.5,
  99.99,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 53,
  2 ** 53 + 1,
  -(2 ** 53) - 1,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
  1e21,
  5e-324,
  100,
  10_000_000,
  10_000_001,
  99,
);

/** Any value at all, for a field: wrong types, huge numbers, odd strings, arrays, objects, null. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nastyString, weight: 4 },
  { arbitrary: nastyNumber, weight: 3 },
  { arbitrary: weirdString, weight: 2 },
  { arbitrary: longString, weight: 1 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}, [null], ['a'], [1, 2], { a: 1 }), weight: 2 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 2 },
  { arbitrary: fc.anything({ maxDepth: 2 }), weight: 1 },
);

/** A whole body that is not the object asked for: arrays, strings, numbers, null, nested junk. */
export const junkBody: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(junkValue, { maxLength: 5 }),
  nastyString,
  nastyNumber,
  fc.constant(null),
  fc.dictionary(fc.oneof(fc.string(), nastyString), junkValue, { maxKeys: 5 }),
);

export const DELETE = Symbol('delete');

export function asJson(v: unknown): unknown {
  const text = JSON.stringify(v);
  return text === undefined ? undefined : JSON.parse(text);
}

export function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

/** Sets (or deletes) a dotted path in a plain object, creating objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o: Record<string, unknown> = target;
  for (const k of keys.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null || Array.isArray(o[k])) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (value === DELETE) delete o[last];
  else o[last] = value;
}

/**
 * Bodies for an endpoint: (a) top-level junk, (b) its real field names with values of any type
 * (some missing, some extra), (c) a valid body with one field mutated, deleted or one added, and
 * (d) valid bodies (the rare accepted request).
 */
export function bodies(
  valid: fc.Arbitrary<Record<string, unknown>>,
  fields: Record<string, fc.Arbitrary<unknown>>,
  { validWeight = 10 } = {},
): fc.Arbitrary<unknown> {
  const names = Object.keys(fields);
  const anyField = (name: string) =>
    fc.oneof({ arbitrary: fields[name], weight: 2 }, { arbitrary: junkValue, weight: 3 });
  const shaped = fc
    .tuple(
      fc.record(Object.fromEntries(names.filter((n) => !n.includes('.')).map((n) => [n, anyField(n)])), {
        requiredKeys: [],
      }),
      fc.option(
        fc.dictionary(
          fc.oneof(
            fc.string({ maxLength: 12 }),
            fc.constantFrom('id', 'extra', 'isAdmin', '', ' ', 'amount ', 'Amount', '__proto__x'),
          ),
          junkValue,
          { minKeys: 1, maxKeys: 2 },
        ),
        { freq: 4 },
      ),
    )
    .map(([known, extra]) => ({ ...(extra ?? {}), ...known }));
  const mutated = fc
    .tuple(
      valid,
      fc.constantFrom(...names, '$extra'),
      fc.oneof({ arbitrary: junkValue, weight: 5 }, { arbitrary: fc.constant<unknown>(DELETE), weight: 1 }),
    )
    .map(([body, field, value]) => {
      const b = clone(body);
      if (field === '$extra') {
        b[typeof value === 'string' && value ? `x_${value.slice(0, 10)}` : 'unexpected'] = value === DELETE ? 1 : value;
      } else setPath(b, field, value);
      return b;
    });
  // As JSON carries it (undefined properties dropped, NaN → null, -0 → 0): what the server and the oracles see.
  return fc
    .oneof(
      { arbitrary: junkBody, weight: 20 },
      { arbitrary: shaped, weight: 30 },
      { arbitrary: mutated, weight: 40 },
      { arbitrary: valid, weight: validWeight },
    )
    .map(asJson);
}

/** Idempotency-Key header values: missing, too short, too long, bad characters, or a fresh valid one. */
export const idempotencyKey: fc.Arbitrary<string | undefined> = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:-]{8,40}$/), weight: 6 },
  { arbitrary: fc.constant(undefined), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      '',
      'short',
      '1234567',
      'has space in it',
      'ünïcödé-key-1',
      'key/with/slash',
      'a'.repeat(201),
      'a'.repeat(200),
      'x'.repeat(8),
      '${jndi:ldap://x}',
      '😀😀😀😀😀😀😀😀',
    ),
    weight: 2,
  },
  { arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 250 }), weight: 2 },
);

/** What fetch can send as a header value (Latin-1, no CR/LF/NUL; leading/trailing spaces trimmed by HTTP). */
export function headerValue(v: string): string | null {
  const s = v.replace(/[^\x20-\x7e\x80-\xff\t]/g, '').trim();
  return s.length ? s : null;
}

export function withHeader(
  headers: Record<string, string>,
  name: string,
  value: string | undefined,
): Record<string, string> {
  if (value === undefined) return headers;
  const v = headerValue(value);
  return v === null ? headers : { ...headers, [name]: v };
}

// Field generators for valid values.
export const emailArb = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{2,12}$/),
    fc.constantFrom('example.com', 'example.org', 'fuzz.test', 'sub.example.net'),
  )
  .map(([l, d]) => `${l}@${d}`);
export const nameArb = fc.oneof(
  fc.constantFrom('Jenny Rosen', 'Ana María López', '李小龙', 'Zoë 🎉', "Pat O'Brien", 'مريم'),
  fc.stringMatching(/^[A-Z][a-z]{1,20}( [A-Z][a-z]{1,20})?$/),
);
export const addressArb = fc.record(
  {
    line1: fc.constantFrom('1 Example St', '22 Rue de la Paix', 'Flat 3, 10 High St'),
    line2: fc.constantFrom('Unit 2', 'Level 5'),
    city: fc.constantFrom('Sydney', 'Melbourne', 'Hobart'),
    state: fc.constantFrom('NSW', 'VIC', 'TAS'),
    postalCode: fc.constantFrom('2000', '3000', '7000'),
    country: fc.constantFrom('AU', 'nz', ' gb '),
  },
  { requiredKeys: ['line1', 'city', 'state', 'postalCode', 'country'] },
);
export const validDate = fc
  .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
export const slugArb = fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}$/).filter((s) => s !== 'current');
