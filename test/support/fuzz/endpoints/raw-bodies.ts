/** Bodies that are not JSON at all, HTML-form bodies, and bodies over the size limit, to every write. */
import fc from 'fast-check';
import { emailArb, longString, nastyString, weirdString } from '../generators';
import { fingerprint } from '../database';
import { KNOWN } from '../known-issues';
import { encodePart } from '../queries';
import { send, type Method } from '../requests';
import type { StaffRole } from '../world';
import { endpoint, fuzzCase, type FuzzCase } from './case';

export const WRITES: Array<{
  method: Method;
  path: string;
  auth?: StaffRole;
  headers?: Record<string, string>;
}> = [
  { method: 'POST', path: '/api/donations' },
  { method: 'POST', path: '/api/subscriptions' },
  { method: 'POST', path: '/api/self-service/links' },
  { method: 'POST', path: '/api/auth/login' },
  { method: 'POST', path: '/api/phone-donations', auth: 'phone', headers: { 'idempotency-key': 'fuzz-raw-0001' } },
  { method: 'POST', path: '/api/phone-subscriptions', auth: 'phone' },
  {
    method: 'POST',
    path: '/api/offline-subscriptions',
    auth: 'phone',
    headers: { 'idempotency-key': 'fuzz-raw-0003' },
  },
  { method: 'POST', path: '/api/complimentary-subscriptions', auth: 'admin' },
  {
    method: 'POST',
    path: '/api/complimentary-subscriptions/00000000-0000-4000-8000-000000000000/end',
    auth: 'admin',
  },
  { method: 'POST', path: '/api/ledger-entries/1/reversal', auth: 'finance' },
  {
    method: 'POST',
    path: '/api/ledger-entries/1/refund',
    auth: 'finance',
    headers: { 'idempotency-key': 'fuzz-raw-0002' },
  },
  { method: 'POST', path: '/api/staff', auth: 'admin' },
  { method: 'PATCH', path: '/api/staff/00000000-0000-0000-0000-000000000000', auth: 'admin' },
  { method: 'POST', path: '/api/campaigns', auth: 'admin' },
  { method: 'PATCH', path: '/api/campaigns/fuzz-target', auth: 'admin' },
  { method: 'PUT', path: '/api/admin/tiers/digital/price', auth: 'admin' },
  { method: 'POST', path: '/api/stripe/webhook' },
];

export const rawBodies = fuzzCase('raw non-JSON bodies and wrong content types → 400 or 415, nothing written', (w) => {
  const contentType = fc.constantFrom(
    undefined,
    'text/plain',
    'text/plain; charset=utf-8',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/json',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/vnd.api+json',
    'application/octet-stream',
    '*/*',
    'json',
    'application/json, text/plain',
    ';;;',
  );
  const rawBody = fc.oneof(
    fc.constantFrom(
      '{"amount":',
      '{amount: 2500}',
      "{'amount': 2500}",
      '{"amount":2500,}',
      '[1,2',
      'undefined',
      'NaN',
      '\ufeff{"email":"a@example.com"}',
      '{"a":1}{"b":2}',
      '{"__proto__":{"isAdmin":true}}',
      '{"constructor":{"prototype":{"x":1}}}',
      'amount=2500&frequency=one_off&email=reader%40example.com',
      'email=card.payer%40example.com',
      'email=fuzz.admin%40staff.test&password=guess',
      '<xml><amount>2500</amount></xml>',
      '--x\r\nContent-Disposition: form-data; name="amount"\r\n\r\n2500\r\n--x--',
      '',
      ' ',
      '\u0000',
      'null',
      '"just a string"',
      '12',
      'true',
      '{"email":"\\ud800@example.com"}',
      '{"email":"\\u0000"}',
      '{"a":"\\x41"}',
    ),
    weirdString,
    longString,
    fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  );
  const inputs = fc.tuple(fc.constantFrom(...WRITES.keys()), contentType, rawBody);
  return endpoint({
    name: 'raw bodies, wrong content types',
    inputs,
    request: ([i, type, body]) => {
      const target = WRITES[i];
      const headers: Record<string, string> = { ...(target.headers ?? {}) };
      if (target.auth) headers.authorization = w.auth[target.auth];
      if (type) headers['content-type'] = type;
      return {
        method: target.method,
        path: target.path,
        headers,
        input: undefined,
        body: typeof body === 'string' ? Buffer.from(body) : body,
      };
    },
    invalid: () => ['not a JSON object body'],
    known: [KNOWN.formBodyAccepted],
    // A failed sign-in (401) is audited by design; a 409/404 concerns the target, never written.
    rejectWrites: (o) =>
      o.status === 401 && (o.json as { code?: string })?.code === 'UNAUTHORIZED' ? { audit_log: 1 } : {},
    fields: [],
    anyField: true,
  });
});

