import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '@app/config';
import { createServiceRole } from '@app/database';
import { migrations } from '@app/migrations';
import { createApp } from '../apps/api/src/bootstrap';
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

/**
 * The stronger setup: the service holds no owner's URL at all. The owner runs
 * `npm run db:service-role` (createServiceRole) beforehand; the service, with only its own role's
 * DATABASE_URL, does not migrate and only checks that nothing is pending.
 */
(process.env.DATABASE_URL ? describe : describe.skip)(
  'the role made by npm run db:service-role, and a service with no owner URL',
  () => {
    const role = `svc_cli_${randomBytes(4).toString('hex')}`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    let db: TestDatabase;
    let ownerUrl: string;
    let serviceUrl: string;
    let owner: Client;

    /** Starts the app (no simulator needed) as the service role only, and closes it again. */
    const startAsServiceOnly = async () => {
      const app = await createApp(
        loadConfig({
          DATABASE_URL: serviceUrl,
          STRIPE_SECRET_KEY: 'sk_test_x',
          STRIPE_WEBHOOK_SECRET: 'whsec_x',
          STRIPE_API_URL: 'http://127.0.0.1:9',
          LOG_LEVEL: 'silent',
          PORT: '0',
          WEBHOOK_RECOVERY_INTERVAL_MS: '0',
        }),
      );
      await app.close();
    };

    beforeAll(async () => {
      db = await createTestDatabase();
      ownerUrl = db.url!;
      const u = new URL(ownerUrl);
      u.username = role;
      u.password = password;
      serviceUrl = u.toString();
      owner = new Client({ connectionString: ownerUrl });
      await owner.connect();
    });
    afterAll(async () => {
      await owner?.end();
      await db?.drop();
      const c = new Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP ROLE IF EXISTS "${role}"`);
      await c.end();
    });

    it('on a fresh database it migrates and creates the login role (its password, NOINHERIT), which may INSERT and SELECT ledger_entries and is refused UPDATE, DELETE and TRUNCATE; run again it changes nothing', async () => {
      const first = await createServiceRole(ownerUrl, role, password);
      expect(first).toEqual({ created: true, applied: migrations.map((m) => new m().name) });
      const {
        rows: [r],
      } = await owner.query(
        `SELECT rolcanlogin, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolpassword IS NOT NULL AS has_password
           FROM pg_authid WHERE rolname = $1`,
        [role],
      );
      expect(r).toEqual({
        rolcanlogin: true,
        rolsuper: false,
        rolinherit: false,
        rolcreaterole: false,
        rolcreatedb: false,
        has_password: true,
      });
      expect(await createServiceRole(ownerUrl, role, password)).toEqual({ created: false, applied: [] });

      const service = new Client({ connectionString: serviceUrl });
      await service.connect();
      try {
        expect((await service.query(`SELECT current_user`)).rows[0].current_user).toBe(role);
        const {
          rows: [inserted],
        } = await service.query(
          `INSERT INTO ledger_entries (idempotency_key, kind, type, channel, method, gross, fee, net, currency, occurred_at, stripe_charge_id)
           VALUES ('test:service-role-cli', 'fee', 'donation', 'online', 'card', 0, 15, -15, 'AUD', now(), 'ch_service_role_cli')
           RETURNING id`,
        );
        const { rows } = await service.query(`SELECT fee FROM ledger_entries WHERE id = $1`, [inserted.id]);
        expect(rows.map((x) => Number(x.fee))).toEqual([15]);
        for (const sql of [
          `UPDATE ledger_entries SET fee = 1`,
          `DELETE FROM ledger_entries`,
          `TRUNCATE ledger_entries`,
          `TRUNCATE ledger_entries CASCADE`,
        ]) {
          await expect(service.query(sql)).rejects.toThrow(/permission denied/);
        }
        // It may read the migrations table (to check nothing is pending), not change it.
        expect((await service.query(`SELECT count(*)::int AS n FROM migrations`)).rows[0].n).toBe(migrations.length);
        await expect(service.query(`DELETE FROM migrations`)).rejects.toThrow(/permission denied/);
        const { rows: still } = await owner.query(`SELECT fee FROM ledger_entries`);
        expect(still.map((x) => Number(x.fee))).toEqual([15]);
      } finally {
        await service.end();
      }
    });

    it("migrated beforehand by the CLI, the service starts with only its own role's DATABASE_URL (no MIGRATION_DATABASE_URL) and records a paid donation", async () => {
      await createServiceRole(ownerUrl, role, password); // idempotent: also when run alone
      const t = await startTestApp({ DATABASE_URL: serviceUrl });
      try {
        expect(t.config.MIGRATION_DATABASE_URL).toBeUndefined();
        const [{ current_user: user }] = await t.query<{ current_user: string }>(`SELECT current_user`);
        expect(user).toBe(role);
        const paid = await paidDonation(t, 2500, { email: 'no.owner.url@example.com' });
        const [payment] = await t.query<{ gross: string }>(`SELECT gross FROM ledger_entries WHERE id = $1`, [
          paid.paymentId,
        ]);
        expect(Number(payment.gross)).toBe(2500);
        await eventuallyEqual(
          async () => (await t.http.get('/api/campaigns/current/progress').expect(200)).body.raised,
          2500,
        );
      } finally {
        await t.close();
      }
    });

    it('without the owner URL the service refuses to start while a migration is pending or a table is not granted, naming npm run db:service-role; once that is run, it starts', async () => {
      await createServiceRole(ownerUrl, role, password);
      const last = new migrations[migrations.length - 1]().name;
      const { rows: removed } = await owner.query(`DELETE FROM migrations WHERE name = $1 RETURNING *`, [last]);
      expect(removed).toHaveLength(1);
      try {
        await expect(startAsServiceOnly()).rejects.toThrow(
          new RegExp(
            `MIGRATION_DATABASE_URL is unset.*1 migration\\(s\\) of this build are not applied \\(${last}\\).*npm run db:service-role -- --role ${role}`,
          ),
        );
        // It did not try to migrate: nothing applied, nothing created as the service role.
        expect((await owner.query(`SELECT 1 FROM migrations WHERE name = $1`, [last])).rows).toHaveLength(0);
      } finally {
        await owner.query(`INSERT INTO migrations (timestamp, name) VALUES ($1, $2)`, [
          removed[0].timestamp,
          removed[0].name,
        ]);
      }
      // A table made by the owner after the grants (as a new migration would): refused until granted.
      await owner.query(`CREATE TABLE later_feature (id int)`);
      await expect(startAsServiceOnly()).rejects.toThrow(
        new RegExp(`has not been granted the tables later_feature.*npm run db:service-role -- --role ${role}`),
      );
      await createServiceRole(ownerUrl, role, password);
      await startAsServiceOnly();
    });
  },
);
