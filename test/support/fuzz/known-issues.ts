import type { FuzzRequest, Outcome } from './requests';
import { isObj } from './oracles';

// ---------------------------------------------------------------------------------------------
// Bugs this suite found outside validation (services, controllers): reported, fixed elsewhere
// ---------------------------------------------------------------------------------------------

export interface KnownIssue {
  id: string;
  matches: (r: FuzzRequest, o: Outcome, problem: string) => boolean;
}

export const serverError = (o: Outcome) => o.status >= 500;
/** A path or query that carries a NUL character (%00), which PostgreSQL text cannot hold. */
export const carriesNul = (r: FuzzRequest) => /%00/i.test(r.path);

export const KNOWN = {
  /** `GET /api/campaigns/%00/progress`: the slug reaches a PostgreSQL query unchecked → 500 (should be 404). */
  progressSlugNul: {
    id: 'progress-slug-nul-500',
    matches: (r: FuzzRequest, o: Outcome) => serverError(o) && carriesNul(r),
  },
  /** `PATCH /api/campaigns/%00` (and GET /api/campaigns/%00): the same, in CampaignsService.findBySlug → 500 (should be 404). */
  campaignSlugNul: {
    id: 'campaign-slug-nul-500',
    matches: (r: FuzzRequest, o: Outcome) => serverError(o) && carriesNul(r),
  },
  /** `GET /api/supporters?q=a%00b`: the search term reaches ILIKE unchecked → 500 (should be 400 field q). */
  supportersQNul: {
    id: 'supporters-q-nul-500',
    matches: (r: FuzzRequest, o: Outcome) => serverError(o) && carriesNul(r),
  },
  /** `GET /api/entitlements?email=a%40b.com%00`: the email reaches a query unchecked → 500 (should be 400 field email). */
  entitlementsEmailNul: {
    id: 'entitlements-email-nul-500',
    matches: (r: FuzzRequest, o: Outcome) => serverError(o) && carriesNul(r),
  },
  /**
   * `GET /api/entitlements?at=2500` or `at=junk&at=2026-01-01`: `new Date(at)` takes non-ISO text; `email=a@b&email=c`
   * is searched for as "a@b,c" → 200 (should be 400 naming at / email).
   */
  entitlementsLenient: {
    id: 'entitlements-query-lenient',
    matches: (_r: FuzzRequest, o: Outcome, problem: string) =>
      o.status === 200 && /\b(at|email)\b/.test(problem) && !/API key/.test(problem),
  },
  /** `GET /api/self-service/portal?token=a&token=b` (and the delivery-address PUT): an array reaches `token.split` → 500 (should be 401 LINK_INVALID). */
  selfServiceTokenArray: {
    id: 'self-service-token-array-500',
    matches: (r: FuzzRequest, o: Outcome) => serverError(o) && (r.path.match(/[?&]token=/g) ?? []).length > 1,
  },
  /** Two `POST /api/staff` with the same new email at once: check-then-insert, the loser's unique violation → 500 (should be 409 STAFF_EMAIL_TAKEN). */
  staffCreateRace: {
    id: 'staff-create-race-500',
    matches: (r: FuzzRequest, o: Outcome) =>
      serverError(o) &&
      r.path === '/api/staff' &&
      r.method === 'POST' &&
      isObj(r.input) &&
      typeof r.input.email === 'string' &&
      ['phone', 'finance', 'admin'].includes(r.input.role as string),
  },
  /** `GET /api/audit-log?limit=0x10` (or `1e3`, ` 10 `): `Number(limit)` takes non-decimal text → 200 (should be 400 field limit). */
  auditLimitLenient: {
    id: 'audit-log-limit-lenient',
    matches: (_r: FuzzRequest, o: Outcome, problem: string) =>
      o.status === 200 && /^accepted.*\blimit\b/.test(problem) && !/before|repeated|unknown/.test(problem),
  },
  /**
   * `content-type: application/x-www-form-urlencoded` bodies are parsed (Nest's default urlencoded parser is on):
   * `POST /api/subscriptions` with `tier=digital&billing=monthly&email=…&name=…` → 201, `POST /api/self-service/links`
   * with `email=…` → 202, a reversal with `reason=…` → 201, a sign-in → 401 (not 415). A plain HTML form on any site
   * (no CORS preflight) can drive the public JSON API. Should be 415.
   */
  formBodyAccepted: {
    id: 'form-urlencoded-body-accepted',
    matches: (r: FuzzRequest, o: Outcome) =>
      o.status < 300 && /x-www-form-urlencoded/.test(r.headers['content-type'] ?? ''),
  },
  /** A correctly signed webhook body that is not an event (`{}`, `null`, `{"id":"evt_x"}`, bad `created`, \u0000 or a lone surrogate in jsonb) → 500 (should be 400). */
  webhookSignedJunk500: {
    id: 'webhook-signed-malformed-event-500',
    matches: (_r: FuzzRequest, o: Outcome) => serverError(o),
  },
  /** A correctly signed body whose `id` or `type` is not a string (`{"id":5,"type":"x","created":1}`) is stored as an event → 200 (should be 400). */
  webhookSignedJunkStored: {
    id: 'webhook-signed-malformed-event-stored',
    matches: (_r: FuzzRequest, o: Outcome, problem: string) =>
      o.status === 200 && /\b(id|type|created)\b/.test(problem),
  },
};
