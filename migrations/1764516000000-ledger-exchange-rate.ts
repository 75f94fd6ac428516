import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Money Stripe settles in another currency than it was paid in (Adaptive Pricing, or an account
 * that settles in AUD while the service takes another currency): the entry recording the settled
 * side (a fee in the settlement currency, a refund or dispute whose balance transaction was
 * converted) keeps Stripe's `exchange_rate` (amount in the charge's currency × rate = settled amount).
 */
export class LedgerExchangeRate1764516000000 implements MigrationInterface {
  name = 'LedgerExchangeRate1764516000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_entries ADD COLUMN exchange_rate numeric`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ledger_entries DROP COLUMN exchange_rate`);
  }
}
