import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { StaffService } from '@app/staff';
import { resetStaffPassword } from '../libs/staff/src/cli/reset-password.command';
import { signedIn, STAFF_PASSWORD } from './support/staff';
import { startTestApp, type TestContext } from './support/test-app';

type Who = 'anonymous' | 'phone' | 'finance' | 'admin';

/**
 * Who may call what, for every staff route. A route that needs a bearer token in the OpenAPI
 * document must appear here, so a new staff route cannot ship without a decision.
 */
const MATRIX: Record<string, Who[]> = {
  'GET /api/staff': ['admin'],
  'POST /api/staff': ['admin'],
  'PATCH /api/staff/{id}': ['admin'],
  'POST /api/staff/{id}/password-reset': ['admin'],
  'POST /api/auth/password': ['phone', 'finance', 'admin'],
  'GET /api/audit-log': ['admin'],
  'PUT /api/admin/tiers/{code}/price': ['admin'],
  'POST /api/phone-donations': ['phone', 'admin'],
  'GET /api/phone-donations': ['phone', 'finance', 'admin'],
  'GET /api/phone-donations/{id}': ['phone', 'finance', 'admin'],
  'POST /api/phone-donations/{id}/card-link': ['phone', 'admin'],
  'GET /api/phone-subscriptions/{id}': ['phone', 'finance', 'admin'],
  'POST /api/phone-subscriptions/{id}/card-link': ['phone', 'admin'],
  'POST /api/ledger-entries/{id}/reversal': ['finance', 'admin'],
  'POST /api/ledger-entries/{id}/refund': ['finance', 'admin'],
  'GET /api/supporters': ['phone', 'finance', 'admin'],
  'GET /api/supporters/{id}': ['phone', 'finance', 'admin'],
  'GET /api/supporters/{id}/activity': ['phone', 'finance', 'admin'],
  'GET /api/supporters/{id}/export': ['finance', 'admin'],
  'POST /api/supporters/{id}/erasure': ['admin'],
  'PATCH /api/supporters/{id}': ['phone', 'finance', 'admin'],
  'GET /api/supporters/{id}/duplicates': ['phone', 'finance', 'admin'],
  'POST /api/supporters/{id}/merge': ['finance', 'admin'],
  'POST /api/phone-subscriptions': ['phone', 'admin'],
  'GET /api/campaigns': ['phone', 'finance', 'admin'],
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
  'POST /api/print-runs': ['finance', 'admin'],
  'GET /api/print-runs': ['finance', 'admin'],
  'GET /api/print-runs/{id}/recipients.csv': ['finance', 'admin'],
  'GET /api/reports/reconciliation': ['finance', 'admin'],
  'GET /api/reports/reconciliation.csv': ['finance', 'admin'],
  'POST /api/ledger-entries/{id}/void': ['phone', 'admin'],
  'POST /api/deposits': ['finance', 'admin'],
  'GET /api/deposits': ['finance', 'admin'],
  'GET /api/deposits/{id}': ['finance', 'admin'],
  'POST /api/deposits/{id}/entries': ['finance', 'admin'],
  'DELETE /api/deposits/{id}/entries/{entryId}': ['finance', 'admin'],
  'POST /api/deposits/{id}/close': ['finance', 'admin'],
  'GET /api/admin/webhooks': ['admin'],
  'POST /api/admin/webhooks/{id}/replay': ['admin'],
  'GET /api/reports/deposits': ['finance', 'admin'],
  'GET /api/reports/deposits.csv': ['finance', 'admin'],
  'GET /api/reports/phone-reconciliation': ['finance', 'admin'],
  'GET /api/reports/phone-reconciliation.csv': ['finance', 'admin'],
  'POST /api/offline-subscriptions': ['phone', 'finance', 'admin'],
  'POST /api/complimentary-subscriptions': ['admin'],
  'POST /api/complimentary-subscriptions/{id}/end': ['admin'],
  'GET /api/reports/renewals-due': ['finance', 'admin'],
  'GET /api/reports/renewals-due.csv': ['finance', 'admin'],
  'POST /api/statements/bulk': ['finance', 'admin'],
  'GET /api/statements/{supporterId}/{year}.pdf': ['finance', 'admin'],
};

