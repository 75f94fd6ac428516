import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { type OpenAPIObject } from '@nestjs/swagger';
import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiClient } from '@app/api-client';
import { todayIn } from '@app/reports';
import { accessRule, REFRESH_COOKIE_SCHEME, STAFF_BEARER_SCHEME, WEBSITE_KEY_SCHEME } from '@app/staff';
import {
  buildOpenApiDocument,
  previewOpenApiDocument,
  serializeOpenApiDocument,
} from '../apps/api/src/openapi/document';
import { describeDifference } from '../apps/api/src/openapi/generate';
import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { startTestApp, type TestContext } from './support/test-app';

/**
 * The typed API contract: the committed openapi.json is what the app generates; every route
 * Nest serves is in it with a success schema; every protected route names its scheme; and real
 * answers fit their schemas (an extra or missing field, or a wrong type, fails).
 */

const COMMITTED = readFileSync(join(__dirname, '..', 'openapi.json'), 'utf8');

/** Served, but deliberately not in the document (pages for people, a script, the Prometheus scrape). */
const UNDOCUMENTED: Record<string, string> = {
  'GET /checkout/complete': 'the HTML page Stripe Checkout returns the reader to',
  'GET /checkout/cancelled': 'the HTML page a cancelled checkout returns to',
  'POST /self-service/new-link': "the HTML form on a spent link's page",
  'GET /account': 'the reader account page (signed out: the sign-in form)',
  'POST /account/sign-in': 'the reader account: the form asking for a sign-in link',
  'GET /account/sign-in': 'the reader account: the emailed sign-in link (its Continue page)',
  'POST /account/sign-in/continue': "the reader account: the sign-in link page's Continue button",
  'GET /account/delivery-address': 'the reader account: the emailed delivery-address link (its Continue page)',
  'POST /account/delivery-address/continue': "the reader account: the delivery-address link page's Continue button",
  'POST /account/delivery-address': 'the reader account: the delivery address form',
  'GET /delivery-address': 'delivery-address links emailed before the account existed (redirect)',
  'POST /account/new-link': "the reader account: the form on a spent link's page",
  'POST /account/sign-out': 'the reader account: sign out',
  'POST /account/preferences': 'the reader account: the email choices form',
  'POST /account/extend': 'the reader account: "Extend by a year" (redirect to Checkout)',
  'POST /account/portal': "the reader account: the card button (redirect to Stripe's portal)",
  'POST /account/statement': 'the reader account: "Email me my giving statement"',
  'GET /account/receipts/{number}': "the reader account: one of the reader's receipts, to print or save",
  'GET /give': 'the donate page',
  'GET /give/{campaign}': 'the donate page of a named campaign',
  'POST /give': "the donate page's HTML form",
  'POST /give/{campaign}': "the donate page's HTML form, for a named campaign",
  'GET /subscribe': 'the subscribe page',
  'POST /subscribe': "the subscribe page's HTML form",
  'GET /assets/reader.css': "the reader pages' stylesheet",
  'GET /assets/reader.js': "the reader pages' script",
  'GET /embed/progress.js': "the embed's script file",
  'GET /metrics': 'the Prometheus scrape (ops, not API)',
  'GET /dev/mailbox': 'the development mailbox (a page for people; never with a live key)',
  'GET /dev/mailbox/{id}': 'one email in the development mailbox',
  'GET /dev/mailbox/{id}/html': "an email's HTML, framed by the development mailbox",
  'GET /dev/mailbox/{id}/attachments/{attachmentId}': "an email's attachment in the development mailbox",
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
type Method = (typeof METHODS)[number];
type Operation = {
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
};

function operations(doc: OpenAPIObject): Map<string, Operation> {
  const out = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<Method, Operation | undefined>)[method];
      if (op) out.set(`${method.toUpperCase()} ${path}`, op);
    }
  }
  return out;
}

interface NestRoute {
  route: string;
  access: ReturnType<typeof accessRule>;
  documented: boolean;
}

