import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Print runs: an issue of the print edition going out to the mailing list as it was then.
 * - `print_runs`: one per issue date (UNIQUE: recording the same issue again answers the run).
 * - `print_run_recipients`: who it went to, with the address and details as they were (the
 *   mailing house's list for that run); a subscription's first row is its first issue, which
 *   brings the print subscriber's welcome.
 */
export class PrintRuns1764544000000 implements MigrationInterface {
  name = 'PrintRuns1764544000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE print_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        issue_date date NOT NULL UNIQUE,
        reference text,
        created_by uuid REFERENCES staff (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE print_run_recipients (
        run_id uuid NOT NULL REFERENCES print_runs (id) ON DELETE CASCADE,
        subscription_id uuid NOT NULL REFERENCES subscriptions (id),
        supporter_id uuid NOT NULL REFERENCES supporters (id),
        tier_code text NOT NULL,
        name text,
        email text,
        address jsonb,
        status text NOT NULL,
        billing text NOT NULL,
        origin text NOT NULL,
        paid_until timestamptz,
        subscriber_since timestamptz NOT NULL,
        position integer NOT NULL,
        PRIMARY KEY (run_id, subscription_id)
      )`);
    await q.query(`CREATE INDEX print_run_recipients_subscription_idx ON print_run_recipients (subscription_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE print_run_recipients`);
    await q.query(`DROP TABLE print_runs`);
  }
}
