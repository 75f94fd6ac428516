/**
 * Lookups: the entitlements API (X-Api-Key), supporter search, ids and slugs in paths, the audit
 * log's paging, and self-service link tokens.
 */
import fc from 'fast-check';
import { addressArb, bodies, emailArb, withHeader } from '../generators';
import { API_KEY } from '../config';
import { KNOWN } from '../known-issues';
import { ISO_INSTANT, isObj, onlyKeys, realDate, single, unstorable, type Problems } from '../oracles';
import { junkQueryValue, junkSegment, queries, queryString, rawKeys, segment } from '../queries';
import { jsonRequest, show } from '../requests';
import { endpoint, fuzzCase } from './case';

export const entitlementsGet = fuzzCase('GET /api/entitlements (X-Api-Key)', () => {
  const apiKey = fc.oneof(
    { arbitrary: fc.constant(API_KEY), weight: 8 },
    { arbitrary: fc.constantFrom(undefined, '', 'wrong', `${API_KEY}x`, API_KEY.slice(1)), weight: 1 },
  );
  return endpoint({
    name: 'GET /api/entitlements',
    inputs: fc.tuple(
      queries(
        fc.record(
          { email: emailArb, at: fc.constantFrom('2026-01-01T00:00:00Z', '2026-06-30T12:00:00.000Z') },
          { requiredKeys: ['email'] },
        ),
        { email: emailArb, at: fc.constantFrom('2026-01-01T00:00:00Z') },
      ),
      apiKey,
    ),
    request: ([{ q, raw }, key]) => ({
      method: 'GET',
      path: `/api/entitlements${queryString(q, raw)}`,
      headers: withHeader({}, 'x-api-key', key),
      input: q,
      extraKeys: rawKeys(raw),
    }),
    invalid: ([{ q }, key]) => {
      const p: Problems = [];
      if (key !== API_KEY) p.push('wrong API key');
      const e = single(p, q, 'email');
      if (typeof e !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(e) || e.length > 254) p.push('email');
      const at = single(p, q, 'at');
      if (at !== undefined && !(ISO_INSTANT.test(at) && !Number.isNaN(Date.parse(at)))) {
        p.push(`at ${show(at, 40)} is not an ISO 8601 date-time`);
      }
      return p;
    },
    fields: ['email', 'at'],
    known: [KNOWN.entitlementsEmailNul, KNOWN.entitlementsLenient],
  });
});

export const entitlementsPost = fuzzCase('POST /api/entitlements (X-Api-Key, email in the body)', () => {
  const apiKey = fc.oneof(
    { arbitrary: fc.constant(API_KEY), weight: 8 },
    { arbitrary: fc.constantFrom(undefined, '', 'wrong', `${API_KEY}x`, API_KEY.slice(1)), weight: 1 },
  );
  const atArb = fc.constantFrom(
    '2026-01-01T00:00:00Z',
    '2026-06-30T12:00:00.000Z',
    '2026-02-30T00:00:00Z',
    'tomorrow',
    '2026-01-01',
  );
  return endpoint({
    name: 'POST /api/entitlements',
    inputs: fc.tuple(
      bodies(fc.record({ email: emailArb, at: atArb }, { requiredKeys: ['email'] }), {
        email: emailArb,
        at: atArb,
      }),
      apiKey,
    ),
    request: ([b, key]) => jsonRequest('POST', '/api/entitlements', b, key === undefined ? {} : { 'x-api-key': key }),
    invalid: ([b, key]) => {
      const p: Problems = [];
      if (key !== API_KEY) p.push('wrong API key');
      if (!isObj(b)) return [...p, 'body not an object'];
      onlyKeys(p, b, ['email', 'at']);
      const e = b.email;
      if (
        typeof e !== 'string' ||
        !/^[^\s@\u0000-\u001f]+@[^\s@\u0000-\u001f]+$/.test(e) ||
        e.length > 254 ||
        unstorable(e)
      ) {
        p.push('email');
      }
      const at = b.at;
      if (at !== undefined && !(typeof at === 'string' && ISO_INSTANT.test(at) && !Number.isNaN(Date.parse(at)))) {
        p.push(`at ${show(at, 40)} is not an ISO 8601 date-time`);
      }
      return p;
    },
    fields: ['email', 'at'],
  });
});

