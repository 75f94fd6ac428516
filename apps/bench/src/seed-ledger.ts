/*
 * `npm run seed:ledger -- [--entries 1000000] [--supporters 100000] [--years 2] [--seed 42] [--batch 50000] [--run-id ID]`
 *
 * Seeds a realistic synthetic ledger into the database at DATABASE_URL (required: this never
 * writes into the embedded database). Runs the migrations first. The same options can be given
 * as SEED_ENTRIES, SEED_SUPPORTERS, SEED_YEARS, SEED, SEED_BATCH, SEED_RUN_ID; currency is the
 * deployment's (CURRENCY, default AUD).
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/seedtest npm run seed:ledger -- --entries 200000
 *
 * What it writes, all in ONE transaction (the ledger refuses DELETE, so a failed run leaves nothing
 * half-written), generated inside PostgreSQL with generate_series, `--batch` rows per
 * INSERT ... SELECT so the statement-level roll-up trigger aggregates once per batch:
 *
 * - `--supporters` supporters `seed-<runid>-<n>@example.org` with names, some phones and postal
 *   addresses, created over the period (their ids are md5(runid:n), so entries need no join);
 * - exactly `--entries` ledger entries over the last `--years` years, appended in time order as a
 *   real ledger is (ids and the table's physical order follow occurred_at; each correction right
 *   after the payments of its time); more near 30 June and in December, fewer at weekends,
 *   daytime in the report time zone:
 *   ~89.6% payments (donation 45%, monthly_donation 25%, subscription 25%, prepaid 5%;
 *   online card 85% with Stripe ids and fee round(gross*1.7%)+30, phone 15%: cash/cheque/
 *   bank transfer donations without fee, or card), 6% late `fee` entries (their payment has fee 0
 *   and no balance transaction), 3% refunds (full or partial), 0.3% disputes of which a third
 *   are won (`dispute_reversal`), 1% reversals of phone cash/cheque/transfer payments
 *   (`reverses_entry_id`, each payment at most once). Refunds and disputes point at their
 *   payment too, as the webhook handlers do. Half the entries come from any supporter, the rest
 *   from the 10% (35%) and 1% (15%) who give most often.
 * - donations and monthly donations belong to the current campaign from its start, and before
 *   it to a campaign `seeded-earlier-giving` (created once).
 *
 * Determinism: every attribute of entry n is a function of (n, --seed) through
 * hashint8extended(n, seed) (not random(), whose sequence would depend on evaluation order), so a
 * refund or fee recomputes the payment it belongs to without reading it back, and the same seed
 * gives the same amounts, types, channels, supporters and corrections; times are the same for
 * the same period (calendar days and time of day). setseed() is set too, for any random().
 *
 * Speed here (2 cores, PostgreSQL 15 defaults): 1,000,000 entries in about 30 s (~34,000 rows/s;
 * the per-row foreign-key checks, ten indexes and the roll-up trigger are most of it).
 */
import 'reflect-metadata';
import { type Client } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import { dataSourceOptions, resolveDatabase, runMigrations } from '@app/database';

export interface SeedOptions {
  /** Ledger entries to write (exactly). */
  entries: number;
  supporters: number;
  /** The entries span this many years, ending now. */
  years: number;
  seed: number;
  /** Rows per INSERT ... SELECT. */
  batchSize?: number;
  /** Distinguishes this run's emails, Stripe ids and idempotency keys; default: from the clock. */
  runId?: string;
  /** Default: CURRENCY or AUD. */
  currency?: string;
  /** Where progress lines go; default console.log. */
  log?: (line: string) => void;
}

export interface SeedResult {
  runId: string;
  supporters: number;
  entries: number;
  byKind: Record<string, number>;
  seconds: number;
  rowsPerSecond: number;
}

/** Shares of the entries, by kind (the rest are payments). */
const SHARE = { fee: 0.06, refund: 0.03, dispute: 0.003, reversal: 0.01 } as const;
const DISPUTE_FEE = 1500;

interface Sql {
  rows<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  run(text: string, params?: unknown[]): Promise<number>;
  release(): Promise<void>;
}

function isDataSource(db: unknown): db is DataSource {
  return typeof (db as DataSource)?.createQueryRunner === 'function';
}

