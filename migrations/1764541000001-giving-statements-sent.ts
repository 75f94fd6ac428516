import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Which supporter (the person: the survivor of merged records) was sent
 * the statement of which financial year (`year` = the year it ends, 2026 = 1 July 2025 to 30 June
 * 2026), so that the bulk send after 30 June reaches each supporter once however often it runs.
 */
export class GivingStatementsSent1764541000001 implements MigrationInterface {
  name = 'GivingStatementsSent1764541000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE giving_statements_sent (
        supporter_id uuid NOT NULL REFERENCES supporters (id),
        year integer NOT NULL CHECK (year BETWEEN 2000 AND 2999),
        sent_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (supporter_id, year)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE giving_statements_sent`);
  }
}
