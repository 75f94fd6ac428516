import { Client } from 'pg';
import { simControl, startTestApp, type TestContext, waitFor } from './support/test-app';

/**
 * A webhook worker transaction that fails (here: its row lock, sent with BEGIN, runs into
 * `lock_timeout` because another session holds the checkouts) is rolled back before its
 * connection goes back to the pool. Before the fix, each such failure left a pooled connection
 * `idle in transaction (aborted)`, and whoever took it next (/health, a new donation) failed.
 * PostgreSQL only: the embedded database runs one transaction at a time, so there is no second
 * session to hold a lock.
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
onPostgres('worker transactions: a failure never poisons the pool', () => {
  let t: TestContext;
  let locker: Client | undefined;

  beforeAll(async () => {
    t = await startTestApp({
      WEBHOOK_LOCK_TIMEOUT_MS: '150',
      WEBHOOK_RETRY_BASE_MS: '100',
      WEBHOOK_RETRY_INTERVAL_MS: '50',
      // A small pool: a poisoned connection is met at once.
      DATABASE_POOL_SIZE: '4',
      WEBHOOK_WORKER_CONCURRENCY: '3',
    });
  });
  afterAll(async () => {
    await locker?.end().catch(() => undefined);
    await t?.close();
  });

  /** Connections of the test database stuck in an aborted transaction, seen from outside the pool. */
  const aborted = async (): Promise<number> => {
    const c = new Client({ connectionString: t.config.DATABASE_URL });
    await c.connect();
    try {
      const { rows } = await c.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction (aborted)'`,
      );
      return rows[0].n;
    } finally {
      await c.end();
    }
  };

  it('checkouts locked by another session: their events fail on lock_timeout and are retried; /health and new donations keep working; no connection stays aborted; once released, every payment is recorded', async () => {
    const checkouts: Array<{ id: string; session: string }> = [];
    for (let i = 0; i < 4; i++) {
      const { id } = (
        await t.http
          .post('/api/donations')
          .send({ amount: 1000 + i, frequency: 'one_off', email: `locked${i}@example.com` })
          .expect(201)
      ).body;
      const [row] = await t.query<{ stripe_session_id: string }>(
        `SELECT stripe_session_id FROM checkouts WHERE id = $1`,
        [id],
      );
      checkouts.push({ id, session: row.stripe_session_id });
    }
    const ids = checkouts.map((c) => c.id);

    locker = new Client({ connectionString: t.config.DATABASE_URL });
    await locker.connect();
    await locker.query('BEGIN');
    expect((await locker.query(`SELECT id FROM checkouts WHERE id = ANY($1::uuid[]) FOR UPDATE`, [ids])).rowCount).toBe(
      4,
    );

    for (const c of checkouts) await simControl(t.sim, 'POST', `/_simulator/checkout/sessions/${c.session}/complete`);
    // Every checkout's completion has failed on the lock at least twice (a first attempt and a retry).
    await waitFor(
      async () => {
        const rows = await t.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM stripe_events
          WHERE payload->>'type' = 'checkout.session.completed' AND payload->'data'->'object'->'metadata'->>'checkout_id' = ANY($1::text[])
            AND processed_at IS NULL AND attempts >= 2 AND last_error LIKE '%lock timeout%'`,
          [ids],
        );
        return rows[0].n === 4;
      },
      15000,
      'completions failing on the lock',
    );

    // While the rows stay locked and the worker keeps failing on them, the service answers.
    for (let round = 0; round < 3; round++) {
      expect(await aborted()).toBe(0);
      const health = await Promise.all(Array.from({ length: 8 }, () => t.http.get('/health')));
      expect(health.map((r) => r.status)).toEqual(health.map(() => 200));
      const donations = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          t.http
            .post('/api/donations')
            .send({ amount: 500 + i, frequency: 'one_off', email: `meanwhile${round}.${i}@example.com` }),
        ),
      );
      expect(donations.map((r) => r.status)).toEqual(donations.map(() => 201));
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await aborted()).toBe(0);
    expect(await t.query(`SELECT 1 FROM ledger_entries WHERE checkout_id = ANY($1::uuid[])`, [ids])).toHaveLength(0);

    await locker.query('ROLLBACK');
    await locker.end();
    locker = undefined;
    // The retries go through once the rows are free.
    await waitFor(
      async () =>
        (await t.query(`SELECT 1 FROM ledger_entries WHERE kind = 'payment' AND checkout_id = ANY($1::uuid[])`, [ids]))
          .length === 4,
      20000,
      'the four payments recorded',
    );
    await t.settled();
    expect(
      await t.query<{ status: string }>(`SELECT DISTINCT status FROM checkouts WHERE id = ANY($1::uuid[])`, [ids]),
    ).toEqual([{ status: 'complete' }]);
    expect(await aborted()).toBe(0);
  });
});
