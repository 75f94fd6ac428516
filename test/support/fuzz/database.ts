import type { TestContext } from '../test-app';

// ---------------------------------------------------------------------------------------------
// The database: nothing may change for a rejected request
// ---------------------------------------------------------------------------------------------

export const COUNTED = [
  'checkouts',
  'supporters',
  'ledger_entries',
  'subscriptions',
  'staff',
  'audit_log',
  'phone_requests',
  'staff_refund_requests',
  'stripe_events',
  'emails',
  'campaigns',
  'tiers',
  'stripe_prices',
  'card_link_sends',
  'offline_subscription_periods',
  'reader_sign_in_links',
  'reader_sessions',
  'email_attachments',
  'giving_statements_sent',
  'receipts',
  'print_runs',
  'print_run_recipients',
] as const;
export const HASHED = {
  'staff#': 'staff',
  'campaigns#': 'campaigns',
  'tiers#': 'tiers',
  'supporters#': 'supporters',
} as const;
export type Table = (typeof COUNTED)[number] | keyof typeof HASHED;
export type Fingerprint = Record<Table, string>;

export async function fingerprint(t: TestContext): Promise<Fingerprint> {
  const counts = COUNTED.map((tbl) => `(SELECT count(*) FROM ${tbl})::text AS "${tbl}"`);
  const hashes = Object.entries(HASHED).map(
    ([k, tbl]) => `(SELECT md5(COALESCE(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${tbl} x) AS "${k}"`,
  );
  const [row] = await t.query<Fingerprint>(`SELECT ${[...counts, ...hashes].join(', ')}`);
  return row;
}

/** Lets the simulator deliver what accepted requests set off, and the app process it. */
export async function settle(t: TestContext): Promise<void> {
  // Delivered and processed (the refund's ledger entry), then what the receipt issuer has still to
  // do (the refund's notice), which happens on its own poll that a short quiet spell does not cover.
  await t.settled();
  await t.receiptsIssued();
  let last = JSON.stringify(await fingerprint(t));
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 100));
    await t.sim.idle();
    const now = JSON.stringify(await fingerprint(t));
    if (now === last) return;
    last = now;
  }
}