/** One connection for the whole run: it is one transaction. */
async function connection(db: DataSource | Client): Promise<Sql> {
  if (isDataSource(db)) {
    const runner: QueryRunner = db.createQueryRunner();
    await runner.connect();
    return {
      rows: async (text, params) => (await runner.query(text, params, true)).records,
      run: async (text, params) => (await runner.query(text, params, true)).affected ?? 0,
      release: () => runner.release(),
    };
  }
  return {
    rows: async (text, params) => (await db.query(text, params)).rows,
    run: async (text, params) => (await db.query(text, params)).rowCount ?? 0,
    release: async () => undefined,
  };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** x⁻¹ mod m (gcd(x, m) = 1). */
function modInverse(x: number, m: number): number {
  if (m === 1) return 0;
  let [r0, r1] = [BigInt(m), BigInt(x % m)];
  let [t0, t1] = [0n, 1n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  const inv = ((t0 % BigInt(m)) + BigInt(m)) % BigInt(m);
  return Number(inv);
}

/** A multiplier coprime to m near m·φ⁻¹, so consecutive indexes land far apart. */
function multiplier(m: number): number {
  if (m <= 1) return 1;
  let a = Math.max(1, Math.floor(m * 0.6180339887498949));
  while (gcd(a, m) !== 1) a++;
  return a;
}

/**
 * Payment q (0-based) is, by q mod 20: 0-1 phone cash/cheque/transfer (10%), 2 phone card (5%),
 * 3-19 online card (85%). Online payments and phone cash payments have ordinals (k, c) so that a
 * permutation of ordinals picks the payments that are refunded, disputed, reversed.
 */
const onlineCount = (p: number) => Math.floor(p / 20) * 17 + Math.max(0, (p % 20) - 3);
const cashCount = (p: number) => Math.floor(p / 20) * 2 + Math.min(2, p % 20);

interface Plan {
  payments: number;
  fee: number;
  refund: number;
  dispute: number;
  disputeWon: number;
  reversal: number;
  online: number;
  cash: number;
}

function plan(entries: number): Plan {
  let fee = Math.round(entries * SHARE.fee);
  let refund = Math.round(entries * SHARE.refund);
  let dispute = Math.round(entries * SHARE.dispute);
  let reversal = Math.round(entries * SHARE.reversal);
  for (;;) {
    const disputeWon = Math.floor(dispute / 3);
    const payments = entries - fee - refund - dispute - disputeWon - reversal;
    const online = onlineCount(payments);
    const cash = cashCount(payments);
    if (fee + refund + dispute <= online && reversal <= cash) {
      return { payments, fee, refund, dispute, disputeWon, reversal, online, cash };
    }
    // Only for tiny runs: fewer corrections until there are enough payments to correct.
    fee = Math.floor(fee / 2);
    refund = Math.floor(refund / 2);
    dispute = Math.floor(dispute / 2);
    reversal = Math.floor(reversal / 2);
  }
}

const FIRST_NAMES = [
  'Olivia',
  'Jack',
  'Charlotte',
  'William',
  'Amelia',
  'Noah',
  'Isla',
  'Thomas',
  'Mia',
  'James',
  'Ava',
  'Oliver',
  'Grace',
  'Henry',
  'Chloe',
  'Lucas',
  'Zoe',
  'Leo',
  'Ruby',
  'Liam',
  'Sophie',
  'Ethan',
  'Ella',
  'Samuel',
  'Harper',
  'Daniel',
  'Emily',
  'Max',
  'Matilda',
  'Alexander',
  'Priya',
  'Wei',
  'Mohammed',
  'Aisha',
  'Nguyen',
  'Sofia',
  'Luca',
  'Hannah',
  'Patrick',
  'Margaret',
];
const LAST_NAMES = [
  'Smith',
  'Jones',
  'Williams',
  'Brown',
  'Wilson',
  'Taylor',
  'Johnson',
  'White',
  'Martin',
  'Anderson',
  'Thompson',
  'Nguyen',
  'Thomas',
  'Walker',
  'Harris',
  'Lee',
  'Ryan',
  'Robinson',
  'Kelly',
  'King',
  'Davis',
  'Wright',
  'Evans',
  'Roberts',
  'Green',
  'Hall',
  'Wood',
  'Jackson',
  'Clarke',
  'Patel',
  'Khan',
  'Chen',
  'Wang',
  'Singh',
  "O'Brien",
  'Murphy',
  'Campbell',
  'Mitchell',
  'Stewart',
  'Young',
];
const CITIES: Array<[string, string, number]> = [
  ['Sydney', 'NSW', 2000],
  ['Melbourne', 'VIC', 3000],
  ['Brisbane', 'QLD', 4000],
  ['Perth', 'WA', 6000],
  ['Adelaide', 'SA', 5000],
  ['Hobart', 'TAS', 7000],
  ['Canberra', 'ACT', 2600],
  ['Newcastle', 'NSW', 2300],
  ['Geelong', 'VIC', 3220],
  ['Darwin', 'NT', 800],
];
const STREETS = [
  'George St',
  'High St',
  'Church St',
  'Park Rd',
  'Victoria St',
  'Station St',
  'Railway Pde',
  'King St',
  'Queen St',
  'Main Rd',
];

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const textArray = (xs: string[]) => `ARRAY[${xs.map(lit).join(',')}]::text[]`;

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-AU');
}

/**
 * Seeds supporters and exactly `options.entries` ledger entries (see the file header). Takes a
 * DataSource (one connection of it is used) or a connected pg Client; the schema must be migrated.
 */
export async function seedLedger(db: DataSource | Client, options: SeedOptions): Promise<SeedResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const batch = Math.max(1000, Math.floor(options.batchSize ?? 50_000));
  const entries = Math.floor(options.entries);
  const supporters = Math.floor(options.supporters);
  if (!(entries >= 1)) throw new Error('entries must be at least 1');
  if (!(supporters >= 1)) throw new Error('supporters must be at least 1');
  if (!(options.years > 0)) throw new Error('years must be positive');
  const seed = Math.floor(options.seed);
  const runId = (options.runId ?? Date.now().toString(36)).toLowerCase();
  if (!/^[a-z0-9]{1,20}$/.test(runId)) throw new Error('runId must be 1-20 characters [a-z0-9]');
  const currency = (options.currency ?? process.env.CURRENCY ?? 'AUD').toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) throw new Error('currency must be a three-letter code');

  const p = plan(entries);
  const derived = p.fee + p.refund + p.dispute + p.disputeWon + p.reversal;
  const a1 = multiplier(p.online);
  const b1 = Math.floor(p.online / 7);
  const a1inv = modInverse(a1, Math.max(1, p.online));
  const a2 = multiplier(p.cash);
  const b2 = Math.floor(p.cash / 3);

  const sql = await connection(db);
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    await sql.run('BEGIN');
    await sql.rows(`SELECT setseed($1)`, [((seed % 2_000_000) / 2_000_000) * 2 - 1]);
    const [settings] = await sql.rows<{ zone: string; end: string; start: string }>(
      `SELECT COALESCE((SELECT time_zone FROM report_settings), 'Australia/Sydney') AS zone,
              to_char(date_trunc('second', now()) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "end",
              to_char(date_trunc('second', now() - make_interval(days => round($1 * 365.25)::int)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS start`,
      [options.years],
    );
    const { zone, start, end } = settings;

    // Campaigns: the current one (from its start), and one for the giving before it.
    const [current] = await sql.rows<{ id: string; starts_at: Date }>(
      `SELECT id, starts_at FROM campaigns WHERE is_current UNION ALL SELECT id, starts_at FROM campaigns WHERE slug = 'fighting-fund' LIMIT 1`,
    );
    const currentStart = current ? new Date(current.starts_at).toISOString() : start;
    let earlierId: string | null = null;
    if (new Date(currentStart) > new Date(start)) {
      await sql.run(
        `INSERT INTO campaigns (slug, title, currency, target_amount, starts_at, ends_at, is_current)
         VALUES ('seeded-earlier-giving', 'Earlier giving (seeded)', $1, 50000000, $2, $3, false) ON CONFLICT (slug) DO NOTHING`,
        [currency, start, currentStart],
      );
      [{ id: earlierId }] = await sql.rows<{ id: string }>(
        `SELECT id FROM campaigns WHERE slug = 'seeded-earlier-giving'`,
      );
    }
    const uuidOrNull = (id: string | null | undefined) => (id ? `${lit(id)}::uuid` : 'NULL::uuid');

    log(
      `seeding run ${runId} (seed ${seed}): ${fmt(supporters)} supporters, ${fmt(entries)} entries (${fmt(p.payments)} payments, ${fmt(p.fee)} fees, ` +
        `${fmt(p.refund)} refunds, ${fmt(p.dispute)} disputes + ${fmt(p.disputeWon)} won, ${fmt(p.reversal)} reversals), ${start} .. ${end} ${currency}, days in ${zone}, batches of ${fmt(batch)}`,
    );

    // Uniform [0,1) from (n, salt): 53 bits of hashint8extended(n, seed·1000 + salt).
    const u = (n: string, salt: number) =>
      `(((hashint8extended(${n}, ${seed * 1000 + salt}) >> 11) & 9007199254740991)::float8 / 9007199254740992.0)`;
    const START = `${lit(start)}::timestamptz`;
    const END = `${lit(end)}::timestamptz`;
    const ZONE = lit(zone);
    const M = Math.max(1, p.online),
      C = Math.max(1, p.cash);

    /*
     * The calendar: payments are numbered in time order (as a real ledger is appended), so the
     * table's physical order follows occurred_at. Each local day of the period gets a share of
     * the payments by weight (June towards the 30th and December more, weekends less, slowly
     * growing), and its payments are spread over the daytime, 7:00-22:00 local, densest
     * mid-afternoon. day i's payments are q in [first[i], first[i+1]).
     */
    const calendar = await sql.rows<{ day: string; seconds: number; dow: number; month: number; dom: number }>(
      `SELECT d::date::text AS day, extract(isodow FROM d)::int AS dow, extract(month FROM d)::int AS month, extract(day FROM d)::int AS dom,
              extract(epoch FROM LEAST(interval '15 hours', ($2::timestamptz AT TIME ZONE $3) - (d + interval '7 hours')))::float8 AS seconds
         FROM generate_series(date_trunc('day', $1::timestamptz AT TIME ZONE $3) + interval '1 day', date_trunc('day', $2::timestamptz AT TIME ZONE $3), interval '1 day') d`,
      [start, end, zone],
    );
    const days = calendar.filter((d) => d.seconds > 0);
    if (!days.length) throw new Error('the period holds no whole local day: give more years');
    const weights = days.map((d, i) => {
      let w = (d.dow >= 6 ? 0.65 : 1) * (1 + (0.25 * i) / days.length) * (d.seconds / 54000);
      if (d.month === 6) w *= 1 + 3 * (d.dom / 30) ** 3; // end of the financial year: up to 4× on 30 June
      if (d.month === 12) w *= 1.5 + (d.dom >= 20 ? 0.5 : 0); // the Christmas appeal
      return w;
    });
    const totalWeight = weights.reduce((s, w) => s + w, 0);
    const firsts: number[] = [];
    let cumulative = 0;
    for (const w of weights) {
      firsts.push(Math.round((p.payments * cumulative) / totalWeight));
      cumulative += w;
    }
    const calendarParams = [firsts, days.map((d) => d.day), days.map((d) => d.seconds)];

    /*
     * Everything about payment q (0-based) as stages of fenced subqueries (OFFSET 0): each stage
     * computes its columns once per row from the previous stage's. (Chained LATERALs or an
     * inlined SQL function instead let the planner substitute expressions into each other,
     * which grows exponentially.) `source` yields q plus any columns to pass on; $3, $4, $5 are
     * the calendar (first payment, local date, daytime seconds of each day).
     */
    const payments = (source: string) => `
      SELECT s3.*,
             CASE WHEN s3.cls = 2 THEN 'online' ELSE 'phone' END AS channel,
             CASE WHEN s3.cls = 0 THEN 0 ELSE (s3.gross * 17 + 500) / 1000 + 30 END AS std_fee,
             CASE WHEN s3.cls = 0 OR s3.late THEN 0 ELSE (s3.gross * 17 + 500) / 1000 + 30 END AS fee,
             CASE WHEN s3.type IN ('donation', 'monthly_donation')
                  THEN CASE WHEN s3.at >= ${lit(currentStart)}::timestamptz THEN ${uuidOrNull(current?.id)} ELSE ${uuidOrNull(earlierId)} END END AS campaign_id,
             CASE WHEN s3.cls > 0 THEN 'ch_${runId}x' || s3.q END AS charge,
             CASE WHEN s3.cls > 0 THEN 'pi_${runId}x' || s3.q END AS intent,
             CASE WHEN s3.cls > 0 AND s3.type IN ('monthly_donation', 'subscription') THEN 'in_${runId}x' || s3.q END AS invoice,
             CASE WHEN s3.cls > 0 AND s3.type IN ('donation', 'prepaid_subscription') THEN 'cs_${runId}x' || s3.q END AS session,
             CASE WHEN s3.cls > 0 AND NOT s3.late THEN 'txn_${runId}x' || s3.q END AS txn,
             CASE s3.method WHEN 'cheque' THEN 'CHQ ' || (100000 + s3.q % 900000) WHEN 'bank_transfer' THEN 'EFT-' || upper(to_hex(s3.q * 7919)) END AS reference,
             CASE WHEN s3.cls = 0 THEN NULL
                  WHEN s3.type IN ('monthly_donation', 'subscription') THEN 'Invoice in_${runId}x' || s3.q || ' (subscription_cycle)'
                  WHEN s3.type = 'prepaid_subscription' THEN 'Prepaid ' || CASE WHEN s3.gross = 6000 THEN 'digital' ELSE 'print' END || ' for 12 months'
                  ELSE 'Checkout cs_${runId}x' || s3.q END AS description
      FROM (
        SELECT s2.*,
               (CASE s2.type
                  WHEN 'donation' THEN CASE WHEN s2.u5 < 0.65
                                            THEN (ARRAY[500,1000,1000,2000,2000,2500,2500,2500,5000,5000,5000,5000,10000,10000,10000,20000,25000,50000])[1 + floor(s2.u6 * 18)::int]
                                            ELSE 100 * round(5 * power(100, power(s2.u6, 1.6))) END
                  WHEN 'monthly_donation' THEN (ARRAY[500,1000,1000,1500,2000,2000,2500,3000,5000])[1 + floor(s2.u6 * 9)::int]
                  WHEN 'subscription' THEN CASE WHEN s2.u6 < 0.7 THEN 500 ELSE 1000 END
                  ELSE CASE WHEN s2.u6 < 0.65 THEN 6000 ELSE 12000 END END)::bigint AS gross,
               -- from 7:00 local, x through the daytime with density sin(πt): mid-afternoon busiest
               (($4::date[])[s2.di] + interval '7 hours' + make_interval(secs => ($5::float8[])[s2.di] * acos(1 - 2 * s2.x) / pi())) AT TIME ZONE ${ZONE} AS at
        FROM (
          SELECT s1.*,
                 CASE WHEN s1.cls = 0 THEN 'donation' WHEN s1.u4 < 0.389 THEN 'donation' WHEN s1.u4 < 0.667 THEN 'monthly_donation'
                      WHEN s1.u4 < 0.944 THEN 'subscription' ELSE 'prepaid_subscription' END AS type,
                 CASE WHEN s1.cls > 0 THEN 'card' WHEN s1.u3 < 0.5 THEN 'cash' WHEN s1.u3 < 0.8 THEN 'cheque' ELSE 'bank_transfer' END AS method,
                 -- half the entries from anyone, 35% from the first 10% of supporters, 15% from the first 1%
                 md5('${runId}:' || LEAST(${supporters}, 1 + floor(${supporters} * s1.u8 * CASE WHEN s1.u7 < 0.5 THEN 1 WHEN s1.u7 < 0.85 THEN 0.1 ELSE 0.01 END)::bigint))::uuid AS supporter_id,
                 -- where in its day, in (0, 1), increasing with q
                 (s1.q - ($3::bigint[])[s1.di] + s1.u14) / (COALESCE(($3::bigint[])[s1.di + 1], ${p.payments}) - ($3::bigint[])[s1.di])::float8 AS x
          FROM (
            SELECT src.*,
                   CASE WHEN src.q % 20 < 2 THEN 0 WHEN src.q % 20 = 2 THEN 1 ELSE 2 END AS cls,
                   -- fee arriving later as its own entry: the online ordinal is one the fee rows pick
                   src.q % 20 >= 3 AND ((((src.q / 20) * 17 + src.q % 20 - 3 - ${b1} + ${M}) % ${M}) * ${a1inv}) % ${M} < ${p.fee} AS late,
                   width_bucket(src.q, $3::bigint[]) AS di,
                   ${u('src.q', 3)} AS u3, ${u('src.q', 4)} AS u4, ${u('src.q', 5)} AS u5, ${u('src.q', 6)} AS u6, ${u('src.q', 7)} AS u7,
                   ${u('src.q', 8)} AS u8, ${u('src.q', 14)} AS u14, ${u('src.q', 16)} AS u16
            FROM (${source}) src OFFSET 0
          ) s1 OFFSET 0
        ) s2 OFFSET 0
      ) s3 OFFSET 0`;

    // Supporters.
    for (let lo = 1; lo <= supporters; lo += batch) {
      const hi = Math.min(supporters, lo + batch - 1);
      await sql.run(
        `INSERT INTO supporters (id, email, name, phone, address, created_at, updated_at)
         SELECT md5('${runId}:' || n)::uuid,
                'seed-${runId}-' || n || '@example.org',
                (${textArray(FIRST_NAMES)})[1 + floor(${u('n', 50)} * ${FIRST_NAMES.length})::int] || ' ' || (${textArray(LAST_NAMES)})[1 + floor(${u('n', 51)} * ${LAST_NAMES.length})::int],
                CASE WHEN ${u('n', 52)} < 0.3 THEN '04' || lpad(floor(${u('n', 53)} * 100000000)::bigint::text, 8, '0') END,
                CASE WHEN ${u('n', 54)} < 0.25 THEN jsonb_build_object(
                  'line1', (1 + floor(${u('n', 55)} * 300))::int || ' ' || (${textArray(STREETS)})[1 + floor(${u('n', 56)} * ${STREETS.length})::int],
                  'city', (${textArray(CITIES.map((c) => c[0]))})[ci.i], 'state', (${textArray(CITIES.map((c) => c[1]))})[ci.i],
                  'postalCode', lpad(((ARRAY[${CITIES.map((c) => c[2]).join(',')}])[ci.i] + floor(${u('n', 58)} * 50)::int)::text, 4, '0'), 'country', 'AU') END,
                ci.t, ci.t
           FROM (SELECT n, 1 + floor(${u('n', 57)} * ${CITIES.length})::int AS i,
                        ${START} - interval '1 year' + (${END} - ${START} + interval '1 year') * power(${u('n', 59)}, 1.5) AS t
                   FROM generate_series($1::bigint, $2::bigint) n OFFSET 0) ci`,
        [lo, hi],
      );
    }
    log(`  supporters  ${fmt(supporters)} in ${elapsed().toFixed(1)} s`);

    // Corrections, d = 0 .. derived-1, entry number payments+d+1, computed first into a temporary
    // table so that each can be appended right after the payments of its time. Fee, refund and
    // dispute rows take online ordinals (a·j + b) mod online for distinct j, so each payment has
    // at most one of them; won disputes repeat the first disputes' j; reversals permute the phone
    // cash ordinals.
    const F = p.fee,
      R = F + p.refund,
      D = R + p.dispute,
      W = D + p.disputeWon;
    const source = `
      SELECT k.d, k.kind, k.j,
             CASE WHEN k.kind = 'reversal' THEN ((k.j * ${a2} + ${b2}) % ${C}) / 2 * 20 + ((k.j * ${a2} + ${b2}) % ${C}) % 2
                  ELSE ((k.j * ${a1} + ${b1}) % ${M}) / 17 * 20 + 3 + ((k.j * ${a1} + ${b1}) % ${M}) % 17 END AS q
        FROM (SELECT d,
                     CASE WHEN d < ${F} THEN 'fee' WHEN d < ${R} THEN 'refund' WHEN d < ${D} THEN 'dispute' WHEN d < ${W} THEN 'dispute_reversal' ELSE 'reversal' END AS kind,
                     CASE WHEN d < ${D} THEN d WHEN d < ${W} THEN d - ${p.dispute} ELSE d - ${W} END AS j
                FROM generate_series($1::bigint, $2::bigint) d OFFSET 0) k`;
    await sql.run(
      `CREATE TEMPORARY TABLE seed_corrections ON COMMIT DROP AS
       SELECT v.d, v.q, v.kind, v.type, v.channel, v.method, v.amount, v.charged_fee, v.supporter_id, v.campaign_id,
              v.session, v.intent, v.charge, v.invoice, v.reference, v.when_at AS at
         FROM (
           SELECT w.*,
                  CASE w.kind
                    WHEN 'fee' THEN 0::bigint
                    WHEN 'refund' THEN -(CASE WHEN ${u('w.j', 21)} < 0.6 THEN w.gross ELSE GREATEST(1, round(w.gross * (0.1 + 0.8 * ${u('w.j', 22)})))::bigint END)
                    WHEN 'dispute_reversal' THEN w.gross
                    ELSE -w.gross END AS amount,
                  CASE w.kind WHEN 'fee' THEN w.std_fee WHEN 'dispute' THEN ${DISPUTE_FEE}::bigint ELSE 0::bigint END AS charged_fee,
                  CASE w.kind
                    WHEN 'fee' THEN w.at + LEAST(interval '2 hours' + interval '3 days' * ${u('w.j', 26)}, (${END} - w.at) * ${u('w.j', 27)})
                    WHEN 'refund' THEN w.at + LEAST(interval '1 hour' + interval '30 days' * ${u('w.j', 28)}, (${END} - w.at) * ${u('w.j', 29)})
                    WHEN 'dispute' THEN w.dispute_at
                    WHEN 'dispute_reversal' THEN w.dispute_at + LEAST(interval '20 days' + interval '40 days' * ${u('w.j', 33)}, (${END} - w.dispute_at) * ${u('w.j', 34)})
                    ELSE w.at + LEAST(interval '10 minutes' + interval '14 days' * ${u('w.j', 35)}, (${END} - w.at) * ${u('w.j', 36)}) END AS when_at
             FROM (
               -- the dispute's date (its won reversal follows it): a function of j, shared by both
               SELECT x.*, x.at + LEAST(interval '7 days' + interval '53 days' * ${u('x.j', 31)}, (${END} - x.at) * ${u('x.j', 32)}) AS dispute_at
                 FROM (${payments(source)}) x OFFSET 0
             ) w OFFSET 0
         ) v`,
      [0, derived - 1, ...calendarParams],
    );
    await sql.run(`CREATE INDEX ON seed_corrections (at, d)`);
    log(`  corrections ${fmt(derived)} prepared in ${elapsed().toFixed(1)} s`);

    const columns = `idempotency_key, kind, type, channel, method, gross, fee, net, currency, supporter_id, campaign_id, reverses_entry_id,
      stripe_checkout_session_id, stripe_payment_intent_id, stripe_charge_id, stripe_invoice_id, stripe_refund_id, stripe_dispute_id,
      stripe_balance_transaction_id, description, reference, occurred_at, recorded_at`;
    let written = 0;
    let corrections = 0;
    const entriesStarted = elapsed();

    // Payments q = lo..hi (entry number q+1), then the corrections that happened up to the last
    // of them (whose payments are therefore already written), oldest first.
    let after = '-infinity';
    for (let lo = 0; lo < p.payments; lo += batch) {
      const hi = Math.min(p.payments, lo + batch) - 1;
      const last = hi === p.payments - 1;
      const t0 = elapsed();
      let n = await sql.run(
        `INSERT INTO ledger_entries (${columns})
         SELECT 'seed:${runId}:' || (x.q + 1), 'payment', x.type, x.channel, x.method, x.gross, x.fee, x.gross - x.fee, '${currency}', x.supporter_id, x.campaign_id, NULL,
                x.session, x.intent, x.charge, x.invoice, NULL, NULL, x.txn, x.description, x.reference, x.at,
                x.at + make_interval(secs => 1 + 40 * x.u16)
           FROM (${payments('SELECT q FROM generate_series($1::bigint, $2::bigint) q')}) x`,
        [lo, hi, ...calendarParams],
      );
      const [{ at: upTo }] = last
        ? [{ at: 'infinity' }]
        : await sql.rows<{ at: string }>(
            `SELECT occurred_at::text AS at FROM ledger_entries WHERE idempotency_key = $1`,
            [`seed:${runId}:${hi + 1}`],
          );
      const c = await sql.run(
        `INSERT INTO ledger_entries (${columns})
         SELECT 'seed:${runId}:' || (${p.payments} + v.d + 1), v.kind, v.type, v.channel, v.method, v.amount, v.charged_fee, v.amount - v.charged_fee, '${currency}', v.supporter_id, v.campaign_id,
                CASE v.kind WHEN 'fee' THEN NULL
                            WHEN 'reversal' THEN (SELECT e.id FROM ledger_entries e WHERE e.idempotency_key = 'seed:${runId}:' || (v.q + 1))
                            ELSE (SELECT e.id FROM ledger_entries e WHERE e.kind = 'payment' AND e.stripe_charge_id = v.charge) END,
                v.session, v.intent, v.charge, v.invoice,
                CASE WHEN v.kind = 'refund' THEN 're_${runId}x' || v.q END,
                CASE WHEN v.kind IN ('dispute', 'dispute_reversal') THEN 'dp_${runId}x' || v.q END,
                CASE v.kind WHEN 'fee' THEN 'txn_${runId}x' || v.q WHEN 'refund' THEN 'txn_${runId}r' || v.q
                            WHEN 'dispute' THEN 'txn_${runId}d' || v.q WHEN 'dispute_reversal' THEN 'txn_${runId}w' || v.q END,
                CASE v.kind WHEN 'fee' THEN 'Stripe fee for ' || v.charge
                            WHEN 'refund' THEN 'Refund (requested_by_customer)'
                            WHEN 'dispute' THEN 'Dispute (fraudulent)'
                            WHEN 'dispute_reversal' THEN 'Dispute won: funds reinstated'
                            ELSE 'Reversal: ' || (ARRAY['entered twice', 'wrong amount', 'cheque bounced', 'wrong supporter'])[1 + floor(${u('v.d', 24)} * 4)::int] END,
                CASE WHEN v.kind = 'reversal' THEN v.reference END,
                v.at, v.at + make_interval(secs => 1 + 40 * ${u('v.d', 25)})
           FROM seed_corrections v
          WHERE v.at > $1::timestamptz AND v.at <= $2::timestamptz
          ORDER BY v.at, v.d`,
        [after, upTo],
      );
      after = upTo;
      n += c;
      corrections += c;
      written += n;
      const seconds = elapsed() - t0;
      log(
        `  payments ${fmt(hi + 1).padStart(11)} / ${fmt(p.payments)}, corrections ${fmt(corrections).padStart(9)} / ${fmt(derived)}: ` +
          `${fmt(n / seconds).padStart(7)} rows/s (all entries ${fmt(written).padStart(11)} / ${fmt(entries)}, ${fmt(written / (elapsed() - entriesStarted))} rows/s)`,
      );
    }

    const t0 = elapsed();
    await sql.run('COMMIT');
    const commitSeconds = elapsed() - t0;
    if (written !== entries) throw new Error(`wrote ${written} entries, expected ${entries}`);
    const seconds = elapsed();
    log(`  committed in ${commitSeconds.toFixed(1)} s; analyzing`);
    await sql.run(
      'ANALYZE supporters, campaigns, ledger_entries, ledger_daily_totals, campaign_totals, campaign_supporters',
    );
    log(
      `seeded ${fmt(entries)} entries and ${fmt(supporters)} supporters in ${seconds.toFixed(1)} s (${fmt(entries / seconds)} entries/s; analyze ${(elapsed() - seconds).toFixed(1)} s)`,
    );
    return {
      runId,
      supporters,
      entries,
      byKind: {
        payment: p.payments,
        fee: p.fee,
        refund: p.refund,
        dispute: p.dispute,
        dispute_reversal: p.disputeWon,
        reversal: p.reversal,
      },
      seconds,
      rowsPerSecond: entries / seconds,
    };
  } catch (err) {
    await sql.run('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await sql.release();
  }
}