export const supporterSearch = fuzzCase('GET /api/supporters?q=', (w) => {
  return endpoint({
    name: 'GET /api/supporters?q=',
    inputs: queries(
      fc.record({ q: fc.constantFrom('Caller', 'caller1@example.com', '2000', 'Jenny', '%', '_', '\\') }),
      { q: fc.constantFrom('Caller', 'ca', '5550') },
    ),
    request: ({ q, raw }) => ({
      method: 'GET',
      path: `/api/supporters${queryString(q, raw)}`,
      headers: { authorization: w.auth.phone },
      input: q,
      extraKeys: rawKeys(raw),
    }),
    invalid: ({ q, raw }) => {
      // A repeated q is searched for as one comma-joined term; a lone surrogate is sent as bytes the server may keep as text.
      const v = rawKeys(raw).includes('q') ? undefined : q.q;
      const term = Array.isArray(v) ? v.join(',') : v;
      if (typeof term === 'string' && unstorable(term)) return [];
      return typeof term !== 'string' || term.trim().length < 2 || term.trim().length > 100 ? ['q'] : [];
    },
    fields: ['q'],
    known: [KNOWN.supportersQNul],
  });
});

export const progressSlugs = fuzzCase('GET /api/campaigns/:slug/progress (junk slugs)', () => {
  return endpoint({
    name: 'GET /api/campaigns/:slug/progress',
    inputs: fc.oneof(
      { arbitrary: junkSegment, weight: 9 },
      { arbitrary: fc.constantFrom('current', 'fighting-fund', 'fuzz-target'), weight: 1 },
    ),
    request: (s) => ({
      method: 'GET',
      path: `/api/campaigns/${segment(s)}/progress`,
      headers: {},
      input: { slug: s },
    }),
    invalid: (s) =>
      ['current', 'fighting-fund', 'fuzz-target'].includes(s) || /^[a-z0-9]+(-[a-z0-9]+)*$/.test(s)
        ? []
        : ['no such campaign'],
    fields: ['slug'],
    known: [KNOWN.progressSlugNul],
  });
});

export const idsAndSlugs = fuzzCase(
  'GET /api/donations/:id, /api/supporters/:id, /api/campaigns/:slug, /embed/campaigns/:slug(/progress.svg)',
  (w) => {
    const targets = [
      { path: (s: string) => `/api/donations/${segment(s)}`, real: () => [w.checkoutId], auth: undefined },
      { path: (s: string) => `/api/supporters/${segment(s)}`, real: () => [w.supporterId], auth: 'phone' as const },
      {
        path: (s: string) => `/api/campaigns/${segment(s)}`,
        real: () => ['current', 'fighting-fund', 'fuzz-target'],
        auth: 'finance' as const,
      },
      {
        path: (s: string) => `/embed/campaigns/${segment(s)}`,
        real: () => ['current', 'fighting-fund', 'fuzz-target'],
        auth: undefined,
      },
      {
        path: (s: string) => `/embed/campaigns/${segment(s)}/progress.svg`,
        real: () => ['current', 'fighting-fund'],
        auth: undefined,
      },
    ];
    return endpoint({
      name: 'GET ids and slugs in paths',
      inputs: fc.tuple(
        fc.nat(targets.length - 1),
        fc.oneof({ arbitrary: junkSegment, weight: 9 }, { arbitrary: fc.constant('$real'), weight: 1 }),
      ),
      request: ([i, s]) => {
        const target = targets[i];
        const id = s === '$real' ? target.real()[0] : s;
        const headers: Record<string, string> = target.auth ? { authorization: w.auth[target.auth] } : {};
        return { method: 'GET', path: target.path(id), headers, input: { id } };
      },
      // Campaigns are created by other fuzzing, under any slug: only ids and slugs of the wrong form must not be found.
      invalid: ([i, s]) => (s === '$real' || (i >= 2 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(s)) ? [] : ['no such id']),
      fields: ['id', 'slug'],
      known: [KNOWN.progressSlugNul, KNOWN.campaignSlugNul],
    });
  },
);

