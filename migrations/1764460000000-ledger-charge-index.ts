import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Every entry of a Stripe charge (its payment, late fee, refunds) found by the charge id: webhook
 * processing asks "is this charge's fee / refund already recorded?" on every redelivery.
 */
export class LedgerChargeIndex1764460000000 implements MigrationInterface {
  name = 'LedgerChargeIndex1764460000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX ledger_charge_idx ON ledger_entries (stripe_charge_id, kind) WHERE stripe_charge_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ledger_charge_idx`);
  }
}
