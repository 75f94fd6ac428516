import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { paidDonation } from './support/payments';
import { signedIn } from './support/staff';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { eventuallyEqual, startTestApp, type TestContext } from './support/test-app';

/**
 * The least-privilege production setup: migrations run as the owner (MIGRATION_DATABASE_URL),
 * the service connects as a role of its own that may INSERT and SELECT on the ledger and nothing
 * more there. Roles are the server's, so this needs the real PostgreSQL (the embedded database
 * has one user).
 */
(process.env.DATABASE_URL ? describe : describe.skip)(
  'the service runs as a role that cannot change the ledger',
  () => {
    const role = `svc_e2e_${randomBytes(4).toString('hex')}`;
    let db: TestDatabase;
    let t: TestContext;
    let ownerUrl: string;
    let owner: Client;

    const asAdmin = async (sql: string) => {
      const c = new Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };

    beforeAll(async () => {
      await asAdmin(`CREATE ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
      db = await createTestDatabase();
      ownerUrl = db.url!;
      const serviceUrl = new URL(ownerUrl);
      serviceUrl.username = role;
      serviceUrl.password = '';
      t = await startTestApp({ DATABASE_URL: serviceUrl.toString(), MIGRATION_DATABASE_URL: ownerUrl });
      owner = new Client({ connectionString: ownerUrl });
      await owner.connect();
    });
    afterAll(async () => {
      await owner?.end();
      await t?.close();
      await db?.drop();
      await asAdmin(`DROP ROLE IF EXISTS "${role}"`);
    });

    it('migrated by the owner, the service works under its own role: a donation paid end to end, a phone gift reversed, progress and reports', async () => {
      const [{ current_user: user }] = await t.query<{ current_user: string }>(`SELECT current_user`);
      expect(user).toBe(role);
      const {
        rows: [table],
      } = await owner.query(`SELECT tableowner FROM pg_tables WHERE tablename = 'ledger_entries'`);
      expect(table.tableowner).not.toBe(role);

      const paid = await paidDonation(t, 2500, { email: 'least.privilege@example.com' });
      const [payment] = await t.query<{ gross: string; fee: string }>(
        `SELECT gross, fee FROM ledger_entries WHERE id = $1`,
        [paid.paymentId],
      );
      expect(Number(payment.gross)).toBe(2500);
      const [phone, finance] = [await signedIn(t, 'phone'), await signedIn(t, 'finance')];
      const cash = await t.http
        .post('/api/phone-donations')
        .set('authorization', phone)
        .set('idempotency-key', 'least-privilege-1')
        .send({ supporter: { name: 'Cash Caller' }, amount: 700, method: 'cash' })
        .expect(201);
      await t.http
        .post(`/api/ledger-entries/${cash.body.id}/reversal`)
        .set('authorization', finance)
        .send({ reason: 'typo' })
        .expect(201);
      // The roll-ups were written by the trigger (as their owner), not by this role.
      await eventuallyEqual(async () => {
        const p = (await t.http.get('/api/campaigns/current/progress').expect(200)).body;
        return [p.raised, p.supporters];
      }, [2500, 1]);
      await t.http
        .get('/api/reports/summary')
        .query({ from: '2020-01-01', to: '2030-12-31', interval: 'month' })
        .set('authorization', finance)
        .expect(200);
    });

    it('that role cannot UPDATE, DELETE, TRUNCATE or ALTER the ledger, disable its trigger, or write the roll-ups', async () => {
      const before = await t.query(`SELECT * FROM ledger_entries ORDER BY id`);
      expect(before.length).toBeGreaterThan(0);
      const refused = [
        `UPDATE ledger_entries SET gross = 1`,
        `DELETE FROM ledger_entries`,
        `TRUNCATE ledger_entries`,
        `TRUNCATE ledger_entries CASCADE`,
        `ALTER TABLE ledger_entries ADD COLUMN note text`,
        `ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_no_update`,
        `ALTER TABLE ledger_entries DISABLE TRIGGER ALL`,
        `DROP TRIGGER ledger_entries_no_update ON ledger_entries`,
        `DROP TABLE ledger_entries CASCADE`,
        `UPDATE campaign_totals SET raised = raised + 1000000`,
        `INSERT INTO campaign_supporters SELECT campaign_id, currency, type, supporter_id, 1 FROM campaign_supporters LIMIT 0`,
        `DELETE FROM ledger_daily_totals`,
        `UPDATE migrations SET name = name`,
      ];
      for (const sql of refused) {
        await expect(t.query(sql)).rejects.toThrow(/permission denied|must be (the )?owner/);
      }
      expect(await t.query(`SELECT * FROM ledger_entries ORDER BY id`)).toEqual(before);
    });

    it('TRUNCATE is refused even for the owner, like UPDATE and DELETE', async () => {
      for (const sql of [
        `TRUNCATE ledger_entries`,
        `TRUNCATE ledger_entries CASCADE`,
        `UPDATE ledger_entries SET gross = gross`,
        `DELETE FROM ledger_entries`,
      ]) {
        // Plain TRUNCATE meets the foreign keys first (offline_subscription_periods references entries);
        // with CASCADE it reaches the ledger's own TRUNCATE trigger. Refused either way.
        await expect(owner.query(sql)).rejects.toThrow(
          sql === 'TRUNCATE ledger_entries'
            ? /append-only: TRUNCATE is not allowed|cannot truncate a table referenced in a foreign key constraint/
            : /append-only: (TRUNCATE|UPDATE|DELETE) is not allowed/,
        );
      }
      const { rows } = await owner.query(`SELECT count(*)::int AS n FROM ledger_entries`);
      expect(rows[0].n).toBeGreaterThan(0);
    });
  },
);