export const auditLog = fuzzCase('GET /api/audit-log?limit&before&staffId&action&from&to', (w) => {
  const params = {
    limit: fc.constantFrom('1', '100', '1000'),
    before: fc.constantFrom('1', '999999', '123456789012345678'),
    staffId: fc.constantFrom(w.adminId, '00000000-0000-0000-0000-000000000000'),
    action: fc.constantFrom('campaign.create', 'campaign.', 'staff.login'),
    from: fc.constantFrom('2026-01-01', '2026-06-30'),
    to: fc.constantFrom('2026-06-30', '2026-12-31'),
  };
  return endpoint({
    name: 'GET /api/audit-log',
    inputs: queries(fc.record(params, { requiredKeys: [] }), params),
    request: ({ q, raw }) => ({
      method: 'GET',
      path: `/api/audit-log${queryString(q, raw)}`,
      headers: { authorization: w.auth.admin },
      input: q,
      extraKeys: rawKeys(raw),
    }),
    invalid: ({ q, raw }) => {
      const p: Problems = [];
      const limit = single(p, q, 'limit');
      const before = single(p, q, 'before');
      if (limit !== undefined && (!/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > 1000)) {
        p.push(`limit ${show(limit, 30)}`);
      }
      if (before !== undefined && !/^\d{1,18}$/.test(before)) p.push('before');
      // An empty filter is no filter.
      const staffId = single(p, q, 'staffId') || undefined;
      if (staffId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(staffId)) {
        p.push('staffId');
      }
      const action = single(p, q, 'action') || undefined;
      if (action !== undefined && !/^[a-z0-9_.-]{1,100}$/.test(action)) p.push('action');
      const from = single(p, q, 'from') || undefined;
      const to = single(p, q, 'to') || undefined;
      if (from !== undefined && !realDate(from)) p.push('from');
      if (to !== undefined && !realDate(to)) p.push('to');
      if (from && to && realDate(from) && realDate(to) && from > to) p.push('from after to');
      // A raw fragment may name from or to with junk (the server reads it).
      if (/&(from|to)=./.test(raw)) p.push(`raw ${raw}`);
      return p;
    },
    fields: ['limit', 'before', 'staffId', 'action', 'from', 'to'],
    known: [KNOWN.auditLimitLenient],
  });
});

export const selfServiceTokens = fuzzCase(
  'GET /api/self-service/portal?token= and PUT /api/self-service/subscriptions/:id/delivery-address?token=',
  () => {
    const b64 = (v: string) => Buffer.from(v).toString('base64url');
    const token = fc.oneof(
      junkQueryValue,
      fc
        .tuple(
          fc.jsonValue({ maxDepth: 1 }),
          fc.string({
            unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-_'),
            minLength: 43,
            maxLength: 43,
          }),
        )
        .map(([claims, mac]) => `${b64(JSON.stringify(claims))}.${mac}`),
      fc.constant(`${b64(JSON.stringify({ s: 'x', e: 9_999_999_999 }))}.${'A'.repeat(43)}`),
    );
    const portal = queries(fc.record({ token: token.map((v) => (Array.isArray(v) ? v[0] : v)) }), { token });
    const address = bodies(addressArb as fc.Arbitrary<Record<string, unknown>>, {
      line1: fc.constant('1 Main St'),
      line2: fc.constant('Unit 2'),
      city: fc.constant('Sydney'),
      state: fc.constant('NSW'),
      postalCode: fc.constant('2000'),
      country: fc.constant('AU'),
    });
    return endpoint({
      name: 'self-service links (junk tokens)',
      inputs: fc.oneof(
        portal.map((p) => ({ kind: 'portal' as const, ...p })),
        fc
          .tuple(portal, fc.oneof(fc.uuid(), junkSegment), address)
          .map(([p, id, body]) => ({ kind: 'address' as const, ...p, id, body })),
      ),
      request: (i) =>
        i.kind === 'portal'
          ? {
              method: 'GET',
              path: `/api/self-service/portal${queryString(i.q, i.raw)}`,
              headers: {},
              input: i.q,
              extraKeys: rawKeys(i.raw),
            }
          : {
              ...jsonRequest(
                'PUT',
                `/api/self-service/subscriptions/${segment(i.id)}/delivery-address${queryString(i.q, i.raw)}`,
                i.body,
              ),
              extraKeys: [...rawKeys(i.raw), ...Object.keys(i.q)],
            },
      invalid: () => ['no valid link token'],
      fields: ['token', 'id', 'line1', 'line2', 'city', 'state', 'postalCode', 'country'],
      known: [KNOWN.selfServiceTokenArray],
    });
  },
);
