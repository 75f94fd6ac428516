import { ParkingLot, PARKING_ENV } from './support/parked-events';
import { signedIn } from './support/staff';
import { startTestApp, type TestContext, waitFor } from './support/test-app';

/**
 * The webhook inbox for administrators (GET /api/admin/webhooks, POST /api/admin/webhooks/:id/replay)
 * and the audit log's filters (GET /api/audit-log?staffId&action&from&to), over the real service.
 */
describe('webhooks admin API and the audit log filters', () => {
  let t: TestContext;
  let admin: string;
  let lot: ParkingLot;

  beforeAll(async () => {
    t = await startTestApp(PARKING_ENV);
    admin = await signedIn(t, 'admin', 'webhooks.admin@staff.test');
    lot = new ParkingLot(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  const backlog = async () =>
    (await t.http.get('/api/admin/webhooks').set('authorization', admin).expect(200)).body as {
      pending: number;
      parked: number;
      lagSeconds: number;
      parkedEvents: Array<{ id: string; type: string; lastError: string | null; attempts: number }>;
    };
  const replay = (id: string) => t.http.post(`/api/admin/webhooks/${id}/replay`).set('authorization', admin);
  const replayAudits = async (id: string) =>
    (
      await t.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'webhook.replay' AND entity_id = $1`,
        [id],
      )
    )[0].n;
  const processed = (id: string) =>
    waitFor(
      async () =>
        (
          await t.query<{ done: boolean }>(`SELECT processed_at IS NOT NULL AS done FROM stripe_events WHERE id = $1`, [
            id,
          ])
        )[0]?.done,
      10000,
      `${id} processed`,
    );

  it('lists pending, parked and the lag; a parked event with its type, error and attempts', async () => {
    await lot.park('evt_admin_parked_1');
    // One waiting for an hour (not due; no worker takes it), received 90 s ago: that is the lag.
    await t.query(
      `INSERT INTO stripe_events (id, type, stripe_created_at, payload, received_at, next_attempt_at)
       VALUES ('evt_admin_pending', 'test.probe', now(), '{}', now() - interval '90 seconds', now() + interval '1 hour')`,
    );
    const b = await backlog();
    expect(b.pending).toBe(1);
    expect(b.parked).toBe(1);
    expect(b.lagSeconds).toBeGreaterThanOrEqual(90);
    expect(b.lagSeconds).toBeLessThan(3600);
    expect(b.parkedEvents).toEqual([
      {
        id: 'evt_admin_parked_1',
        type: 'test.parkable',
        lastError: 'Error: downstream unavailable',
        attempts: 1,
        deliveries: 1,
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
    await t.query(`DELETE FROM stripe_events WHERE id = 'evt_admin_pending'`);
  });

  it('replays a parked event once: processed, applied once, audited once; a second replay changes nothing', async () => {
    lot.down = false;
    const first = await replay('evt_admin_parked_1').expect(200);
    expect(first.body).toEqual({ id: 'evt_admin_parked_1', type: 'test.parkable', replayed: true, processed: false });
    await processed('evt_admin_parked_1');
    expect(lot.applied.get('evt_admin_parked_1')).toBe(1);
    const [row] = await t.query<{ outcome: string; last_error: string | null }>(
      `SELECT outcome, last_error FROM stripe_events WHERE id = 'evt_admin_parked_1'`,
    );
    expect(row).toEqual({ outcome: 'test: applied', last_error: null });

    const again = await replay('evt_admin_parked_1').expect(200);
    expect(again.body).toEqual({ id: 'evt_admin_parked_1', type: 'test.parkable', replayed: false, processed: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(lot.applied.get('evt_admin_parked_1')).toBe(1);
    expect(await replayAudits('evt_admin_parked_1')).toBe(1);
    const [audit] = await t.query<{ actor: string; before: Record<string, unknown> }>(
      `SELECT actor, before FROM audit_log WHERE action = 'webhook.replay' AND entity_id = 'evt_admin_parked_1'`,
    );
    expect(audit).toMatchObject({
      actor: 'webhooks.admin@staff.test',
      before: { type: 'test.parkable', attempts: 1, lastError: 'Error: downstream unavailable', parked: true },
    });
    expect((await backlog()).parked).toBe(0);
  });

  it('two replays at once (a double click) revive the event once', async () => {
    await lot.park('evt_admin_parked_2');
    lot.down = false;
    const answers = await Promise.all([replay('evt_admin_parked_2'), replay('evt_admin_parked_2')]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers.map((a) => a.body.replayed).sort()).toEqual([false, true]);
    await processed('evt_admin_parked_2');
    await new Promise((r) => setTimeout(r, 300));
    expect(lot.applied.get('evt_admin_parked_2')).toBe(1);
    expect(await replayAudits('evt_admin_parked_2')).toBe(1);
  });

  it('a replay of an event that waits unclaimed wakes the worker, which processes it (no retry poll runs here)', async () => {
    // As a double click leaves it: revived by the first replay, passed over by the claim its wake
    // made (SKIP LOCKED, the second replay held the row); stored here directly, waking nobody.
    lot.down = false;
    const payload = { id: 'evt_admin_waiting', object: 'event', type: 'test.parkable', data: { object: {} } };
    await t.query(
      `INSERT INTO stripe_events (id, type, stripe_created_at, payload, next_attempt_at)
       VALUES ('evt_admin_waiting', 'test.parkable', now(), $1, now())`,
      [JSON.stringify(payload)],
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(lot.applied.get('evt_admin_waiting')).toBeUndefined();
    const answer = await replay('evt_admin_waiting').expect(200);
    expect(answer.body).toEqual({ id: 'evt_admin_waiting', type: 'test.parkable', replayed: false, processed: false });
    await processed('evt_admin_waiting');
    expect(lot.applied.get('evt_admin_waiting')).toBe(1);
    expect(await replayAudits('evt_admin_waiting')).toBe(0);
  });

  it('an unknown event is 404 and a malformed id 400 naming id; nothing is recorded', async () => {
    const before = await t.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'webhook.replay'`);
    const missing = await replay('evt_not_there').expect(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND', field: 'id' });
    const bad = await replay('not-an-event').expect(400);
    expect(bad.body).toMatchObject({ code: 'VALIDATION_FAILED', field: 'id' });
    expect(await t.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'webhook.replay'`)).toEqual(before);
  });

  describe('the audit log filters', () => {
    const audit = (query: Record<string, string>) =>
      t.http.get('/api/audit-log').query(query).set('authorization', admin);

    it('by staff member, by action (exact or a prefix ending in a dot), and by days in the organisation’s zone', async () => {
      const [me] = await t.query<{ id: string }>(`SELECT id FROM staff WHERE email = 'webhooks.admin@staff.test'`);
      const other = await signedIn(t, 'admin', 'other.admin@staff.test');
      await t.http
        .post('/api/campaigns')
        .set('authorization', other)
        .send({ slug: 'audit-filter', title: 'Audit filter', target: 1000 })
        .expect(201);
      await t.http
        .patch('/api/campaigns/audit-filter')
        .set('authorization', other)
        .send({ title: 'Audit filter 2' })
        .expect(200);

      const mine = (await audit({ staffId: me.id }).expect(200)).body as Array<{ staffId: string; action: string }>;
      expect(mine.length).toBeGreaterThan(0);
      expect(new Set(mine.map((a) => a.staffId))).toEqual(new Set([me.id]));
      expect(mine.map((a) => a.action)).toContain('webhook.replay');
      expect(mine.map((a) => a.action)).not.toContain('campaign.create');

      const [them] = await t.query<{ id: string }>(`SELECT id FROM staff WHERE email = 'other.admin@staff.test'`);
      const exact = (await audit({ action: 'campaign.update', staffId: them.id }).expect(200)).body as Array<{
        action: string;
      }>;
      expect(exact.map((a) => a.action)).toEqual(['campaign.update']);
      const kind = (await audit({ action: 'campaign.', staffId: them.id }).expect(200)).body as Array<{
        action: string;
      }>;
      expect(kind.map((a) => a.action)).toEqual(['campaign.update', 'campaign.create']);

      // Today in the organisation's zone holds them; the day before holds none of them.
      const zone = t.config.REPORT_TIME_ZONE;
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
      const yesterday = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(Date.now() - 86400000));
      const byThem = { action: 'campaign.', staffId: them.id };
      expect((await audit({ ...byThem, from: today, to: today }).expect(200)).body).toHaveLength(2);
      expect((await audit({ ...byThem, to: yesterday }).expect(200)).body).toEqual([]);
      expect((await audit({ ...byThem, from: today }).expect(200)).body).toHaveLength(2);
      // Empty filters are no filters.
      expect((await audit({ action: '', staffId: '', limit: '1000' }).expect(200)).body.length).toBeGreaterThan(
        kind.length,
      );
    });

    it('refuses bad filters with a 400 naming the field', async () => {
      for (const [query, field] of [
        [{ staffId: 'someone' }, 'staffId'],
        [{ action: 'Campaign Update' }, 'action'],
        [{ from: '2026-02-30' }, 'from'],
        [{ to: 'yesterday' }, 'to'],
        [{ from: '2026-03-02', to: '2026-03-01' }, 'from'],
      ] as const) {
        const res = await audit(query).expect(400);
        expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', field });
      }
    });
  });
});
