import { type StaffRole, StaffService } from '@app/staff';
import { type TestContext } from './test-app';

export const STAFF_PASSWORD = 'correct horse battery staple';

/** Creates a staff member directly and signs them in over HTTP; answers the bearer header value. */
export async function signedIn(
  t: TestContext,
  role: StaffRole,
  email = `${role}.${Math.random().toString(36).slice(2)}@staff.test`,
): Promise<string> {
  await t.app
    .get(StaffService)
    .create({ email, name: `Test ${role}`, role }, STAFF_PASSWORD, { staffId: null, label: 'test' });
  const res = await t.http.post('/api/auth/login').send({ email, password: STAFF_PASSWORD }).expect(200);
  return `Bearer ${res.body.accessToken}`;
}