/** Every route Nest's router serves, from the controllers' metadata, as `GET /api/x/{id}`. */
function nestRoutes(t: TestContext): NestRoute[] {
  const reflector = new Reflector();
  const out: NestRoute[] = [];
  const seen = new Set<unknown>();
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller || seen.has(controller)) continue;
      seen.add(controller);
      const base = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[]].flat();
      const excludedController = Reflect.getMetadata('swagger/apiExcludeController', controller)?.[0] === true;
      const proto = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (paths === undefined || method === undefined) continue;
        const excluded = excludedController || Reflect.getMetadata('swagger/apiExcludeEndpoint', handler)?.disable;
        for (const b of base) {
          for (const p of [paths].flat()) {
            const path = `/${[b, p].filter(Boolean).join('/')}`.replace(/\/+/g, '/').replace(/\/$/, '') || '/';
            out.push({
              route: `${RequestMethod[method]} ${path.replace(/:(\w+)/g, '{$1}')}`,
              access: accessRule(reflector, handler, controller),
              documented: !excluded,
            });
          }
        }
      }
    }
  }
  return out;
}

/** An ajv validator over the document's schemas where an object may hold only the fields it declares. */
function contract(doc: OpenAPIObject) {
  const strict = JSON.parse(JSON.stringify(doc.components?.schemas ?? {}), (_key, value: unknown) => {
    const v = value as Record<string, unknown> | null;
    if (v && typeof v === 'object' && !Array.isArray(v) && v.properties && v.additionalProperties === undefined) {
      return { ...v, additionalProperties: false };
    }
    return value;
  }) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: 'openapi', components: { schemas: strict } });
  const ref = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema), (key, value: unknown) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `openapi${value}` : value,
    );
  const cache = new Map<string, ValidateFunction>();
  return {
    /** Throws, naming the route and every mismatch, unless `body` fits the documented answer. */
    check(route: string, status: number, body: unknown): void {
      const op = operations(doc).get(route);
      const schema = op?.responses[String(status)]?.content?.['application/json']?.schema;
      if (!schema) throw new Error(`${route} documents no application/json answer for ${status}`);
      const key = `${route} ${status}`;
      let validate = cache.get(key);
      if (!validate) cache.set(key, (validate = ajv.compile(ref(schema) as object)));
      if (!validate(body)) {
        throw new Error(
          `${route} ${status} does not fit its schema: ${ajv.errorsText(validate.errors, { separator: '\n  ' })}\n${JSON.stringify(body).slice(0, 2000)}`,
        );
      }
    },
  };
}

