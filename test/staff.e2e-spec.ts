import { signedIn, STAFF_PASSWORD } from './support/staff';
import { startTestApp, TestContext } from './support/test-app';

type Who = 'anonymous' | 'phone' | 'finance' | 'admin';

/**
 * Who may call what, for every staff route. A route that needs a bearer token in the OpenAPI
 * document must appear here, so a new staff route cannot ship without a decision.
 */
const MATRIX: Record<string, Who[]> = {
  'GET /api/staff': ['admin'],
  'POST /api/staff': ['admin'],
  'PATCH /api/staff/{id}': ['admin'],
  'GET /api/audit-log': ['admin'],
  'PUT /api/admin/tiers/{code}/price': ['admin'],
  'POST /api/phone-donations': ['phone', 'admin'],
  'POST /api/ledger-entries/{id}/reversal': ['finance', 'admin'],
  'POST /api/ledger-entries/{id}/refund': ['finance', 'admin'],
  'GET /api/supporters': ['phone', 'finance', 'admin'],
  'GET /api/supporters/{id}': ['phone', 'finance', 'admin'],
  'POST /api/phone-subscriptions': ['phone', 'admin'],
  'GET /api/campaigns': ['finance', 'admin'],
  'GET /api/campaigns/{slug}': ['finance', 'admin'],
  'POST /api/campaigns': ['admin'],
  'PATCH /api/campaigns/{slug}': ['admin'],
  'GET /api/reports/summary': ['finance', 'admin'],
  'GET /api/reports/summary.csv': ['finance', 'admin'],
  'GET /api/reports/ledger.csv': ['finance', 'admin'],
  'GET /api/reports/recurring': ['finance', 'admin'],
  'GET /api/reports/recurring.csv': ['finance', 'admin'],
  'GET /api/reports/supporters': ['finance', 'admin'],
  'GET /api/reports/supporters.csv': ['finance', 'admin'],
  'GET /api/reports/top-supporters.csv': ['finance', 'admin'],
  'GET /api/reports/lapsed-supporters': ['finance', 'admin'],
  'GET /api/reports/lapsed-supporters.csv': ['finance', 'admin'],
  'GET /api/reports/print-mailing-list': ['finance', 'admin'],
  'GET /api/reports/print-mailing-list.csv': ['finance', 'admin'],
  'GET /api/reports/reconciliation': ['finance', 'admin'],
  'GET /api/reports/reconciliation.csv': ['finance', 'admin'],
};