export const formBodies = fuzzCase(
  'HTML-form bodies (application/x-www-form-urlencoded) to the JSON endpoints',
  (w) => {
    const form = fc.oneof(
      fc.constantFrom(
        'email=card.payer%40example.com',
        'email=reader%40example.com',
        'email=fuzz.admin%40staff.test&password=guess',
        'amount=2500&frequency=one_off&email=reader%40example.com',
        'tier=digital&billing=monthly&email=form.reader%40example.com&name=Form+Reader',
        'reason=entered+twice',
        'role=admin',
        '',
      ),
      fc
        .dictionary(
          fc.constantFrom('email', 'amount', 'frequency', 'name', 'password', 'reason', 'tier', 'billing'),
          fc.oneof(nastyString, emailArb),
          { maxKeys: 3 },
        )
        .map((o) =>
          Object.entries(o)
            .map(([k, v]) => `${k}=${encodePart(v)}`)
            .join('&'),
        ),
    );
    return endpoint({
      name: 'form-encoded bodies',
      inputs: fc.tuple(fc.constantFrom(...WRITES.keys()), form),
      request: ([i, body]) => {
        const target = WRITES[i];
        const headers: Record<string, string> = {
          ...(target.headers ?? {}),
          'content-type': 'application/x-www-form-urlencoded',
        };
        if (target.auth) headers.authorization = w.auth[target.auth];
        return { method: target.method, path: target.path, headers, input: undefined, body };
      },
      invalid: () => ['not a JSON body'],
      rejectWrites: (o) =>
        o.status === 401 && (o.json as { code?: string })?.code === 'UNAUTHORIZED' ? { audit_log: 1 } : {},
      // What gets through (a known issue) writes what the endpoint writes.
      writes: {
        emails: [0, 1],
        checkouts: [0, 1],
        stripe_prices: [0, 1],
        ledger_entries: [0, 1],
        receipts: [0, 1],
        audit_log: [0, 1],
        'campaigns#': [0, 1],
        'staff#': [0, 1],
        'tiers#': [0, 1],
      },
      fields: [],
      anyField: true,
      known: [KNOWN.formBodyAccepted],
    });
  },
  200,
);

export const tooLarge: FuzzCase = {
  title: 'a body over the 1 MB limit → 413 in the error shape, nothing written',
  check: async (w) => {
    const big = JSON.stringify({
      amount: 2500,
      frequency: 'one_off',
      email: 'big@example.com',
      name: 'x'.repeat(2 * 1024 * 1024),
    });
    const before = await fingerprint(w.t);
    for (const target of WRITES) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(target.headers ?? {}) };
      if (target.auth) headers.authorization = w.auth[target.auth];
      const o = await send(w.t.baseUrl, {
        method: target.method,
        path: target.path,
        headers,
        input: undefined,
        body: big,
      });
      expect({ target: `${target.method} ${target.path}`, status: o.status }).toEqual({
        target: `${target.method} ${target.path}`,
        status: 413,
      });
      expect(o.contentType).toMatch(/^application\/json/);
      expect(o.json).toMatchObject({ statusCode: 413, error: 'Payload Too Large', code: 'PAYLOAD_TOO_LARGE' });
      expect(typeof (o.json as { message: unknown }).message).toBe('string');
    }
    expect(await fingerprint(w.t)).toEqual(before);
  },
};
