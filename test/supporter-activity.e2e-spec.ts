import { ACTIVITY_LIMIT } from '@app/privacy';
import { signedIn } from './support/staff';
import { startTestApp, type TestContext } from './support/test-app';

/**
 * A supporter's activity: the emails sent to them and the staff actions about them (and the
 * records merged into them), for every staff role that can open the record, without going
 * through the audited privacy export.
 */
describe('supporter activity: emails and audit trail without an export (real PostgreSQL)', () => {
  let t: TestContext;
  let admin: string;
  let finance: string;
  let phone: string;

  beforeAll(async () => {
    t = await startTestApp();
    [admin, finance, phone] = await Promise.all([signedIn(t, 'admin'), signedIn(t, 'finance'), signedIn(t, 'phone')]);
  });
  afterAll(() => t?.close());

  const phoneGift = async (key: string, supporter: object, amount: number) =>
    (
      await t.http
        .post('/api/phone-donations')
        .set('authorization', phone)
        .set('idempotency-key', key)
        .send({ supporter, amount, method: 'cash' })
        .expect(201)
    ).body as { id: string; supporterId: string };

  const activity = async (id: string, who: string) =>
    (await t.http.get(`/api/supporters/${id}/activity`).set('authorization', who).expect(200)).body as {
      emails: Array<Record<string, unknown>>;
      audit: Array<Record<string, unknown>>;
    };

  it('shows a phone gift’s receipt, an edit’s audit entry and a merged record’s items, newest first, to phone, finance and admin, and is not audited as an export', async () => {
    const gift = await phoneGift('activity-ada-1', { name: 'Ada Activity', email: 'ada@example.com' }, 3000);
    const id = gift.supporterId;
    const older = await phoneGift('activity-ada-old', { name: 'Ada Older', email: 'ada.old@example.com' }, 1200);
    const other = await phoneGift('activity-other', { name: 'Otto Other', email: 'otto@example.com' }, 500);
    await t.settled();
    await t.http
      .patch(`/api/supporters/${id}`)
      .set('authorization', phone)
      .send({ notes: 'prefers mornings' })
      .expect(200);

    const seen = await activity(id, phone);
    expect(seen.emails).toEqual([
      {
        id: expect.any(String),
        kind: 'receipt',
        subject: expect.any(String),
        status: expect.any(String),
        sentAt: null, // no SMTP in this app: queued, not sent yet
        createdAt: expect.any(String),
        to: 'ada@example.com',
      },
    ]);
    expect(seen.emails[0]).not.toHaveProperty('body');
    // Newest first: the edit, then the gift.
    expect(seen.audit.map((a) => a.action)).toEqual(['supporter.update', 'phone_donation.create']);
    expect(seen.audit[0]).toEqual({
      id: expect.any(String),
      at: expect.any(String),
      action: 'supporter.update',
      actor: expect.stringContaining('@'),
      entityType: 'supporter',
      entityId: id,
    });
    expect(seen.audit[1]).toMatchObject({ entityId: gift.id });
    expect(JSON.stringify(seen)).not.toContain('otto@example.com');
    expect(seen.audit.map((a) => a.entityId)).not.toContain(other.id);
    expect(seen.audit.map((a) => a.entityId)).not.toContain(other.supporterId);

    // Merged: the older record's receipt and gift show under the survivor, also when asked by the old id.
    await t.http
      .post(`/api/supporters/${id}/merge`)
      .set('authorization', finance)
      .send({ from: older.supporterId })
      .expect(200);
    const merged = await activity(older.supporterId, finance);
    expect(merged.emails.map((e) => e.to).sort()).toEqual(['ada.old@example.com', 'ada@example.com']);
    expect(merged.audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['supporter.merge', 'supporter.update', 'phone_donation.create']),
    );
    expect(merged.audit.map((a) => a.entityId)).toEqual(expect.arrayContaining([older.id, gift.id]));
    const times = merged.audit.map((a) => Date.parse(a.at as string));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(await activity(id, admin)).toEqual(merged);

    // Roles, unknown ids, and no export written to the audit log.
    await t.http.get(`/api/supporters/${id}/activity`).expect(401);
    await t.http
      .get('/api/supporters/00000000-0000-4000-8000-000000000000/activity')
      .set('authorization', phone)
      .expect(404);
    await t.http.get('/api/supporters/not-a-uuid/activity').set('authorization', phone).expect(404);
    const exports = await t.query(`SELECT 1 FROM audit_log WHERE action = 'supporter.export'`);
    expect(exports).toHaveLength(0);
  });

  it('answers the newest 100 emails and audit entries, newest first, however many there are', async () => {
    const gift = await phoneGift('activity-busy-1', { name: 'Bea Busy', email: 'bea.busy@example.com' }, 1000);
    await t.settled();
    // 105 more of each, written as their owners would have (one statement each).
    await t.query(
      `INSERT INTO emails (to_address, subject, body, kind, transport, status, created_at)
       SELECT 'bea.busy@example.com', 'Message ' || n, 'body', 'test_kind', 'outbox', 'recorded', now() + n * interval '1 second'
         FROM generate_series(1, 105) n`,
    );
    await t.query(
      `INSERT INTO audit_log (actor, action, entity_type, entity_id, created_at)
       SELECT 'test', 'test.action.' || n, 'supporter', $1, now() + n * interval '1 second' FROM generate_series(1, 105) n`,
      [gift.supporterId],
    );
    const seen = await activity(gift.supporterId, phone);
    expect(seen.emails).toHaveLength(ACTIVITY_LIMIT);
    expect(seen.emails[0].subject).toBe('Message 105');
    expect(seen.emails[ACTIVITY_LIMIT - 1].subject).toBe('Message 6');
    expect(seen.audit).toHaveLength(ACTIVITY_LIMIT);
    expect(seen.audit[0].action).toBe('test.action.105');
    expect(seen.audit[ACTIVITY_LIMIT - 1].action).toBe('test.action.6');
  });
});
