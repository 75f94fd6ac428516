import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** A ledger entry is reversed at most once. */
export class Corrections1764430000000 implements MigrationInterface {
  name = 'Corrections1764430000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNIQUE INDEX ledger_one_reversal_key ON ledger_entries (reverses_entry_id) WHERE kind = 'reversal'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ledger_one_reversal_key`);
  }
}
