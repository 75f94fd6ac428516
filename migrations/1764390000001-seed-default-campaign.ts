import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * One default campaign, the site's current target, so a fresh install has a progress bar.
 * Its currency is the deployment's (CURRENCY, default AUD) at the time the migration runs;
 * administrators rename it and set its target later.
 */
export class SeedDefaultCampaign1764390000001 implements MigrationInterface {
  name = 'SeedDefaultCampaign1764390000001';

  async up(q: QueryRunner): Promise<void> {
    const currency = (process.env.CURRENCY || 'AUD').toUpperCase();
    await q.query(
      `INSERT INTO campaigns (slug, title, currency, target_amount, starts_at, is_current)
       VALUES ('fighting-fund', 'Fighting fund', $1, 25000000, date_trunc('year', now()), true)
       ON CONFLICT (slug) DO NOTHING`,
      [currency],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `DELETE FROM campaigns WHERE slug = 'fighting-fund' AND NOT EXISTS (SELECT 1 FROM ledger_entries WHERE campaign_id = campaigns.id)`,
    );
  }
}