describe('staff: sign-in, roles on every staff route, audit log', () => {
  let t: TestContext;

  /** A sign-in from another loopback address (127.0.0.0/8 all reach the service on 127.0.0.1): another client address. */
  const loginFrom = (localAddress: string, body: object) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve, reject) => {
      const url = new URL('/api/auth/login', t.baseUrl);
      const req = httpRequest(
        url,
        { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } },
        (res) => {
          let data = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (data += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
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
    for (const [path, ops] of Object.entries<Record<string, { security?: Record<string, unknown>[] }>>(spec.paths)) {
      // Staff sign-in is the bearer scheme (the website key is another).
      for (const [method, op] of Object.entries(ops)) {
        if (op.security?.some((s) => 'bearer' in s)) secured.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(secured.sort()).toEqual(Object.keys(MATRIX).sort());
  });

  const bodies: Record<string, () => { path: string; body?: unknown }> = {
    'GET /api/staff': () => ({ path: '/api/staff' }),
    'POST /api/staff': () => ({
      path: '/api/staff',
      body: { email: `new.${Math.random().toString(36).slice(2)}@staff.test`, name: 'New Person', role: 'phone' },
    }),
    'PATCH /api/staff/{id}': () => ({ path: `/api/staff/${victimId}`, body: { role: 'phone' } }),
    'POST /api/staff/{id}/password-reset': () => ({ path: `/api/staff/${victimId}/password-reset`, body: {} }),
    // An empty body (400 naming the field) gets past the door without changing the caller's password.
    'POST /api/auth/password': () => ({ path: '/api/auth/password', body: {} }),
    'GET /api/audit-log': () => ({ path: '/api/audit-log' }),
    'PUT /api/admin/tiers/{code}/price': () => ({
      path: '/api/admin/tiers/digital/price',
      body: { monthlyAmount: 500 },
    }),
    'POST /api/phone-donations': () => ({
      path: '/api/phone-donations',
      body: { supporter: { name: 'Caller' }, amount: 1000, method: 'cash' },
    }),
    'GET /api/phone-donations': () => ({ path: '/api/phone-donations?status=open' }),
    'GET /api/phone-donations/{id}': () => ({ path: `/api/phone-donations/${cardLinks.donation}` }),
    'POST /api/phone-donations/{id}/card-link': () => ({
      path: `/api/phone-donations/${cardLinks.donation}/card-link`,
    }),
    'GET /api/phone-subscriptions/{id}': () => ({ path: `/api/phone-subscriptions/${cardLinks.subscription}` }),
    'POST /api/phone-subscriptions/{id}/card-link': () => ({
      path: `/api/phone-subscriptions/${cardLinks.subscription}/card-link`,
    }),
    'POST /api/ledger-entries/{id}/reversal': () => ({
      path: `/api/ledger-entries/${entryIds.shift()}/reversal`,
      body: { reason: 'entered in error' },
    }),
    // A cash entry is not refundable (409 for those allowed): the matrix is about who gets past the door.
    'POST /api/ledger-entries/{id}/refund': () => ({
      path: `/api/ledger-entries/${entryIds[0]}/refund`,
      body: { reason: 'requested_by_customer' },
    }),
    'GET /api/supporters': () => ({ path: '/api/supporters?q=Seed' }),
    'GET /api/supporters/{id}': () => ({ path: `/api/supporters/${seedSupporter}` }),
    'GET /api/supporters/{id}/activity': () => ({ path: `/api/supporters/${seedSupporter}/activity` }),
    'GET /api/supporters/{id}/export': () => ({ path: `/api/supporters/${seedSupporter}/export` }),
    // No reason (400 for those allowed): past the door without erasing the supporter the other routes use.
    'POST /api/supporters/{id}/erasure': () => ({ path: `/api/supporters/${seedSupporter}/erasure`, body: {} }),
    'PATCH /api/supporters/{id}': () => ({ path: `/api/supporters/${seedSupporter}`, body: { notes: 'matrix' } }),
    'GET /api/supporters/{id}/duplicates': () => ({ path: `/api/supporters/${seedSupporter}/duplicates` }),
    // The same pair each time: merged once, then a repeat (200, merged: false).
    'POST /api/supporters/{id}/merge': () => ({
      path: `/api/supporters/${mergePair[0]}/merge`,
      body: { from: mergePair[1] },
    }),
    'GET /api/campaigns': () => ({ path: '/api/campaigns' }),
    'GET /api/campaigns/{slug}': () => ({ path: '/api/campaigns/current' }),
    'POST /api/campaigns': () => ({
      path: '/api/campaigns',
      body: { slug: `matrix-${Math.random().toString(36).slice(2, 8)}`, title: 'Matrix', target: 100000 },
    }),
    'PATCH /api/campaigns/{slug}': () => ({ path: '/api/campaigns/fighting-fund', body: { title: 'Fighting fund' } }),
    'GET /api/reports/summary': () => ({ path: '/api/reports/summary?from=2026-01-01&to=2026-01-31&interval=week' }),
    'GET /api/reports/summary.csv': () => ({
      path: '/api/reports/summary.csv?from=2026-01-01&to=2026-01-31&interval=week',
    }),
    'GET /api/reports/ledger.csv': () => ({ path: '/api/reports/ledger.csv?from=2026-01-01&to=2026-01-31' }),
    'GET /api/reports/recurring': () => ({ path: '/api/reports/recurring?from=2026-01-01&to=2026-03-31' }),
    'GET /api/reports/recurring.csv': () => ({ path: '/api/reports/recurring.csv?from=2026-01-01&to=2026-03-31' }),
    'GET /api/reports/supporters': () => ({
      path: '/api/reports/supporters?from=2026-01-01&to=2026-03-31&interval=month',
    }),
    'GET /api/reports/supporters.csv': () => ({
      path: '/api/reports/supporters.csv?from=2026-01-01&to=2026-03-31&interval=month',
    }),
    'GET /api/reports/top-supporters.csv': () => ({
      path: '/api/reports/top-supporters.csv?from=2026-01-01&to=2026-03-31&interval=month',
    }),
    'GET /api/reports/lapsed-supporters': () => ({ path: '/api/reports/lapsed-supporters?year=2026' }),
    'GET /api/reports/lapsed-supporters.csv': () => ({ path: '/api/reports/lapsed-supporters.csv?year=2026' }),
    'GET /api/reports/print-mailing-list': () => ({ path: '/api/reports/print-mailing-list' }),
    'GET /api/reports/print-mailing-list.csv': () => ({ path: '/api/reports/print-mailing-list.csv' }),
    // An empty body (400 for those allowed): past the door without recording a run.
    'POST /api/print-runs': () => ({ path: '/api/print-runs', body: {} }),
    'GET /api/print-runs': () => ({ path: '/api/print-runs' }),
    // A run that does not exist (404 for those allowed).
    'GET /api/print-runs/{id}/recipients.csv': () => ({
      path: '/api/print-runs/00000000-0000-0000-0000-000000000000/recipients.csv',
    }),
    'GET /api/reports/reconciliation': () => ({ path: '/api/reports/reconciliation?from=2026-01-01&to=2026-01-31' }),
    'GET /api/reports/reconciliation.csv': () => ({
      path: '/api/reports/reconciliation.csv?from=2026-01-01&to=2026-01-31',
    }),
    // An empty body (400 for those allowed): past the door without voiding the entries the other routes use.
    'POST /api/ledger-entries/{id}/void': () => ({ path: `/api/ledger-entries/${entryIds[0]}/void`, body: {} }),
    'POST /api/deposits': () => ({ path: '/api/deposits', body: {} }),
    'GET /api/deposits': () => ({ path: '/api/deposits' }),
    // A deposit that does not exist (404 for those allowed): the matrix is about who gets past the door.
    'GET /api/deposits/{id}': () => ({ path: '/api/deposits/999999999' }),
    'POST /api/deposits/{id}/entries': () => ({ path: '/api/deposits/999999999/entries', body: { entryIds: [] } }),
    'DELETE /api/deposits/{id}/entries/{entryId}': () => ({ path: `/api/deposits/999999999/entries/${entryIds[0]}` }),
    'POST /api/deposits/{id}/close': () => ({ path: '/api/deposits/999999999/close', body: {} }),
    'GET /api/reports/deposits': () => ({ path: '/api/reports/deposits?from=2026-01-01&to=2026-01-31' }),
    'GET /api/reports/deposits.csv': () => ({ path: '/api/reports/deposits.csv?from=2026-01-01&to=2026-01-31' }),
    'GET /api/reports/phone-reconciliation': () => ({
      path: '/api/reports/phone-reconciliation?from=2026-01-01&to=2026-01-31',
    }),
    'GET /api/reports/phone-reconciliation.csv': () => ({
      path: '/api/reports/phone-reconciliation.csv?from=2026-01-01&to=2026-01-31',
    }),
    'POST /api/offline-subscriptions': () => ({
      path: '/api/offline-subscriptions',
      body: { supporter: { name: `Offline ${Math.random().toString(36).slice(2)}` }, tier: 'digital', method: 'cash' },
    }),
    'POST /api/complimentary-subscriptions': () => ({
      path: '/api/complimentary-subscriptions',
      body: {
        supporter: { name: `Comp ${Math.random().toString(36).slice(2)}` },
        tier: 'digital',
        reason: 'contributor',
      },
    }),
    // A subscription that does not exist (404 for those allowed): the matrix is about who gets past the door.
    'POST /api/complimentary-subscriptions/{id}/end': () => ({
      path: '/api/complimentary-subscriptions/00000000-0000-4000-8000-000000000000/end',
      body: { reason: 'contributor left' },
    }),
    'GET /api/reports/renewals-due': () => ({ path: '/api/reports/renewals-due' }),
    'GET /api/admin/webhooks': () => ({ path: '/api/admin/webhooks' }),
    // An event that is not there (404 for those allowed): the matrix is about who gets past the door.
    'POST /api/admin/webhooks/{id}/replay': () => ({ path: '/api/admin/webhooks/evt_matrix_missing/replay', body: {} }),
    'GET /api/reports/renewals-due.csv': () => ({ path: '/api/reports/renewals-due.csv' }),
    // A year long over, with no givers: nothing is sent.
    'POST /api/statements/bulk': () => ({ path: '/api/statements/bulk', body: { year: 2001 } }),
    'GET /api/statements/{supporterId}/{year}.pdf': () => ({ path: `/api/statements/${seedSupporter}/2026.pdf` }),
    'POST /api/phone-subscriptions': () => ({
      path: '/api/phone-subscriptions',
      body: {
        tier: 'digital',
        billing: 'monthly',
        email: `sub.${Math.random().toString(36).slice(2)}@example.com`,
        name: 'Phone Subscriber',
      },
    }),
  };
  let seedSupporter = '';
  const mergePair: string[] = [];
  const entryIds: string[] = [];
  let victimId = '';
  /** Open card links (a donation's and a subscription's) to look at and send again. */
  const cardLinks = { donation: '', subscription: '' };

  for (const [route, allowed] of Object.entries(MATRIX)) {
    for (const who of ['anonymous', 'phone', 'finance', 'admin'] as Who[]) {
      const expected = allowed.includes(who) ? 'allowed' : who === 'anonymous' ? 401 : 403;
      it(`${route} as ${who}: ${expected}`, async () => {
        while (entryIds.length < 4) {
          const r = await t.http
            .post('/api/phone-donations')
            .set('authorization', tokens.admin!)
            .set('idempotency-key', `seed-${Math.random().toString(36).slice(2)}`)
            .send({ supporter: { name: 'Seed' }, amount: 1000, method: 'cash' })
            .expect(201);
          entryIds.push(r.body.id);
          seedSupporter = r.body.supporterId;
        }
        if (!mergePair.length) {
          const rows = await t.query<{ id: string }>(
            `INSERT INTO supporters (name) VALUES ('Matrix Survivor'), ('Matrix Duplicate') RETURNING id`,
          );
          mergePair.push(...rows.map((r) => r.id));
        }
        if (!cardLinks.donation) {
          cardLinks.donation = (
            await t.http
              .post('/api/phone-donations')
              .set('authorization', tokens.admin!)
              .set('idempotency-key', `seed-card-${Math.random().toString(36).slice(2)}`)
              .send({ supporter: { name: 'Card Seed', email: 'card.seed@example.com' }, amount: 1000, method: 'card' })
              .expect(201)
          ).body.id;
          cardLinks.subscription = (
            await t.http
              .post('/api/phone-subscriptions')
              .set('authorization', tokens.admin!)
              .send({ tier: 'digital', billing: 'monthly', email: 'card.seed.sub@example.com', name: 'Card Seed' })
              .expect(201)
          ).body.id;
        }
        if (!victimId) {
          victimId = (
            await t.http
              .post('/api/staff')
              .set('authorization', tokens.admin!)
              .send({ email: 'victim@staff.test', name: 'Victim', role: 'finance' })
              .expect(201)
          ).body.id;
        }
        const { path, body } = bodies[route]();
        const method = route.split(' ')[0].toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
        let req = t.http[method](path).set('idempotency-key', `matrix-${Math.random().toString(36).slice(2)}`);
        if (who !== 'anonymous') req = req.set('authorization', tokens[who]!);
        const res = await (body === undefined ? req : req.send(body as object));
        if (expected === 'allowed') {
          expect([401, 403]).not.toContain(res.status);
          expect(res.status).toBeLessThan(
            route.includes('refund') ||
              route.includes('auth/password') ||
              route.includes('erasure') ||
              route.includes('/void') ||
              route.includes('/deposits/{id}') ||
              route.includes('/end') ||
              route.includes('/replay') ||
              route.includes('/print-runs')
              ? 500
              : 300,
          );
        } else expect(res.status).toBe(expected);
      });
    }
  }

  it('a forged or expired token is refused; a disabled account loses access at once', async () => {
    await t.http.get('/api/staff').set('authorization', 'Bearer not.a.token').expect(401);
    const email = 'leaver@staff.test';
    const created = (
      await t.http
        .post('/api/staff')
        .set('authorization', tokens.admin!)
        .send({ email, name: 'Leaver', role: 'admin' })
        .expect(201)
    ).body;
    expect(created.temporaryPassword).toBeTruthy();
    const temporary = (
      await t.http.post('/api/auth/login').send({ email, password: created.temporaryPassword }).expect(200)
    ).body;
    const login = (
      await t.http
        .post('/api/auth/password')
        .set('authorization', `Bearer ${temporary.accessToken}`)
        .send({ currentPassword: created.temporaryPassword, newPassword: 'the leaver chose this' })
        .expect(200)
    ).body;
    const token = `Bearer ${login.accessToken}`;
    await t.http.get('/api/staff').set('authorization', token).expect(200);
    await t.http
      .patch(`/api/staff/${created.id}`)
      .set('authorization', tokens.admin!)
      .send({ disabled: true })
      .expect(200);
    await t.http.get('/api/staff').set('authorization', token).expect(401);
    await t.http.post('/api/auth/login').send({ email, password: 'the leaver chose this' }).expect(401);
    // enabled again: the tokens from before the disable stay refused; a new sign-in works
    await t.http
      .patch(`/api/staff/${created.id}`)
      .set('authorization', tokens.admin!)
      .send({ disabled: false })
      .expect(200);
    await t.http.get('/api/staff').set('authorization', token).expect(401);
    const again = (await t.http.post('/api/auth/login').send({ email, password: 'the leaver chose this' }).expect(200))
      .body;
    await t.http.get('/api/staff').set('authorization', `Bearer ${again.accessToken}`).expect(200);
    const [audit] = await t.query<{ before: { disabled: boolean }; after: { disabled: boolean }; actor: string }>(
      `SELECT * FROM audit_log WHERE action = 'staff.update' AND entity_id = $1 ORDER BY id`,
      [created.id],
    );
    expect(audit).toMatchObject({ before: { disabled: false }, after: { disabled: true } });
  });

  it('repeated wrong passwords are throttled with 429 and Retry-After, even for the right password then', async () => {
    const email = 'target@staff.test';
    await signedIn(t, 'finance', email);
    for (let i = 0; i < 3; i++) {
      const wrong = await t.http
        .post('/api/auth/login')
        .send({ email, password: `wrong password ${i}!` })
        .expect(401);
      expect(wrong.body).toMatchObject({ code: 'UNAUTHORIZED' });
    }
    const locked = await t.http.post('/api/auth/login').send({ email, password: STAFF_PASSWORD }).expect(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect(locked.body.code).toBe('TOO_MANY_ATTEMPTS');
    const failures = await t.query(`SELECT 1 FROM audit_log WHERE action = 'auth.login_failed' AND actor = $1`, [
      email,
    ]);
    expect(failures).toHaveLength(3);
  });

  it('a stranger failing an account cannot lock its owner out: the right password from another, clean address gets in', async () => {
    const email = 'locked.out@staff.test';
    await signedIn(t, 'phone', email);
    for (let i = 0; i < 3; i++) {
      await t.http
        .post('/api/auth/login')
        .send({ email, password: `attacker guess ${i}!` })
        .expect(401);
    }
    // the attacker's address (127.0.0.1) is refused, even with the right password
    expect((await t.http.post('/api/auth/login').send({ email, password: STAFF_PASSWORD })).status).toBe(429);
    // the owner, from another address that has not been failing, signs in
    const owner = await loginFrom('127.0.0.2', { email, password: STAFF_PASSWORD });
    expect(owner.status).toBe(200);
    expect(JSON.parse(owner.body).accessToken).toBeTruthy();
    // a wrong password from that address makes it a failing one, refused while the lock lasts
    expect((await loginFrom('127.0.0.3', { email, password: 'not the password!' })).status).toBe(401);
    const refused = await loginFrom('127.0.0.3', { email, password: STAFF_PASSWORD });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it("an invited account's temporary password must be changed at first sign-in; its token allows only that", async () => {
    const email = 'newcomer@staff.test';
    const created = (
      await t.http
        .post('/api/staff')
        .set('authorization', tokens.admin!)
        .send({ email, name: 'Newcomer', role: 'finance' })
        .expect(201)
    ).body;
    expect(created.passwordChangeRequired).toBe(true);
    const first = (
      await t.http.post('/api/auth/login').send({ email, password: created.temporaryPassword }).expect(200)
    ).body;
    expect(first).toMatchObject({ passwordChangeRequired: true, expiresIn: expect.any(Number) });
    const restricted = `Bearer ${first.accessToken}`;
    for (const path of ['/api/campaigns', '/api/reports/summary?from=2026-01-01&to=2026-01-31&interval=week']) {
      const res = await t.http.get(path).set('authorization', restricted).expect(403);
      expect(res.body).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    }
    const change = (body: object, token = restricted) =>
      t.http.post('/api/auth/password').set('authorization', token).send(body);
    expect(
      (await change({ currentPassword: 'not the temporary one', newPassword: 'a brand new passphrase' }).expect(400))
        .body,
    ).toMatchObject({ code: 'CURRENT_PASSWORD_WRONG', field: 'currentPassword' });
    expect(
      (await change({ currentPassword: created.temporaryPassword, newPassword: 'short' }).expect(400)).body.field,
    ).toBe('newPassword');
    expect(
      (await change({ currentPassword: created.temporaryPassword, newPassword: created.temporaryPassword }).expect(400))
        .body.field,
    ).toBe('newPassword');
    expect((await change({ newPassword: 'a brand new passphrase' }).expect(400)).body.field).toBe('currentPassword');
    const changed = (
      await change({ currentPassword: created.temporaryPassword, newPassword: 'a brand new passphrase' }).expect(200)
    ).body;
    expect(changed.passwordChangeRequired).toBe(false);
    await t.http.get('/api/campaigns').set('authorization', `Bearer ${changed.accessToken}`).expect(200);
    // the restricted token was issued before the change: refused
    await t.http.get('/api/campaigns').set('authorization', restricted).expect(401);
    await change({ currentPassword: 'a brand new passphrase', newPassword: 'yet another passphrase' }).expect(401);
    expect((await loginFrom('127.0.1.1', { email, password: created.temporaryPassword })).status).toBe(401);
    const later = (await t.http.post('/api/auth/login').send({ email, password: 'a brand new passphrase' }).expect(200))
      .body;
    expect(later.passwordChangeRequired).toBe(false);
    const listed = (await t.http.get('/api/staff').set('authorization', tokens.admin!).expect(200)).body as Array<{
      id: string;
      passwordChangeRequired: boolean;
    }>;
    expect(listed.find((m) => m.id === created.id)?.passwordChangeRequired).toBe(false);
    const audit = await t.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = $1 AND action LIKE '%password%' ORDER BY id`,
      [created.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['auth.password_change_failed', 'staff.password_change']);
  });

  it('POST /api/auth/password changes your own password: every token issued before is refused, the new one works', async () => {
    const email = 'changer@staff.test';
    const one = await signedIn(t, 'phone', email);
    const two = `Bearer ${(await t.http.post('/api/auth/login').send({ email, password: STAFF_PASSWORD }).expect(200)).body.accessToken}`;
    await t.http.get('/api/supporters?q=Seed').set('authorization', one).expect(200);
    const changed = (
      await t.http
        .post('/api/auth/password')
        .set('authorization', one)
        .send({ currentPassword: STAFF_PASSWORD, newPassword: 'my own new passphrase' })
        .expect(200)
    ).body;
    expect(changed.passwordChangeRequired).toBe(false);
    await t.http.get('/api/supporters?q=Seed').set('authorization', one).expect(401);
    await t.http.get('/api/supporters?q=Seed').set('authorization', two).expect(401);
    await t.http.get('/api/supporters?q=Seed').set('authorization', `Bearer ${changed.accessToken}`).expect(200);
    expect((await loginFrom('127.0.1.2', { email, password: STAFF_PASSWORD })).status).toBe(401);
    await t.http.post('/api/auth/login').send({ email, password: 'my own new passphrase' }).expect(200);
  });

  it('an administrator resets a password: a new temporary one, once; the old password and every token refused; audited', async () => {
    const email = 'forgetful@staff.test';
    const before = await signedIn(t, 'finance', email);
    const [{ id }] = await t.query<{ id: string }>(`SELECT id FROM staff WHERE email = $1`, [email]);
    const reset = (await t.http.post(`/api/staff/${id}/password-reset`).set('authorization', tokens.admin!).expect(200))
      .body;
    expect(reset).toMatchObject({ id, email, passwordChangeRequired: true, temporaryPassword: expect.any(String) });
    expect(reset.temporaryPassword.length).toBeGreaterThanOrEqual(12);
    await t.http.get('/api/campaigns').set('authorization', before).expect(401);
    expect((await loginFrom('127.0.1.3', { email, password: STAFF_PASSWORD })).status).toBe(401);
    const temporary = (
      await t.http.post('/api/auth/login').send({ email, password: reset.temporaryPassword }).expect(200)
    ).body;
    expect(temporary.passwordChangeRequired).toBe(true);
    expect(
      (await t.http.get('/api/campaigns').set('authorization', `Bearer ${temporary.accessToken}`).expect(403)).body
        .code,
    ).toBe('PASSWORD_CHANGE_REQUIRED');
    const [audit] = await t.query<{ actor: string; after: { passwordChangeRequired: boolean } }>(
      `SELECT actor, after FROM audit_log WHERE action = 'staff.password_reset' AND entity_id = $1`,
      [id],
    );
    expect(audit.after).toEqual({ email, passwordChangeRequired: true });
    expect(JSON.stringify(audit)).not.toContain(reset.temporaryPassword);
    // not oneself (that is POST /api/auth/password), not an unknown account
    const [{ id: adminId }] = await t.query<{ id: string }>(
      `SELECT id FROM staff WHERE email LIKE 'admin.%' ORDER BY created_at LIMIT 1`,
    );
    expect(
      (await t.http.post(`/api/staff/${adminId}/password-reset`).set('authorization', tokens.admin!).expect(403)).body
        .field,
    ).toBe('id');
    await t.http
      .post('/api/staff/00000000-0000-4000-8000-000000000000/password-reset')
      .set('authorization', tokens.admin!)
      .expect(404);
  });

  it('npm run staff:reset-password: a temporary password, earlier tokens refused, audited as cli', async () => {
    const email = 'cli.reset@staff.test';
    const before = await signedIn(t, 'phone', email);
    const member = await resetStaffPassword(
      t.app.get(StaffService),
      'CLI.Reset@staff.test',
      'a temporary from the cli',
    );
    expect(member).toMatchObject({ email, disabled: false });
    await t.http.get('/api/supporters?q=Seed').set('authorization', before).expect(401);
    expect((await loginFrom('127.0.1.4', { email, password: STAFF_PASSWORD })).status).toBe(401);
    const temporary = (
      await t.http.post('/api/auth/login').send({ email, password: 'a temporary from the cli' }).expect(200)
    ).body;
    expect(temporary.passwordChangeRequired).toBe(true);
    expect(
      await t.query(
        `SELECT 1 FROM audit_log WHERE action = 'staff.password_reset' AND actor = 'cli' AND entity_id = $1`,
        [member.id],
      ),
    ).toHaveLength(1);
    await expect(
      resetStaffPassword(t.app.get(StaffService), 'nobody@staff.test', 'a temporary from the cli'),
    ).rejects.toThrow(/no staff account/);
  });

  it('sign-ins and staff writes are in the audit log, readable by admins', async () => {
    const log = (
      await t.http.get('/api/audit-log').query({ limit: 500 }).set('authorization', tokens.admin!).expect(200)
    ).body as Array<{ action: string }>;
    const actions = new Set(log.map((e) => e.action));
    for (const a of [
      'auth.login',
      'auth.login_failed',
      'staff.create',
      'staff.update',
      'staff.password_change',
      'staff.password_reset',
    ]) {
      expect(actions.has(a)).toBe(true);
    }
    await expect(t.query(`UPDATE audit_log SET actor = 'x'`)).rejects.toThrow(/append-only/);
  });

  it('bad input names the field', async () => {
    const res = await t.http
      .post('/api/staff')
      .set('authorization', tokens.admin!)
      .send({ email: 'x@staff.test', name: 'X', role: 'owner' })
      .expect(400);
    expect(res.body.field).toBe('role');
    const login = await t.http.post('/api/auth/login').send({ email: 'nope' }).expect(400);
    expect(['email', 'password']).toContain(login.body.field);
  });
});
