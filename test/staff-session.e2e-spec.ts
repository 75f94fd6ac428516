import { createHash } from 'node:crypto';
import { type Response } from 'supertest';
import { StaffService } from '@app/staff';
import { signedIn, STAFF_PASSWORD } from './support/staff';
import { startTestApp, type TestContext } from './support/test-app';

/** The staff console's session: a rotating refresh cookie beside the short-lived access token. */
describe('staff sessions: refresh cookie, rotation, reuse, sign-out, revocation', () => {
  let t: TestContext;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await signedIn(t, 'admin');
  });
  afterAll(async () => {
    await t?.close();
  });

  /** The refresh cookie a response sets: its value and attributes. */
  function cookieOf(res: Response): { value: string; attributes: string[] } {
    const header = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('staff_refresh='));
    if (!header) throw new Error(`no staff_refresh cookie in ${JSON.stringify(res.headers)}`);
    const [pair, ...attributes] = header.split(';').map((s) => s.trim());
    return { value: pair.slice('staff_refresh='.length), attributes };
  }

  const refresh = (token: string) => t.http.post('/api/auth/refresh').set('cookie', `staff_refresh=${token}`);

  async function newMember(role: 'phone' | 'finance' | 'admin' = 'phone') {
    const email = `session.${Math.random().toString(36).slice(2)}@staff.test`;
    const created = await t.app
      .get(StaffService)
      .create({ email, name: 'Session Person', role }, STAFF_PASSWORD, { staffId: null, label: 'test' });
    return { email, id: created.id };
  }

  async function login(email: string, password = STAFF_PASSWORD) {
    const res = await t.http.post('/api/auth/login').send({ email, password }).expect(200);
    return { access: `Bearer ${res.body.accessToken}`, cookie: cookieOf(res).value, res };
  }

  it('sign-in sets an HttpOnly, SameSite=Strict refresh cookie for /api/auth, stored only as a hash', async () => {
    const { email, id } = await newMember('finance');
    const { res, cookie } = await login(email);
    expect(res.body.staff).toEqual({ id, email, name: 'Session Person', role: 'finance' });
    expect(res.headers['cache-control']).toBe('no-store');
    const { attributes } = cookieOf(res);
    expect(attributes).toEqual(expect.arrayContaining(['Path=/api/auth', 'HttpOnly', 'SameSite=Strict']));
    expect(attributes).not.toContain('Secure'); // plain http on 127.0.0.1 here
    const maxAge = Number(attributes.find((a) => a.startsWith('Max-Age='))!.slice(8));
    expect(maxAge).toBeGreaterThan(8 * 3600 - 60);
    expect(maxAge).toBeLessThanOrEqual(8 * 3600);
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await t.query<{ token_hash: Buffer; staff_id: string }>(
      `SELECT token_hash, staff_id FROM staff_refresh_tokens WHERE staff_id = $1`,
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash.equals(createHash('sha256').update(cookie).digest())).toBe(true);
    expect(JSON.stringify(await t.query(`SELECT * FROM staff_refresh_tokens`))).not.toContain(cookie);
  });

  it('a refresh answers a working access token and rotates the cookie; the used token is refused after', async () => {
    const { email } = await newMember('admin');
    const first = await login(email);
    const res = await refresh(first.cookie).expect(200);
    expect(res.body).toMatchObject({ expiresIn: 900, passwordChangeRequired: false, staff: { email, role: 'admin' } });
    expect(res.headers['cache-control']).toBe('no-store');
    const next = cookieOf(res).value;
    expect(next).not.toBe(first.cookie);
    await t.http.get('/api/staff').set('authorization', `Bearer ${res.body.accessToken}`).expect(200);
    // The same token again within seconds: two tabs racing. Refused, but the session goes on.
    const again = await refresh(first.cookie).expect(401);
    expect(again.body).toMatchObject({ code: 'UNAUTHORIZED', field: 'staff_refresh' });
    const third = await refresh(next).expect(200);
    await refresh(cookieOf(third).value).expect(200);
  });

  it('a rotated token replayed later ends the whole session (and is audited)', async () => {
    const { email, id } = await newMember();
    const first = await login(email);
    const next = cookieOf(await refresh(first.cookie).expect(200)).value;
    // As if the replay came a minute after the rotation (past the grace for racing tabs).
    await t.query(
      `UPDATE staff_refresh_tokens SET rotated_at = now() - interval '1 minute' WHERE staff_id = $1 AND rotated_at IS NOT NULL`,
      [id],
    );
    await refresh(first.cookie).expect(401);
    await refresh(next).expect(401);
    const [audit] = await t.query<{ action: string; actor: string }>(
      `SELECT action, actor FROM audit_log WHERE entity_id = $1 AND action = 'auth.refresh_reuse'`,
      [id],
    );
    expect(audit).toEqual({ action: 'auth.refresh_reuse', actor: email });
    // Another session of the same person (another browser) is not touched.
    const other = await login(email);
    await refresh(other.cookie).expect(200);
  });

  it('no cookie, a malformed or unknown one, or an expired session: 401 naming the cookie, and the cookie is cleared', async () => {
    const none = await t.http.post('/api/auth/refresh').expect(401);
    expect(none.body).toMatchObject({ code: 'UNAUTHORIZED', field: 'staff_refresh' });
    await refresh('not a token!').expect(401);
    const unknown = await refresh('A'.repeat(43)).expect(401);
    expect(cookieOf(unknown)).toEqual({
      value: '',
      attributes: expect.arrayContaining(['Max-Age=0', 'Path=/api/auth']),
    });
    const { email, id } = await newMember();
    const { cookie } = await login(email);
    await t.query(`UPDATE staff_refresh_tokens SET expires_at = now() - interval '1 second' WHERE staff_id = $1`, [id]);
    await refresh(cookie).expect(401);
  });

  it('sign-out ends the session and clears the cookie; signing out twice is fine', async () => {
    const { email, id } = await newMember();
    const { cookie } = await login(email);
    const out = await t.http.post('/api/auth/logout').set('cookie', `staff_refresh=${cookie}`).expect(204);
    expect(cookieOf(out).attributes).toContain('Max-Age=0');
    await refresh(cookie).expect(401);
    await t.http.post('/api/auth/logout').set('cookie', `staff_refresh=${cookie}`).expect(204);
    await t.http.post('/api/auth/logout').expect(204);
    const audits = await t.query(`SELECT actor FROM audit_log WHERE entity_id = $1 AND action = 'auth.logout'`, [id]);
    expect(audits).toEqual([{ actor: email }]);
  });

  it('changing your password ends every session and starts a new one', async () => {
    const { email } = await newMember();
    const a = await login(email);
    const b = await login(email);
    const changed = await t.http
      .post('/api/auth/password')
      .set('authorization', a.access)
      .send({ currentPassword: STAFF_PASSWORD, newPassword: 'a new passphrase for sessions' })
      .expect(200);
    await refresh(a.cookie).expect(401);
    await refresh(b.cookie).expect(401);
    const renewed = await refresh(cookieOf(changed).value).expect(200);
    await t.http
      .get('/api/supporters?q=someone')
      .set('authorization', `Bearer ${renewed.body.accessToken}`)
      .expect(200);
  });

  it("an administrator's reset or disabling ends the person's sessions; a role change applies at the next refresh", async () => {
    const reset = await newMember();
    const r = await login(reset.email);
    await t.http.post(`/api/staff/${reset.id}/password-reset`).set('authorization', admin).expect(200);
    await refresh(r.cookie).expect(401);

    const leaver = await newMember();
    const l = await login(leaver.email);
    await t.http.patch(`/api/staff/${leaver.id}`).set('authorization', admin).send({ disabled: true }).expect(200);
    await refresh(l.cookie).expect(401);
    // Enabled again: the old session stays ended.
    await t.http.patch(`/api/staff/${leaver.id}`).set('authorization', admin).send({ disabled: false }).expect(200);
    await refresh(l.cookie).expect(401);

    const mover = await newMember('phone');
    const m = await login(mover.email);
    await t.http.patch(`/api/staff/${mover.id}`).set('authorization', admin).send({ role: 'finance' }).expect(200);
    const moved = await refresh(m.cookie).expect(200);
    expect(moved.body.staff.role).toBe('finance');
    await t.http
      .get('/api/reports/summary?from=2026-01-01&to=2026-01-31&interval=month')
      .set('authorization', `Bearer ${moved.body.accessToken}`)
      .expect(200);
  });

  it('a session from a temporary password still only allows the password change', async () => {
    const created = await t.http
      .post('/api/staff')
      .set('authorization', admin)
      .send({ email: `temp.${Math.random().toString(36).slice(2)}@staff.test`, name: 'Temp', role: 'phone' })
      .expect(201);
    const { cookie } = await login(created.body.email, created.body.temporaryPassword);
    const res = await refresh(cookie).expect(200);
    expect(res.body.passwordChangeRequired).toBe(true);
    const refused = await t.http
      .get('/api/supporters?q=someone')
      .set('authorization', `Bearer ${res.body.accessToken}`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('PASSWORD_CHANGE_REQUIRED');
  });
});
