/*
 * `npm run bench:search`: the phone line's supporter search, `GET /api/supporters?q=`, at 100,000
 * supporters (issue 14, item 4: p95 ≤ 50 ms).
 *
 *   BENCH_SEARCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_search npm run bench:search
 *
 * 1. Drops and creates the database (a fresh one every run), migrates it, and seeds
 *    BENCH_SUPPORTERS (default 100,000) supporters with SQL: a name, an email, a postal address
 *    (street, city, postcode), a mobile in E.164 (as typed: `0410 012 345`), a landline for one in
 *    ten, a former email for one in twenty, and a print subscription with a delivery address for
 *    one in five; then ANALYZE.
 * 2. Boots the service in this process (the Stripe simulator in process too), signs a phone
 *    operator in, and sends BENCH_SEARCH_QUERIES (default 300) searches of each kind, one at a
 *    time over HTTP after a warm-up: an exact email, a phone in three formats (E.164, spaced
 *    national, bare digits), a name prefix (`given sur`), a postcode, a street (`12 wattle`).
 *    Each answer is checked to contain whom it was looking for (postcode and street: any
 *    answer).
 * 3. Prints p50 / p95 / p99 per kind and over all, against the target.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../api/src/bootstrap';
import { loadConfig } from '@app/config';
import { StaffService } from '@app/staff';
import { log, percentile, request, round, runMain, table, verdict, fmt } from './bench-support';
import { openMigrated } from './seed-ledger';

const URL_ = process.env.BENCH_SEARCH_DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/bench_search';
const SUPPORTERS = Number(process.env.BENCH_SUPPORTERS || 100_000);
const QUERIES = Number(process.env.BENCH_SEARCH_QUERIES || 300);
const TARGET_P95_MS = 50;
const PASSWORD = 'bench-search-password-2026';

const GIVEN = [
  'Gwen',
  'Robin',
  'Ana',
  'Mei',
  'Tom',
  'Priya',
  'Liam',
  'Zoe',
  'Omar',
  'Kate',
  'Jack',
  'Nia',
  'Sam',
  'Ivy',
  'Noah',
  'Ruth',
];
const SURNAMES = 200; // Surname0 … : `s${i % 200}` spelled out below
const STREETS = ['Wattle', 'Banksia', 'Caller', 'Harbour', 'Station', 'Church', 'Mill', 'Ocean', 'Bridge', 'Kurrajong'];
const KINDS = ['Street', 'Road', 'Lane', 'Avenue'];
const CITIES = ['Hobart', 'Wagga Wagga', 'Orange', 'Ballarat', 'Cairns', 'Bendigo', 'Dubbo', 'Albany'];

/** The seed's i-th supporter, as the SQL below builds it (to know what to look for). */
function person(i: number) {
  const given = GIVEN[i % GIVEN.length];
  const surname = `Family${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}${Math.floor(i / 676) % SURNAMES}`;
  const digits = String(i).padStart(7, '0');
  return {
    name: `${given} ${surname}`,
    email: `reader${i}@example.org`,
    mobile: `041${digits}`,
    e164: `+6141${digits}`,
    postcode: String(2000 + (i % 2000)),
    street: `${(i % 150) + 1} ${STREETS[i % STREETS.length]}`,
  };
}

