import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A refund that fails after it succeeded (the card was closed, the bank sent the money back) gets
 * a compensating ledger entry: kind `refund_failure`, positive, beside the refund it undoes
 * (`reverses_entry_id`), at most one per Stripe refund. The kind list is extended, not rewritten:
 * whatever kinds the current constraint allows stay allowed.
 */
export class RefundFailures1764515000000 implements MigrationInterface {
  name = 'RefundFailures1764515000000';

  async up(q: QueryRunner): Promise<void> {
    await setKinds(q, (kinds) => [...new Set([...kinds, 'refund_failure'])]);
    await q.query(
      `ALTER TABLE ledger_entries ADD CONSTRAINT ledger_refund_failure_positive CHECK (kind <> 'refund_failure' OR gross >= 0)`,
    );
    await q.query(
      `CREATE UNIQUE INDEX ledger_refund_failure_key ON ledger_entries (stripe_refund_id) WHERE kind = 'refund_failure' AND stripe_refund_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ledger_refund_failure_key`);
    await q.query(`ALTER TABLE ledger_entries DROP CONSTRAINT ledger_refund_failure_positive`);
    await setKinds(q, (kinds) => kinds.filter((k) => k !== 'refund_failure'));
  }
}

/** Replaces the CHECK that lists ledger_entries' kinds with one listing `change(current kinds)`. */
async function setKinds(q: QueryRunner, change: (kinds: string[]) => string[]): Promise<void> {
  const checks: Array<{ conname: string; def: string }> = await q.query(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'ledger_entries'::regclass AND contype = 'c'`,
  );
  // The kind list: the CHECK on `kind` that names 'payment' and 'fee' (the column's own).
  const current = checks.find(
    (c) => /\bkind\b/.test(c.def) && c.def.includes(`'payment'`) && c.def.includes(`'fee'`) && !/gross/.test(c.def),
  );
  if (!current) throw new Error('ledger_entries has no CHECK listing its kinds');
  const kinds = [...current.def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
  await q.query(`ALTER TABLE ledger_entries DROP CONSTRAINT "${current.conname}"`);
  await q.query(
    `ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_kind_check CHECK (kind IN (${change(kinds)
      .map((k) => `'${k}'`)
      .join(', ')}))`,
  );
}