describe('staff: sign-in, roles on every staff route, audit log', () => {
  let t: TestContext;
  const tokens: Partial<Record<Who, string>> = {};

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES: '3' });
    for (const role of ['phone', 'finance', 'admin'] as const) tokens[role] = await signedIn(t, role);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the matrix covers every route that needs staff sign-in', async () => {
    const spec = (await t.http.get('/docs/openapi.json').expect(200)).body;
    const secured: string[] = [];
    for (const [path, ops] of Object.entries<Record<string, { security?: unknown[] }>>(spec.paths)) {
      for (const [method, op] of Object.entries(ops)) if (op.security?.length) secured.push(`${method.toUpperCase()} ${path}`);
    }
    expect(secured.sort()).toEqual(Object.keys(MATRIX).sort());
  });

  const bodies: Record<string, () => { path: string; body?: unknown }> = {
    'GET /api/staff': () => ({ path: '/api/staff' }),
    'POST /api/staff': () => ({ path: '/api/staff', body: { email: `new.${Math.random().toString(36).slice(2)}@staff.test`, name: 'New Person', role: 'phone' } }),
    'PATCH /api/staff/{id}': () => ({ path: `/api/staff/${victimId}`, body: { role: 'phone' } }),
    'GET /api/audit-log': () => ({ path: '/api/audit-log' }),
    'PUT /api/admin/tiers/{code}/price': () => ({ path: '/api/admin/tiers/digital/price', body: { monthlyAmount: 500 } }),
    'POST /api/phone-donations': () => ({ path: '/api/phone-donations', body: { supporter: { name: 'Caller' }, amount: 1000, method: 'cash' } }),
    'POST /api/ledger-entries/{id}/reversal': () => ({ path: `/api/ledger-entries/${entryIds.shift()}/reversal`, body: { reason: 'entered in error' } }),
    // A cash entry is not refundable (409 for those allowed): the matrix is about who gets past the door.
    'POST /api/ledger-entries/{id}/refund': () => ({ path: `/api/ledger-entries/${entryIds[0]}/refund`, body: { reason: 'requested_by_customer' } }),
    'GET /api/supporters': () => ({ path: '/api/supporters?q=Seed' }),
    'GET /api/supporters/{id}': () => ({ path: `/api/supporters/${seedSupporter}` }),
    'GET /api/campaigns': () => ({ path: '/api/campaigns' }),
    'GET /api/campaigns/{slug}': () => ({ path: '/api/campaigns/current' }),
    'POST /api/campaigns': () => ({ path: '/api/campaigns', body: { slug: `matrix-${Math.random().toString(36).slice(2, 8)}`, title: 'Matrix', target: 100000 } }),
    'PATCH /api/campaigns/{slug}': () => ({ path: '/api/campaigns/fighting-fund', body: { title: 'Fighting fund' } }),
    'GET /api/reports/summary': () => ({ path: '/api/reports/summary?from=2026-01-01&to=2026-01-31&interval=week' }),
    'GET /api/reports/summary.csv': () => ({ path: '/api/reports/summary.csv?from=2026-01-01&to=2026-01-31&interval=week' }),
    'GET /api/reports/ledger.csv': () => ({ path: '/api/reports/ledger.csv?from=2026-01-01&to=2026-01-31' }),
    'GET /api/reports/recurring': () => ({ path: '/api/reports/recurring?from=2026-01-01&to=2026-03-31' }),
    'GET /api/reports/recurring.csv': () => ({ path: '/api/reports/recurring.csv?from=2026-01-01&to=2026-03-31' }),
    'GET /api/reports/supporters': () => ({ path: '/api/reports/supporters?from=2026-01-01&to=2026-03-31&interval=month' }),
    'GET /api/reports/supporters.csv': () => ({ path: '/api/reports/supporters.csv?from=2026-01-01&to=2026-03-31&interval=month' }),
    'GET /api/reports/top-supporters.csv': () => ({ path: '/api/reports/top-supporters.csv?from=2026-01-01&to=2026-03-31&interval=month' }),
    'GET /api/reports/lapsed-supporters': () => ({ path: '/api/reports/lapsed-supporters?year=2026' }),
    'GET /api/reports/lapsed-supporters.csv': () => ({ path: '/api/reports/lapsed-supporters.csv?year=2026' }),
    'GET /api/reports/print-mailing-list': () => ({ path: '/api/reports/print-mailing-list' }),
    'GET /api/reports/print-mailing-list.csv': () => ({ path: '/api/reports/print-mailing-list.csv' }),
    'GET /api/reports/reconciliation': () => ({ path: '/api/reports/reconciliation?from=2026-01-01&to=2026-01-31' }),
    'GET /api/reports/reconciliation.csv': () => ({ path: '/api/reports/reconciliation.csv?from=2026-01-01&to=2026-01-31' }),
    'POST /api/phone-subscriptions': () => ({ path: '/api/phone-subscriptions', body: { tier: 'digital', billing: 'monthly', email: `sub.${Math.random().toString(36).slice(2)}@example.com`, name: 'Phone Subscriber' } }),
  };
  let seedSupporter = '';
  const entryIds: string[] = [];
  let victimId = '';

  for (const [route, allowed] of Object.entries(MATRIX)) {
    for (const who of ['anonymous', 'phone', 'finance', 'admin'] as Who[]) {
      const expected = allowed.includes(who) ? 'allowed' : who === 'anonymous' ? 401 : 403;
      it(`${route} as ${who}: ${expected}`, async () => {
        while (entryIds.length < 4) {
          const r = await t.http.post('/api/phone-donations').set('authorization', tokens.admin!).set('idempotency-key', `seed-${Math.random().toString(36).slice(2)}`).send({ supporter: { name: 'Seed' }, amount: 1000, method: 'cash' }).expect(201);
          entryIds.push(r.body.id);
          seedSupporter = r.body.supporterId;
        }
        if (!victimId) victimId = (await t.http.post('/api/staff').set('authorization', tokens.admin!).send({ email: 'victim@staff.test', name: 'Victim', role: 'finance' }).expect(201)).body.id;
        const { path, body } = bodies[route]();
        const method = route.split(' ')[0].toLowerCase() as 'get' | 'post' | 'patch' | 'put';
        let req = t.http[method](path).set('idempotency-key', `matrix-${Math.random().toString(36).slice(2)}`);
        if (who !== 'anonymous') req = req.set('authorization', tokens[who]!);
        const res = await (body === undefined ? req : req.send(body as object));
        if (expected === 'allowed') {
          expect([401, 403]).not.toContain(res.status);
          expect(res.status).toBeLessThan(route.includes('refund') ? 500 : 300);
        }
        else expect(res.status).toBe(expected);
      });
    }
  }

  it('a forged or expired token is refused; a disabled account loses access at once', async () => {
    await t.http.get('/api/staff').set('authorization', 'Bearer not.a.token').expect(401);
    const email = 'leaver@staff.test';
    const created = (await t.http.post('/api/staff').set('authorization', tokens.admin!).send({ email, name: 'Leaver', role: 'admin' }).expect(201)).body;
    expect(created.temporaryPassword).toBeTruthy();
    const login = (await t.http.post('/api/auth/login').send({ email, password: created.temporaryPassword }).expect(200)).body;
    const token = `Bearer ${login.accessToken}`;
    await t.http.get('/api/staff').set('authorization', token).expect(200);
    await t.http.patch(`/api/staff/${created.id}`).set('authorization', tokens.admin!).send({ disabled: true }).expect(200);
    await t.http.get('/api/staff').set('authorization', token).expect(401);
    await t.http.post('/api/auth/login').send({ email, password: created.temporaryPassword }).expect(401);
    const [audit] = await t.query<{ before: { disabled: boolean }; after: { disabled: boolean }; actor: string }>(`SELECT * FROM audit_log WHERE action = 'staff.update' AND entity_id = $1`, [created.id]);
    expect(audit).toMatchObject({ before: { disabled: false }, after: { disabled: true } });
  });

  it('repeated wrong passwords are throttled with 429 and Retry-After, even for the right password then', async () => {
    const email = 'target@staff.test';
    await signedIn(t, 'finance', email);
    for (let i = 0; i < 3; i++) {
      const wrong = await t.http.post('/api/auth/login').send({ email, password: `wrong password ${i}!` }).expect(401);
      expect(wrong.body).toMatchObject({ code: 'UNAUTHORIZED' });
    }
    const locked = await t.http.post('/api/auth/login').send({ email, password: STAFF_PASSWORD }).expect(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');
    const failures = await t.query(`SELECT 1 FROM audit_log WHERE action = 'auth.login_failed' AND actor = $1`, [email]);
    expect(failures).toHaveLength(3);
  });

  it('sign-ins and staff writes are in the audit log, readable by admins', async () => {
    const log = (await t.http.get('/api/audit-log').query({ limit: 500 }).set('authorization', tokens.admin!).expect(200)).body as Array<{ action: string }>;
    const actions = new Set(log.map((e) => e.action));
    for (const a of ['auth.login', 'auth.login_failed', 'staff.create', 'staff.update']) expect(actions.has(a)).toBe(true);
    await expect(t.query(`UPDATE audit_log SET actor = 'x'`)).rejects.toThrow(/append-only/);
  });

  it('bad input names the field', async () => {
    const res = await t.http.post('/api/staff').set('authorization', tokens.admin!).send({ email: 'x@staff.test', name: 'X', role: 'owner' }).expect(400);
    expect(res.body.field).toBe('role');
    const login = await t.http.post('/api/auth/login').send({ email: 'nope' }).expect(400);
    expect(['email', 'password']).toContain(login.body.field);
  });
});
