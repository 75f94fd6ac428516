/**
 * What the fuzzed endpoints work on: signed-in staff of every role, two staff members to change,
 * a campaign, phone donations and a paid card donation (real ids for paths), made once before
 * the first endpoint is fuzzed.
 */
import { paidDonation } from '../payments';
import { signedIn } from '../staff';
import type { TestContext } from '../test-app';
import { settle } from './database';

export type StaffRole = 'phone' | 'finance' | 'admin';

export interface FuzzWorld {
  t: TestContext;
  /** An `Authorization` header value per role. */
  auth: Record<StaffRole, string>;
  /** The signed-in administrator (fuzz.admin@staff.test). */
  adminId: string;
  /** A phone and a finance staff member, for PATCH /api/staff/:id. */
  victims: string[];
  /** Ledger entries of phone donations (cash), reversible. */
  phoneEntries: string[];
  /** The ledger entry of a paid card donation, refundable. */
  cardEntry: string;
  checkoutId: string;
  supporterId: string;
}

export async function seedWorld(t: TestContext): Promise<FuzzWorld> {
  const auth: Record<StaffRole, string> = { phone: '', finance: '', admin: '' };
  const victims: string[] = [];
  const phoneEntries: string[] = [];
  let supporterId = '';
  // Every token is taken now: fuzzing the sign-in locks this address out for a while.
  auth.phone = await signedIn(t, 'phone');
  auth.finance = await signedIn(t, 'finance');
  auth.admin = await signedIn(t, 'admin', 'fuzz.admin@staff.test');
  const adminId = (await t.query<{ id: string }>(`SELECT id FROM staff WHERE email = 'fuzz.admin@staff.test'`))[0].id;
  for (const role of ['phone', 'finance'] as const) {
    const res = await t.http
      .post('/api/staff')
      .set('authorization', auth.admin)
      .send({ email: `victim.${role}@staff.test`, name: `Victim ${role}`, role })
      .expect(201);
    victims.push(res.body.id);
  }
  await t.http
    .post('/api/campaigns')
    .set('authorization', auth.admin)
    .send({ slug: 'fuzz-target', title: 'Fuzz target', target: 100000 })
    .expect(201);
  for (let i = 0; i < 5; i++) {
    const res = await t.http
      .post('/api/phone-donations')
      .set('authorization', auth.phone)
      .set('idempotency-key', `fuzz-setup-${i}`)
      .send({ supporter: { name: `Caller ${i}`, email: `caller${i}@example.com` }, amount: 1000 + i, method: 'cash' })
      .expect(201);
    phoneEntries.push(res.body.id);
    supporterId = res.body.supporterId;
  }
  const paid = await paidDonation(t, 500_000, { email: 'card.payer@example.com' });
  await settle(t);
  return {
    t,
    auth,
    adminId,
    victims,
    phoneEntries,
    cardEntry: paid.paymentId,
    checkoutId: paid.checkoutId,
    supporterId,
  };
}
