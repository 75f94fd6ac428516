import { DataSource } from 'typeorm';
import { sql } from '@app/database';
import { startTestApp, type TestContext } from './support/test-app';

/**
 * Hot-path statements are prepared once per connection. A migration that changes a table under
 * a prepared `SELECT *` (a rolling deploy) fails that one call, and the next prepares afresh.
 * PostgreSQL only (the embedded database gets unnamed statements).
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
onPostgres('prepared hot-path statements survive a table change', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('after ALTER TABLE … ADD COLUMN, one call fails with 0A000 and the next succeeds with the new column', async () => {
    // One connection throughout (a query runner's), so the statement prepared first is the one reused.
    const runner = t.app.get(DataSource).createQueryRunner();
    const manager = runner.manager;
    await t.query(`CREATE TABLE prepared_probe (id int PRIMARY KEY, label text)`);
    await t.query(`INSERT INTO prepared_probe VALUES (1, 'one')`);
    const select = `SELECT * FROM prepared_probe WHERE id = $1`;
    expect([...(await sql(manager, select, [1]))]).toEqual([{ id: 1, label: 'one' }]);
    await t.query(`ALTER TABLE prepared_probe ADD COLUMN note text DEFAULT 'n'`);
    try {
      // The connection's prepared statement still has the old columns: this call fails …
      await expect(sql(manager, select, [1])).rejects.toMatchObject({ code: '0A000' });
      // … and the next prepares it again.
      expect([...(await sql(manager, select, [1]))]).toEqual([{ id: 1, label: 'one', note: 'n' }]);
    } finally {
      await runner.release();
    }
  });
});