async function freshDatabase(): Promise<void> {
  const url = new URL(URL_);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error('BENCH_SEARCH_DATABASE_URL names no database');
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

async function seed(): Promise<number> {
  const ds = await openMigrated(URL_);
  try {
    const t0 = performance.now();
    const given = `(ARRAY[${GIVEN.map((g) => `'${g}'`).join(',')}])[i % ${GIVEN.length} + 1]`;
    const surname = `'Family' || chr(97 + i % 26) || chr(97 + (i / 26) % 26) || ((i / 676) % ${SURNAMES})`;
    const street = `((i % 150) + 1) || ' ' || (ARRAY[${STREETS.map((s) => `'${s}'`).join(',')}])[i % ${STREETS.length} + 1] || ' ' || (ARRAY[${KINDS.map((s) => `'${s}'`).join(',')}])[i % ${KINDS.length} + 1]`;
    const city = `(ARRAY[${CITIES.map((s) => `'${s}'`).join(',')}])[i % ${CITIES.length} + 1]`;
    await ds.query(`CREATE TEMP TABLE seeded (i int PRIMARY KEY, id uuid NOT NULL DEFAULT gen_random_uuid())`);
    await ds.query(`INSERT INTO seeded (i) SELECT generate_series(0, $1 - 1)`, [SUPPORTERS]);
    await ds.query(
      `INSERT INTO supporters (id, name, email, phone, address, created_at)
       SELECT id, ${given} || ' ' || ${surname}, 'reader' || i || '@example.org', '041' || lpad(i::text, 7, '0'),
              jsonb_build_object('line1', ${street}, 'city', ${city}, 'state', 'NSW', 'postalCode', (2000 + i % 2000)::text, 'country', 'AU'),
              now() - make_interval(mins => i)
         FROM seeded`,
    );
    await ds.query(
      `INSERT INTO supporter_phones (supporter_id, position, number, e164)
       SELECT id, 0, '041' || substr(lpad(i::text, 7, '0'), 1, 1) || ' ' || substr(lpad(i::text, 7, '0'), 2, 3) || ' ' || substr(lpad(i::text, 7, '0'), 5, 3),
              '+6141' || lpad(i::text, 7, '0') FROM seeded
       UNION ALL
       SELECT id, 1, '02 55' || lpad((i / 10)::text, 2, '0') || ' ' || lpad((i % 10000)::text, 4, '0'),
              '+61255' || lpad((i / 10)::text, 2, '0') || lpad((i % 10000)::text, 4, '0') FROM seeded WHERE i % 10 = 0 AND i < 1000`,
    );
    await ds.query(
      `INSERT INTO supporter_email_history (supporter_id, email) SELECT id, 'old.reader' || i || '@example.net' FROM seeded WHERE i % 20 = 0`,
    );
    await ds.query(
      `INSERT INTO subscriptions (supporter_id, kind, billing, tier_code, amount, currency, status, current_period_start, current_period_end, delivery_address)
       SELECT id, 'subscription', 'prepaid', 'print', 12000, 'AUD', 'active', now() - interval '1 month', now() + interval '11 months',
              jsonb_build_object('line1', ((i % 90) + 1) || ' ' || (ARRAY[${STREETS.map((s) => `'${s}'`).join(',')}])[(i + 3) % ${STREETS.length} + 1] || ' Road',
                                 'city', ${city}, 'state', 'VIC', 'postalCode', (3000 + i % 1000)::text, 'country', 'AU')
         FROM seeded WHERE i % 5 = 0`,
    );
    await ds.query(`ANALYZE`);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM supporters`);
    log(`seeded ${fmt(n)} supporters in ${round((performance.now() - t0) / 1000, 1)} s`);
    return n;
  } finally {
    await ds.destroy();
  }
}

type Kind = 'email' | 'phone e164' | 'phone spaced' | 'phone digits' | 'name prefix' | 'postcode' | 'street';

/** A query of each kind for the i-th supporter, and whom the answer must contain (null: any answer). */
function queryFor(kind: Kind, i: number): { q: string; expect: string | null } {
  const p = person(i);
  switch (kind) {
    case 'email':
      return { q: p.email, expect: p.email };
    case 'phone e164':
      return { q: p.e164, expect: p.email };
    case 'phone spaced':
      return { q: `${p.mobile.slice(0, 4)} ${p.mobile.slice(4, 7)} ${p.mobile.slice(7)}`, expect: p.email };
    case 'phone digits':
      return { q: p.mobile, expect: p.email };
    case 'name prefix': {
      const [g, s] = p.name.split(' ');
      return { q: `${g.toLowerCase()} ${s.slice(0, s.length - 1).toLowerCase()}`, expect: null };
    }
    case 'postcode':
      return { q: i % 2 ? p.postcode : String(3000 + (i % 1000)), expect: null };
    case 'street':
      return { q: p.street.toLowerCase(), expect: null };
  }
}

async function main(): Promise<void> {
  log(
    `search bench: ${URL_.replace(/\/\/[^@/]*@/, '//…@')}, ${fmt(SUPPORTERS)} supporters, ${QUERIES} queries per kind`,
  );
  await freshDatabase();
  const seeded = await seed();

  // No Stripe key: the simulator, in this process (the search never calls Stripe).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: URL_,
    LOG_LEVEL: 'warn',
    STRIPE_SIMULATOR_PORT: '0',
    PORT: '0',
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    RATE_LIMIT_PER_MINUTE: '0',
  };
  delete env.STRIPE_SECRET_KEY;
  delete env.STRIPE_WEBHOOK_SECRET;
  delete env.STRIPE_API_URL;
  const config = loadConfig(env as Record<string, string>);
  const app: NestFastifyApplication = await createApp(config);
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.getHttpServer().address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    const email = 'bench-phone@example.org';
    await app
      .get(StaffService)
      .create({ email, name: 'Bench', role: 'phone' }, PASSWORD, { staffId: null, label: 'bench' });
    const login = await request(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.body}`);
    const token = (JSON.parse(login.body) as { accessToken: string }).accessToken;
    const search = async (q: string) => {
      const t0 = performance.now();
      const res = await request(`${base}/api/supporters?q=${encodeURIComponent(q)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`GET /api/supporters?q=${q} answered ${res.status}: ${res.body}`);
      return { ms, found: JSON.parse(res.body) as Array<{ email: string | null }> };
    };

    const kinds: Kind[] = ['email', 'phone e164', 'phone spaced', 'phone digits', 'name prefix', 'postcode', 'street'];
    // Warm-up: the connection pool, the plans, the caches.
    for (let i = 0; i < 50; i++) await search(queryFor(kinds[i % kinds.length], (i * 7919) % seeded).q);

    const times = new Map<Kind, number[]>(kinds.map((k) => [k, []]));
    const empty = new Map<Kind, number>(kinds.map((k) => [k, 0]));
    // Interleaved, so that no kind has the caches to itself.
    for (let n = 0; n < QUERIES; n++) {
      for (const kind of kinds) {
        const i = (n * 104729 + kinds.indexOf(kind) * 7) % seeded;
        const { q, expect } = queryFor(kind, i);
        const { ms, found } = await search(q);
        times.get(kind)!.push(ms);
        if (expect ? found[0]?.email !== expect : !found.length) {
          if (expect) throw new Error(`"${q}" (${kind}) did not find ${expect} first: ${JSON.stringify(found[0])}`);
          empty.set(kind, empty.get(kind)! + 1);
        }
      }
    }
    const rows: string[][] = [['query', 'p50 ms', 'p95 ms', 'p99 ms', 'target p95', '']];
    const all: number[] = [];
    for (const kind of kinds) {
      const sorted = [...times.get(kind)!].sort((a, b) => a - b);
      all.push(...sorted);
      const p95 = percentile(sorted, 95);
      const misses = empty.get(kind)! ? ` (${empty.get(kind)} empty)` : '';
      rows.push([
        kind + misses,
        String(round(percentile(sorted, 50), 2)),
        String(round(p95, 2)),
        String(round(percentile(sorted, 99), 2)),
        `≤ ${TARGET_P95_MS}`,
        verdict(p95 <= TARGET_P95_MS),
      ]);
    }
    all.sort((a, b) => a - b);
    rows.push([
      'all',
      String(round(percentile(all, 50), 2)),
      String(round(percentile(all, 95), 2)),
      String(round(percentile(all, 99), 2)),
      `≤ ${TARGET_P95_MS}`,
      verdict(percentile(all, 95) <= TARGET_P95_MS),
    ]);
    log(`\nGET /api/supporters?q= at ${fmt(seeded)} supporters, ${QUERIES} queries per kind, one at a time:\n`);
    log(table(rows));
  } finally {
    await app.close();
  }
}

runMain(main);