describe('the OpenAPI contract', () => {
  let t: TestContext;
  let doc: OpenAPIObject;

  beforeAll(async () => {
    t = await startTestApp();
    doc = buildOpenApiDocument(t.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the committed openapi.json is the document the app builds and serves, and the one `npm run openapi` writes', async () => {
    const generated = serializeOpenApiDocument(doc);
    expect({ difference: describeDifference(COMMITTED, generated) ?? 'none' }).toEqual({ difference: 'none' });
    // Without a database or a server (what `npm run openapi` does): the same document.
    expect(describeDifference(COMMITTED, serializeOpenApiDocument(await previewOpenApiDocument())) ?? 'none').toBe(
      'none',
    );
    const served = (await t.http.get('/docs/openapi.json').expect(200)).body as OpenAPIObject;
    expect(served).toEqual(JSON.parse(COMMITTED));
  });

  it('every route Nest serves is documented (or deliberately left out), and every documented route is served', () => {
    const routes = nestRoutes(t);
    expect(routes.length).toBeGreaterThan(50);
    const documented = new Set(operations(doc).keys());
    const missing = routes.filter((r) => r.documented && !documented.has(r.route)).map((r) => r.route);
    expect({ servedButNotInTheDocument: missing }).toEqual({ servedButNotInTheDocument: [] });
    const leftOut = routes.filter((r) => !r.documented).map((r) => r.route);
    expect(leftOut.sort()).toEqual(Object.keys(UNDOCUMENTED).sort());
    const fastify = t.app.getHttpAdapter().getInstance();
    const unserved = [...documented].filter((route) => {
      const [method, path] = route.split(' ');
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      return !fastify.hasRoute({ method: method as 'GET', url });
    });
    expect({ documentedButNotServed: unserved }).toEqual({ documentedButNotServed: [] });
  });

  it('every documented route has a success answer with a schema (JSON DTO, CSV, HTML, SVG, event stream) or is a redirect', () => {
    const lacking: string[] = [];
    for (const [route, op] of operations(doc)) {
      const success = Object.entries(op.responses).filter(([status]) => /^[23]\d\d$/.test(status));
      const described = success.some(
        ([status, r]) =>
          status.startsWith('3') ||
          status === '204' ||
          Object.values(r.content ?? {}).some((c) => c.schema && Object.keys(c.schema).length),
      );
      if (!described) {
        lacking.push(
          `${route}: no 2xx answer with a schema; add @ApiOkResponse({ type: SomeDto }) (or @ApiCreatedResponse, @ApiCsvResponse) and run \`npm run openapi\``,
        );
      }
      // Every declared error is the one error shape.
      for (const [status, r] of Object.entries(op.responses)) {
        if (!/^[45]\d\d$/.test(status)) continue;
        const json = r.content?.['application/json']?.schema as { $ref?: string } | undefined;
        if (json && json.$ref !== '#/components/schemas/ErrorResponse') {
          lacking.push(`${route}: ${status} is not an ErrorResponse`);
        }
      }
    }
    expect(lacking).toEqual([]);
  });

  it('every protected route names its security scheme, and no public route names one', () => {
    const byRoute = new Map(nestRoutes(t).map((r) => [r.route, r.access]));
    const wrong: string[] = [];
    for (const [route, op] of operations(doc)) {
      const access = byRoute.get(route) ?? (route === 'POST /api/stripe/webhook' ? 'public' : undefined);
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s)).sort();
      const expected =
        access === 'staff'
          ? [STAFF_BEARER_SCHEME]
          : access === 'website_key'
            ? [WEBSITE_KEY_SCHEME]
            : route === 'POST /api/auth/refresh'
              ? [REFRESH_COOKIE_SCHEME] // public by the guard: the session cookie is its credential
              : [];
      if (access === undefined || access === 'none' || JSON.stringify(schemes) !== JSON.stringify(expected)) {
        wrong.push(`${route}: access ${access}, security ${JSON.stringify(schemes)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(Object.keys(doc.components?.securitySchemes ?? {}).sort()).toEqual(
      [STAFF_BEARER_SCHEME, WEBSITE_KEY_SCHEME, REFRESH_COOKIE_SCHEME].sort(),
    );
  });

  it('real answers fit their schemas: progress, donations, phone donations, the audit log, reports, errors', async () => {
    const api = contract(doc);
    api.check('GET /health', 200, (await t.http.get('/health').expect(200)).body);

    const created = await t.http
      .post('/api/donations')
      .send({ amount: 2500, frequency: 'one_off', email: 'contract@example.com' })
      .expect(201);
    api.check('POST /api/donations', 201, created.body);
    const paid = await paidDonation(t, 4200, { email: 'contract.paid@example.com' });
    api.check('GET /api/donations/{id}', 200, (await t.http.get(`/api/donations/${paid.checkoutId}`).expect(200)).body);
    const progress = (await t.http.get('/api/campaigns/current/progress').expect(200)).body;
    api.check('GET /api/campaigns/{slug}/progress', 200, progress);

    const bad = await t.http.post('/api/donations').send({ amount: 'ten', frequency: 'one_off' }).expect(400);
    api.check('POST /api/donations', 400, bad.body);

    const phone = await signedIn(t, 'phone');
    const cash = await t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', 'contract-cash-1')
      .send({
        supporter: { name: 'Contract Caller', email: 'contract.caller@example.com' },
        amount: 3000,
        method: 'cash',
      })
      .expect(201);
    api.check('POST /api/phone-donations', 201, cash.body);
    const card = await t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', 'contract-card-1')
      .send({ supporter: { name: 'Card Caller', email: 'contract.card@example.com' }, amount: 3000, method: 'card' })
      .expect(201);
    api.check('POST /api/phone-donations', 201, card.body);
    expect([cash.body.status, card.body.status]).toEqual(['recorded', 'open']);

    const admin = await signedIn(t, 'admin');
    const audit = (await t.http.get('/api/audit-log').set('authorization', admin).expect(200)).body as unknown[];
    expect(audit.length).toBeGreaterThan(0);
    api.check('GET /api/audit-log', 200, audit);
    const record = await t.http.get(`/api/supporters/${cash.body.supporterId}`).set('authorization', admin).expect(200);
    api.check('GET /api/supporters/{id}', 200, record.body);

    const today = todayIn(t.config.REPORT_TIME_ZONE);
    const range = { from: today, to: today };
    const summary = await t.http
      .get('/api/reports/summary')
      .query({ ...range, interval: 'day' })
      .set('authorization', admin)
      .expect(200);
    expect(summary.body.totals.payments).toBeGreaterThanOrEqual(2);
    api.check('GET /api/reports/summary', 200, summary.body);
    const supporters = await t.http
      .get('/api/reports/supporters')
      .query({ ...range, interval: 'day' })
      .set('authorization', admin)
      .expect(200);
    expect(supporters.body.top.length).toBeGreaterThan(0);
    api.check('GET /api/reports/supporters', 200, supporters.body);
    const recurring = await t.http.get('/api/reports/recurring').query(range).set('authorization', admin).expect(200);
    api.check('GET /api/reports/recurring', 200, recurring.body);
    const lapsed = await t.http
      .get('/api/reports/lapsed-supporters')
      .query({ year: Number(today.slice(0, 4)) + 1 })
      .set('authorization', admin)
      .expect(200);
    expect(lapsed.body.length).toBeGreaterThan(0);
    api.check('GET /api/reports/lapsed-supporters', 200, lapsed.body);
    const csv = await t.http
      .get('/api/reports/summary.csv')
      .query({ ...range, interval: 'day' })
      .set('authorization', admin);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(Object.keys(operations(doc).get('GET /api/reports/summary.csv')!.responses['200'].content!)).toEqual([
      'text/csv',
    ]);
  });

  it('a DTO that lies about the shape fails the check', () => {
    const api = contract(doc);
    const progress = { campaign: 'x' };
    expect(() => api.check('GET /api/campaigns/{slug}/progress', 200, progress)).toThrow(/does not fit its schema/);
    expect(() => api.check('GET /health', 200, { status: 'ok', leaked: 1 })).toThrow(/additional properties/);
    expect(() => api.check('GET /health', 200, { status: 'ok' })).not.toThrow();
  });

  it('the generated typed client calls the API (paths, parameters and answers typed from openapi.json)', async () => {
    const api = createApiClient(t.baseUrl);
    const { data, error, response } = await api.GET('/api/campaigns/{slug}/progress', {
      params: { path: { slug: 'current' } },
    });
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    // Typed: `raised` and `target` are numbers, `currency` a string (a wrong name would not compile).
    const raised: number = data!.raised;
    const currency: string = data!.currency;
    expect(Number.isInteger(raised)).toBe(true);
    expect(currency).toMatch(/^[A-Z]{3}$/);

    const admin = await signedIn(t, 'admin');
    const today = todayIn(t.config.REPORT_TIME_ZONE);
    const summary = await api.GET('/api/reports/summary', {
      params: { query: { from: today, to: today, interval: 'day' } },
      headers: { authorization: admin },
    });
    expect(summary.response.status).toBe(200);
    const gross: number = summary.data!.totals.gross;
    expect(Number.isInteger(gross)).toBe(true);
    const refused = await api.GET('/api/reports/summary', {
      params: { query: { from: today, to: today, interval: 'day' } },
    });
    expect(refused.error?.code).toBe('UNAUTHORIZED');

    // @ts-expect-error a route the document does not have is a compile error (the client is really typed)
    await api.GET('/api/no-such-route').catch(() => undefined);
  });
});