/** A DataSource on `url` with every migration applied. */
export async function openMigrated(url: string): Promise<DataSource> {
  const db = await resolveDatabase({ url, embeddedDir: 'memory', poolSize: 2 });
  const ds = await new DataSource(
    dataSourceOptions(db.url, db.poolSize, { logging: ['error', 'migration'] }),
  ).initialize();
  try {
    await runMigrations(ds, db);
  } catch (err) {
    await ds.destroy();
    throw err;
  }
  return ds;
}

function option(name: string, env: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const raw = i >= 0 ? process.argv[i + 1] : process.env[env];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`--${name} (${env}) must be a positive number, got "${raw}"`);
  }
  return value;
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\/.+/.test(url)) {
    throw new Error(
      'DATABASE_URL must be set to the PostgreSQL database to seed (postgresql://user@host:5432/db); the seeder does not write into the embedded database',
    );
  }
  const options: SeedOptions = {
    entries: option('entries', 'SEED_ENTRIES', 1_000_000),
    supporters: option('supporters', 'SEED_SUPPORTERS', 100_000),
    years: option('years', 'SEED_YEARS', 2),
    seed: option('seed', 'SEED', 42),
    batchSize: option('batch', 'SEED_BATCH', 50_000),
  };
  const i = process.argv.indexOf('--run-id');
  const runId = i >= 0 ? process.argv[i + 1] : process.env.SEED_RUN_ID;
  if (runId) options.runId = runId;
  const ds = await openMigrated(url);
  try {
    await seedLedger(ds, options);
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
