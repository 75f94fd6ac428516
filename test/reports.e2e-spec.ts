import { todayIn } from '@app/reports';
import fc from 'fast-check';
import { Client } from 'pg';
import { parseCsv } from './support/csv';
import { startTestApp, type TestContext } from './support/test-app';
import { signedIn } from './support/staff';

/**
 * Finance reports against the ledger itself: every figure is checked against an oracle
 * computed here in JavaScript from the raw entries (local dates through Intl, not SQL).
 */

const ZONE = 'Australia/Sydney';
const KINDS = ['payment', 'fee', 'refund', 'dispute', 'dispute_reversal', 'reversal'] as const;
const TYPES = ['donation', 'monthly_donation', 'subscription', 'prepaid_subscription'] as const;
const CHANNELS = ['online', 'phone'] as const;

interface Entry {
  kind: (typeof KINDS)[number];
  type: (typeof TYPES)[number];
  channel: (typeof CHANNELS)[number];
  gross: number;
  fee: number;
  occurredAt: Date;
}

/** The oracle's local date (Intl, in JavaScript; the reports cut days in SQL). */
const localDate = (d: Date) => todayIn(ZONE, d);

/** What each kind contributes, as finance reads it (the oracle for the service's addKind). */
function figuresOf(entries: Entry[]) {
  const f = {
    gross: 0,
    fees: 0,
    net: 0,
    refunds: 0,
    corrections: 0,
    disputes: 0,
    payments: 0,
    refundCount: 0,
    disputeCount: 0,
    correctionCount: 0,
  };
  for (const e of entries) {
    f.fees += e.fee;
    f.net += e.gross - e.fee;
    if (e.kind === 'payment') {
      f.gross += e.gross;
      f.payments++;
    }
    if (e.kind === 'refund') {
      f.refunds -= e.gross;
      f.refundCount++;
    }
    // A reversal corrects an entry made in error: out of gross, shown as a correction, not a refund.
    if (e.kind === 'reversal') {
      f.gross += e.gross;
      f.corrections -= e.gross;
      f.correctionCount++;
    }
    if (e.kind === 'dispute') {
      f.disputes -= e.gross;
      f.disputeCount++;
    }
    if (e.kind === 'dispute_reversal') f.disputes -= e.gross;
  }
  return f;
}

const entryArb: fc.Arbitrary<Entry> = fc
  .record({
    kind: fc.constantFrom(...KINDS),
    type: fc.constantFrom(...TYPES),
    channel: fc.constantFrom(...CHANNELS),
    amount: fc.integer({ min: 1, max: 5_000_000 }),
    feeCents: fc.integer({ min: 0, max: 3000 }),
    // 2025-01-01 .. 2027-01-01, at any millisecond: day boundaries and both DST changes included.
    at: fc.integer({ min: Date.UTC(2024, 11, 31, 12), max: Date.UTC(2027, 0, 1, 12) }),
  })
  .map(({ kind, type, channel, amount, feeCents, at }) => {
    const gross = kind === 'payment' || kind === 'dispute_reversal' ? amount : kind === 'fee' ? 0 : -amount;
    const fee =
      kind === 'fee'
        ? Math.max(feeCents, 1)
        : kind === 'reversal'
          ? -Math.min(feeCents, amount)
          : Math.min(feeCents, Math.abs(gross));
    return { kind, type, channel, gross, fee, occurredAt: new Date(at) };
  });

describe('finance reports: exact to the cent, in the organisation time zone', () => {
  let t: TestContext;
  let finance: string;
  let seq = 0;
  const all: Entry[] = [];

  const insert = async (entries: Entry[]) => {
    for (let i = 0; i < entries.length; i += 500) {
      const chunk = entries.slice(i, i + 500);
      const params: unknown[] = [];
      const values = chunk.map((e) => {
        params.push(
          `test:${++seq}`,
          e.kind,
          e.type,
          e.channel,
          e.channel === 'online' ? 'card' : 'cash',
          e.gross,
          e.fee,
          e.gross - e.fee,
          e.occurredAt,
        );
        const n = params.length;
        return `($${n - 8}, $${n - 7}, $${n - 6}, $${n - 5}, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, 'AUD', $${n})`;
      });
      await t.query(
        `INSERT INTO ledger_entries (idempotency_key, kind, type, channel, method, gross, fee, net, currency, occurred_at) VALUES ${values.join(', ')}`,
        params,
      );
    }
    all.push(...entries);
  };
  const summary = async (from: string, to: string, interval: string) =>
    (await t.http.get('/api/reports/summary').query({ from, to, interval }).set('authorization', finance).expect(200))
      .body;

  beforeAll(async () => {
    t = await startTestApp({ REPORT_TIME_ZONE: ZONE });
    finance = await signedIn(t, 'finance');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an entry at 23:30 on the last day of a month counts in that month, across both daylight-saving changes', async () => {
    const at = (iso: string) => ({
      kind: 'payment' as const,
      type: 'donation' as const,
      channel: 'phone' as const,
      gross: 100,
      fee: 0,
      occurredAt: new Date(iso),
    });
    await insert([
      at('2026-03-31T12:30:00Z'), // 23:30 AEDT (+11) on 31 March: March, though DST ends on 5 April
      at('2026-03-31T13:30:00Z'), // 00:30 on 1 April: April
      at('2026-04-30T13:30:00Z'), // 23:30 AEST (+10) on 30 April, after the change: April
      at('2026-09-30T13:30:00Z'), // 23:30 AEST on 30 September: September
      at('2026-10-31T12:30:00Z'), // 23:30 AEDT (+11) on 31 October, after DST began on 4 October: October
      at('2026-10-31T13:30:00Z'), // 00:30 on 1 November: November
    ]);
    const report = await summary('2026-03-01', '2026-11-30', 'month');
    const gross = Object.fromEntries(report.periods.map((p: { period: string; gross: number }) => [p.period, p.gross]));
    expect(gross).toEqual({
      '2026-03': 100,
      '2026-04': 200,
      '2026-05': 0,
      '2026-06': 0,
      '2026-07': 0,
      '2026-08': 0,
      '2026-09': 100,
      '2026-10': 100,
      '2026-11': 100,
    });
    // By day too: 31 March holds its 23:30 entry, 1 April its 00:30 one.
    const days = await summary('2026-03-31', '2026-04-01', 'day');
    expect(days.periods.map((p: { period: string; payments: number }) => [p.period, p.payments])).toEqual([
      ['2026-03-31', 1],
      ['2026-04-01', 1],
    ]);
    expect(report.timeZone).toBe(ZONE);
    // The CSV holds the same money, one line per period, type and channel.
    const csv = parseCsv(
      (
        await t.http
          .get('/api/reports/summary.csv')
          .query({ from: '2026-03-01', to: '2026-11-30', interval: 'month' })
          .set('authorization', finance)
          .expect(200)
      ).text,
    );
    const [header, ...lines] = csv;
    expect(header).toEqual([
      'period',
      'start',
      'end',
      'type',
      'channel',
      'currency',
      'gross',
      'fees',
      'net',
      'refunds',
      'disputes',
      'payments',
      'refund_count',
      'dispute_count',
      'corrections',
      'correction_count',
    ]);
    const byPeriod: Record<string, number> = {};
    for (const l of lines) byPeriod[l[0]] = (byPeriod[l[0]] ?? 0) + Number(l[6]);
    expect(byPeriod).toEqual(Object.fromEntries(Object.entries(gross).filter(([, g]) => g !== 0)));
  });

  it('property: every period and the totals equal the sum of the ledger entries in range (random entries, ranges, intervals)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entryArb, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 700 }),
        fc.integer({ min: 0, max: 400 }),
        fc.constantFrom('day', 'week', 'month'),
        async (entries, startOffset, length, interval) => {
          await insert(entries);
          const from = new Date(Date.UTC(2025, 0, 1) + startOffset * 86_400_000).toISOString().slice(0, 10);
          const to = new Date(
            Date.UTC(2025, 0, 1) + (startOffset + (interval === 'day' ? Math.min(length, 60) : length)) * 86_400_000,
          )
            .toISOString()
            .slice(0, 10);
          const report = await summary(from, to, interval);
          const inRange = all.filter((e) => localDate(e.occurredAt) >= from && localDate(e.occurredAt) <= to);
          const { byType, byChannel, ...totals } = report.totals;
          expect(totals).toEqual(figuresOf(inRange));
          for (const type of TYPES) expect(byType[type]).toEqual(figuresOf(inRange.filter((e) => e.type === type)));
          for (const channel of CHANNELS) {
            expect(byChannel[channel]).toEqual(figuresOf(inRange.filter((e) => e.channel === channel)));
          }
          // Each period: the entries whose local date falls in it; periods tile the range.
          for (const p of report.periods) {
            const { byType: _t, byChannel: _c, period: _p, start, end, ...figures } = p;
            expect(figures).toEqual(
              figuresOf(inRange.filter((e) => localDate(e.occurredAt) >= start && localDate(e.occurredAt) <= end)),
            );
          }
          expect(report.periods[0].start).toBe(from);
          expect(report.periods[report.periods.length - 1].end).toBe(to);
          expect(report.totals.net).toBe(
            report.totals.gross - report.totals.refunds - report.totals.disputes - report.totals.fees,
          );
          // One channel only (the console's filter): the same figures from that channel's entries alone.
          for (const channel of CHANNELS) {
            const one = (
              await t.http
                .get('/api/reports/summary')
                .query({ from, to, interval, channel })
                .set('authorization', finance)
                .expect(200)
            ).body;
            const mine = inRange.filter((e) => e.channel === channel);
            const { byType: _ot, byChannel: oneByChannel, ...oneTotals } = one.totals;
            expect(oneTotals).toEqual(figuresOf(mine));
            for (const c of CHANNELS) {
              expect(oneByChannel[c] ?? figuresOf([])).toEqual(figuresOf(c === channel ? mine : []));
            }
            for (const p of one.periods) {
              const { byType: _t, byChannel: _c, period: _p, start, end, ...figures } = p;
              expect(figures).toEqual(
                figuresOf(mine.filter((e) => localDate(e.occurredAt) >= start && localDate(e.occurredAt) <= end)),
              );
            }
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  /** The ledger regrouped by the day totals' key, in `zone`. */
  const regroup = (zone: string) =>
    t.query(
      `SELECT currency, (occurred_at AT TIME ZONE $1)::date::text AS day, type, channel, kind, sum(gross)::text AS gross, sum(fee)::text AS fee, sum(net)::text AS net, count(*)::text AS entries
         FROM ledger_entries GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
      [zone],
    );
  /** The day totals summed over their slots (each counter is spread over several rows). */
  const rollups = () =>
    t.query(
      `SELECT currency, day::text AS day, type, channel, kind, sum(gross)::text AS gross, sum(fee)::text AS fee, sum(net)::text AS net, sum(entries)::text AS entries
         FROM ledger_daily_totals GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    );
  const campaignRollups = () =>
    t.query(
      `SELECT campaign_id, type, sum(raised)::text AS raised, sum(entries)::text AS entries FROM campaign_totals GROUP BY 1, 2 ORDER BY 1, 2`,
    );
  const campaignRegroup = () =>
    t.query(
      `SELECT campaign_id, type, sum(gross)::text AS raised, count(*)::text AS entries FROM ledger_entries WHERE campaign_id IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
    );

  it('the roll-ups equal a full regroup of the ledger, and rebuilding them in another time zone moves the day boundaries', async () => {
    expect(await rollups()).toEqual(await regroup(ZONE));
    expect(await campaignRollups()).toEqual(await campaignRegroup());
    try {
      await t.query(`UPDATE report_settings SET time_zone = 'UTC'`);
      await t.query(`SELECT ledger_rollups_rebuild()`);
      expect(await rollups()).toEqual(await regroup('UTC'));
      expect(await rollups()).not.toEqual(await regroup(ZONE));
    } finally {
      await t.query(`UPDATE report_settings SET time_zone = $1`, [ZONE]);
      await t.query(`SELECT ledger_rollups_rebuild()`);
    }
    expect(await rollups()).toEqual(await regroup(ZONE));
    expect(await campaignRollups()).toEqual(await campaignRegroup());
    // The rebuild writes every counter into slot 0.
    expect(
      await t.query(`SELECT DISTINCT slot FROM ledger_daily_totals UNION SELECT DISTINCT slot FROM campaign_totals`),
    ).toEqual([{ slot: 0 }]);
  });

  // The embedded database runs one transaction at a time, so there is nothing to show there.
  (process.env.DATABASE_URL ? it : it.skip)(
    'concurrent transactions on two connections record payments for the same day, type, channel, kind and campaign without waiting for each other',
    async () => {
      const clients: Client[] = [];
      const bySlot = new Map<number, Client>();
      try {
        // Two connections whose backends write different roll-up slots (pid modulo 16).
        while (bySlot.size < 2) {
          const c = new Client({ connectionString: t.config.DATABASE_URL });
          await c.connect();
          clients.push(c);
          const { rows } = await c.query<{ slot: number }>(`SELECT pg_backend_pid() % 16 AS slot`);
          if (!bySlot.has(rows[0].slot)) bySlot.set(rows[0].slot, c);
        }
        const [first, second] = [...bySlot.values()];
        const pay = (c: Client, key: string) =>
          c.query(
            `INSERT INTO ledger_entries (idempotency_key, kind, type, channel, method, gross, fee, net, currency, occurred_at, campaign_id)
           VALUES ($1, 'payment', 'donation', 'online', 'card', 2500, 75, 2425, 'AUD', '2026-06-20T02:00:00Z', (SELECT id FROM campaigns WHERE is_current))`,
            [key],
          );
        await first.query('BEGIN');
        await second.query('BEGIN');
        // Waiting on the first transaction's roll-up rows would be an error here, not a hang.
        await second.query(`SET LOCAL lock_timeout = '2s'`);
        await pay(first, 'test:concurrent-1');
        await pay(second, 'test:concurrent-2'); // while the first is still open
        await first.query('COMMIT');
        await second.query('COMMIT');
      } finally {
        await Promise.all(clients.map((c) => c.end())); // rolls back whatever is still open
      }
      const [slotA, slotB] = [...bySlot.keys()];
      const slots = await t.query<{ slot: number }>(
        `SELECT slot FROM ledger_daily_totals WHERE currency = 'AUD' AND day = '2026-06-20' AND type = 'donation' AND channel = 'online' AND kind = 'payment'`,
      );
      expect(slots.map((r) => r.slot)).toEqual(expect.arrayContaining([slotA, slotB]));
      expect(await rollups()).toEqual(await regroup(ZONE));
      expect(await campaignRollups()).toEqual(await campaignRegroup());
    },
  );

  it('the ledger CSV parses back to the same count and totals as the ledger, and guards spreadsheet formulas', async () => {
    const [supporter] = await t.query<{ id: string }>(
      `INSERT INTO supporters (email, name) VALUES ('formula@example.com', 'Formula') RETURNING id`,
    );
    await t.query(
      `INSERT INTO ledger_entries (idempotency_key, kind, type, channel, method, gross, fee, net, currency, occurred_at, supporter_id, description, reference)
       VALUES ('test:csv-1', 'payment', 'donation', 'phone', 'cheque', 4321, 0, 4321, 'AUD', '2026-06-15T02:00:00Z', $1, 'Cheque, "urgent"' || chr(10) || 'second line', '+61 400 000 000'),
              ('test:csv-2', 'payment', 'donation', 'phone', 'cheque', 1234, 0, 1234, 'AUD', '2026-06-15T03:00:00Z', $1, '=HYPERLINK("http://evil","x")', 'R-2')`,
      [supporter.id],
    );
    const res = await t.http
      .get('/api/reports/ledger.csv')
      .query({ from: '2025-01-01', to: '2026-12-31' })
      .set('authorization', finance)
      .buffer(true)
      .parse((r, cb) => {
        let data = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (data += c));
        r.on('end', () => cb(null, data));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="ledger-2025-01-01-2026-12-31.csv"');
    const rows = parseCsv(res.body as string);
    const header = rows.shift()!;
    expect(header.slice(0, 11)).toEqual([
      'id',
      'occurred_at',
      'local_date',
      'kind',
      'type',
      'channel',
      'method',
      'currency',
      'gross',
      'fee',
      'net',
    ]);
    const col = (name: string) => header.indexOf(name);
    const [expected] = await t.query<{ n: string; gross: string; fee: string; net: string }>(
      `SELECT count(*) AS n, sum(gross) AS gross, sum(fee) AS fee, sum(net) AS net FROM ledger_entries
        WHERE occurred_at >= ('2025-01-01'::timestamp AT TIME ZONE $1) AND occurred_at < ('2027-01-01'::timestamp AT TIME ZONE $1)`,
      [ZONE],
    );
    expect(rows).toHaveLength(Number(expected.n));
    const sum = (name: string) => rows.reduce((a, r) => a + Number(r[col(name)]), 0);
    expect({ gross: sum('gross'), fee: sum('fee'), net: sum('net') }).toEqual({
      gross: Number(expected.gross),
      fee: Number(expected.fee),
      net: Number(expected.net),
    });
    // Oldest first; local dates in the organisation's zone.
    const times = rows.map((r) => r[col('occurred_at')]);
    expect([...times].sort()).toEqual(times);
    const utc = (text: string) => new Date(text.replace(' ', 'T').replace(/\+00$/, 'Z'));
    for (const r of rows.slice(0, 50)) expect(r[col('local_date')]).toBe(localDate(utc(r[col('occurred_at')])));
    const mine = rows.find((r) => r[col('gross')] === '4321')!;
    expect(mine[col('occurred_at')]).toBe('2026-06-15 02:00:00+00');
    expect(mine[col('supporter_id')]).toBe(supporter.id);
    expect(mine[col('reference')]).toBe(`'+61 400 000 000`);
    expect(mine[col('description')]).toBe('Cheque, "urgent"\nsecond line');
    expect(rows.find((r) => r[col('gross')] === '1234')![col('description')]).toBe(`'=HYPERLINK("http://evil","x")`);
  });

  it('bad report queries are 400s naming the field, and reports need finance or admin', async () => {
    const bad = async (query: Record<string, string>, field: string) => {
      const res = await t.http.get('/api/reports/summary').query(query).set('authorization', finance).expect(400);
      expect(JSON.stringify(res.body)).toContain(field);
    };
    await bad({ from: '2026-02-30', to: '2026-03-01', interval: 'day' }, 'from');
    await bad({ from: '2026-01-01', to: '2025-01-01', interval: 'day' }, 'to');
    await bad({ from: '2026-01-01', to: '2026-02-01', interval: 'fortnight' }, 'interval');
    await bad({ from: '2020-01-01', to: '2026-01-01', interval: 'day' }, 'interval');
    await bad({ to: '2026-01-01', interval: 'day' }, 'from');
    await bad({ from: '2026-01-01', to: '2026-01-31', interval: 'day', channel: 'post' }, 'channel');
    await t.http
      .get('/api/reports/summary')
      .query({ from: '2026-01-01', to: '2026-01-31', interval: 'day' })
      .expect(401);
    const phone = await signedIn(t, 'phone');
    await t.http
      .get('/api/reports/summary')
      .query({ from: '2026-01-01', to: '2026-01-31', interval: 'day' })
      .set('authorization', phone)
      .expect(403);
  });
});

describe('recurring revenue, supporters and the print mailing list', () => {
  let t: TestContext;
  let finance: string;

  beforeAll(async () => {
    t = await startTestApp({ REPORT_TIME_ZONE: ZONE, PAST_DUE_GRACE_DAYS: '7' });
    finance = await signedIn(t, 'finance');
  });
  afterAll(async () => {
    await t?.close();
  });

  const get = async (path: string, query: Record<string, string | number> = {}) =>
    await t.http.get(path).query(query).set('authorization', finance).expect(200);
  const supporter = async (name: string) =>
    (
      await t.query<{ id: string }>(`INSERT INTO supporters (email, name) VALUES ($1, $2) RETURNING id`, [
        `${name.toLowerCase()}@example.com`,
        name,
      ])
    )[0].id;
  const address = { line1: '1 Printing Lane', city: 'Sydney', state: 'NSW', postalCode: '2000', country: 'AU' };
  const subscription = async (s: {
    who: string;
    kind?: string;
    tier: string | null;
    billing?: string;
    amount: number;
    status: string;
    created: string;
    ended?: string;
    periodStart?: string;
    periodEnd?: string;
    pastDueSince?: string;
    address?: object;
  }) => {
    await t.query(
      `INSERT INTO subscriptions (supporter_id, kind, billing, tier_code, amount, currency, status, stripe_subscription_id, created_at, ended_at, current_period_start, current_period_end, past_due_since, delivery_address)
       VALUES ($1, $2, $3, $4, $5, 'AUD', $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        await supporter(s.who),
        s.kind ?? 'subscription',
        s.billing ?? 'monthly',
        s.tier,
        s.amount,
        s.status,
        s.billing === 'prepaid' ? null : `sub_${s.who}`,
        s.created,
        s.ended ?? null,
        s.periodStart ?? s.created,
        s.periodEnd ?? null,
        s.pastDueSince ?? null,
        s.address ? JSON.stringify(s.address) : null,
      ],
    );
  };
  const soon = new Date(Date.now() + 10 * 86_400_000).toISOString();

  it('counts subscribers by tier and monthly donors, the monthly equivalent, and started, ended and churn per local month', async () => {
    await subscription({
      who: 'PrintOne',
      tier: 'print',
      amount: 1000,
      status: 'active',
      created: '2026-01-10T01:00:00Z',
      periodEnd: soon,
      address,
    });
    await subscription({
      who: 'PrintLate',
      tier: 'print',
      amount: 1000,
      status: 'past_due',
      created: '2025-12-01T01:00:00Z',
      periodEnd: '2026-10-01T00:00:00Z',
      pastDueSince: '2026-10-01T00:00:00Z',
      address,
    });
    await subscription({
      who: 'PrintGone',
      tier: 'print',
      amount: 1000,
      status: 'canceled',
      created: '2025-11-01T01:00:00Z',
      ended: '2026-03-15T01:00:00Z',
      address,
    });
    await subscription({
      who: 'DigitalYear',
      tier: 'digital',
      billing: 'prepaid',
      amount: 6000,
      status: 'active',
      created: '2026-02-01T01:00:00Z',
      periodStart: '2026-02-01T01:00:00Z',
      periodEnd: '2027-02-01T01:00:00Z',
    });
    await subscription({
      who: 'Giver',
      kind: 'monthly_donation',
      tier: null,
      amount: 750,
      status: 'active',
      created: '2026-01-20T01:00:00Z',
      periodEnd: soon,
    });
    await subscription({
      who: 'DigitalBrief',
      tier: 'digital',
      amount: 500,
      status: 'canceled',
      created: '2026-02-03T01:00:00Z',
      ended: '2026-02-20T01:00:00Z',
    });
    // Started at 23:30 on 31 March Sydney time (12:30 UTC): March, not April.
    await subscription({
      who: 'LateMarch',
      tier: 'digital',
      amount: 500,
      status: 'active',
      created: '2026-03-31T12:30:00Z',
      periodEnd: soon,
    });

    const r = (await get('/api/reports/recurring', { from: '2026-01-01', to: '2026-04-30' })).body;
    expect(r.subscribers.byTier).toEqual([
      { tier: 'digital', monthly: 1, prepaid: 1, total: 2, mrr: 500 + 500 },
      { tier: 'print', monthly: 2, prepaid: 0, total: 2, mrr: 2000 },
    ]);
    expect(r.monthlyDonors).toEqual({ total: 1, mrr: 750 });
    expect(r.mrr).toEqual({ subscriptions: 3000, monthlyDonations: 750, total: 3750 });
    const months = r.months.map(
      (m: {
        month: string;
        activeAtStart: number;
        started: number;
        ended: number;
        activeAtEnd: number;
        churnRate: number;
        mrrAtEnd: number;
      }) => [m.month, m.activeAtStart, m.started, m.ended, m.activeAtEnd, m.churnRate, m.mrrAtEnd],
    );
    // MRR at each month's end: January 3 print + the monthly giver; February adds the prepaid year
    // (6000 over 12 months) while DigitalBrief came and went; March loses PrintGone, gains LateMarch.
    expect(months).toEqual([
      ['2026-01', 2, 2, 0, 4, 0, 3750],
      ['2026-02', 4, 2, 1, 5, 25, 4250],
      ['2026-03', 5, 1, 1, 5, 20, 3750],
      ['2026-04', 5, 0, 0, 5, 0, 3750],
    ]);
    const csv = parseCsv((await get('/api/reports/recurring.csv', { from: '2026-01-01', to: '2026-04-30' })).text);
    expect(csv[0]).toEqual([
      'month',
      'segment',
      'active_at_start',
      'started',
      'ended',
      'active_at_end',
      'churn_rate_percent',
      'mrr_at_end',
    ]);
    expect(csv.filter((row) => row[1] === 'all').map((row) => row.slice(2).map(Number))).toEqual(
      months.map((m: number[]) => m.slice(1)),
    );
  });

  it('the print mailing list: entitled print subscribers with their addresses, as JSON and CSV', async () => {
    const list = (await get('/api/reports/print-mailing-list')).body;
    expect(list.map((s: { name: string }) => s.name)).toEqual(['PrintOne']); // PrintLate is past its grace, PrintGone cancelled
    expect(list[0]).toMatchObject({ tier: 'print', address, status: 'active' });
    const csv = parseCsv((await get('/api/reports/print-mailing-list.csv')).text);
    expect(csv).toHaveLength(2);
    const [header, row] = csv;
    expect(Object.fromEntries(header.map((h, i) => [h, row[i]]))).toMatchObject({
      name: 'PrintOne',
      line1: '1 Printing Lane',
      city: 'Sydney',
      state: 'NSW',
      postal_code: '2000',
      country: 'AU',
    });
  });

  it('supporters: givers, new and returning per month; top supporters; lapsed (gave last year, not this)', async () => {
    const pay = async (who: string, gross: number, at: string, kind = 'payment') =>
      t.query(
        `INSERT INTO ledger_entries (idempotency_key, kind, type, channel, method, gross, fee, net, currency, occurred_at, supporter_id)
         VALUES ($1, $2, 'donation', 'phone', 'cash', $3, 0, $3, 'AUD', $4, (SELECT id FROM supporters WHERE name = $5))`,
        [`test:${who}:${at}:${kind}`, kind, gross, at, who],
      );
    for (const who of ['Xavier', 'Yolanda', 'Zed', 'Wendy']) await supporter(who);
    await pay('Xavier', 5000, '2025-03-10T01:00:00Z');
    await pay('Xavier', 2000, '2026-02-10T01:00:00Z');
    await pay('Yolanda', 9000, '2025-05-10T01:00:00Z'); // lapsed in 2026
    await pay('Zed', 3000, '2026-02-11T01:00:00Z'); // new in February
    await pay('Zed', -1000, '2026-02-12T01:00:00Z', 'refund');
    await pay('Wendy', 1500, '2026-02-28T13:30:00Z'); // 00:30 on 1 March in Sydney: new in March
    const r = (
      await get('/api/reports/supporters', { from: '2026-01-01', to: '2026-03-31', interval: 'month', top: 2 })
    ).body;
    expect(
      r.periods.map((p: { period: string; givers: number; new: number; returning: number }) => [
        p.period,
        p.givers,
        p.new,
        p.returning,
      ]),
    ).toEqual([
      ['2026-01', 0, 0, 0],
      ['2026-02', 2, 1, 1],
      ['2026-03', 1, 1, 0],
    ]);
    expect(r.top.map((s: { given: number }) => s.given)).toEqual([2000, 2000]);
    expect(r.top.map((s: { name: string }) => s.name).sort()).toEqual(['Xavier', 'Zed']);
    expect(r.lapsed).toEqual({ year: 2026, gaveIn: 2025, count: 1 });
    const lapsed = (await get('/api/reports/lapsed-supporters', { year: 2026 })).body;
    expect(lapsed).toEqual([expect.objectContaining({ name: 'Yolanda', givenLastYear: 9000, gifts: 1 })]);
    const csv = parseCsv((await get('/api/reports/lapsed-supporters.csv', { year: 2026 })).text);
    expect(csv.map((row) => row[1])).toEqual(['name', 'Yolanda']);
    expect(
      parseCsv(
        (await get('/api/reports/supporters.csv', { from: '2026-01-01', to: '2026-03-31', interval: 'month' })).text,
      )[2],
    ).toEqual(['2026-02', '2026-02-01', '2026-02-28', '2', '1', '1']);
    expect(
      parseCsv(
        (
          await get('/api/reports/top-supporters.csv', {
            from: '2026-01-01',
            to: '2026-03-31',
            interval: 'month',
            top: 3,
          })
        ).text,
      ),
    ).toHaveLength(4);
  });

  it('supporters reports: a payment given back in full (refund, reversal, lost dispute) makes nobody a giver, new, top or lapsed; partial refunds and won disputes still count', async () => {
    /** One entry of `who`'s; `reverses` links a refund, reversal or dispute to its payment, as the service does. */
    const entry = async (who: string, kind: string, gross: number, at: string, reverses?: string) =>
      (
        await t.query<{ id: string }>(
          `INSERT INTO ledger_entries (idempotency_key, kind, type, channel, method, gross, fee, net, currency, occurred_at, supporter_id, reverses_entry_id)
         VALUES ($1, $2, 'donation', 'phone', 'cash', $3, 0, $3, 'AUD', $4, (SELECT id FROM supporters WHERE name = $5), $6) RETURNING id`,
          [`test:back:${who}:${kind}:${at}`, kind, gross, at, who, reverses ?? null],
        )
      )[0].id;
    const people = [
      'Refunded',
      'Reversed',
      'Partial',
      'Disputed',
      'Won',
      'Returner',
      'OldRefunded',
      'NewLater',
      'Loyal',
    ];
    for (const who of people) await supporter(who);
    await entry(
      'Refunded',
      'refund',
      -4000,
      '2024-02-06T01:00:00Z',
      await entry('Refunded', 'payment', 4000, '2024-02-05T01:00:00Z'),
    );
    await entry(
      'Reversed',
      'reversal',
      -1000000,
      '2024-02-07T02:00:00Z',
      await entry('Reversed', 'payment', 1000000, '2024-02-07T01:00:00Z'),
    );
    await entry(
      'Partial',
      'refund',
      -1000,
      '2024-02-09T01:00:00Z',
      await entry('Partial', 'payment', 3000, '2024-02-08T01:00:00Z'),
    );
    await entry(
      'Disputed',
      'dispute',
      -2500,
      '2024-03-05T01:00:00Z',
      await entry('Disputed', 'payment', 2500, '2024-03-01T01:00:00Z'),
    );
    const won = await entry('Won', 'payment', 2600, '2024-03-02T01:00:00Z');
    await entry('Won', 'dispute', -2600, '2024-03-06T01:00:00Z', won);
    await entry('Won', 'dispute_reversal', 2600, '2024-03-20T01:00:00Z', won);
    await entry('Returner', 'payment', 1000, '2023-05-01T01:00:00Z');
    await entry(
      'Returner',
      'refund',
      -1200,
      '2024-03-04T01:00:00Z',
      await entry('Returner', 'payment', 1200, '2024-03-03T01:00:00Z'),
    );
    await entry(
      'OldRefunded',
      'refund',
      -800,
      '2023-06-02T01:00:00Z',
      await entry('OldRefunded', 'payment', 800, '2023-06-01T01:00:00Z'),
    );
    await entry(
      'NewLater',
      'refund',
      -500,
      '2023-07-02T01:00:00Z',
      await entry('NewLater', 'payment', 500, '2023-07-01T01:00:00Z'),
    );
    await entry('NewLater', 'payment', 900, '2024-03-04T01:00:00Z');
    await entry('Loyal', 'payment', 800, '2023-05-02T01:00:00Z');
    await entry('Loyal', 'payment', 700, '2024-03-05T01:00:00Z');

    const r = (
      await get('/api/reports/supporters', { from: '2024-01-01', to: '2024-03-31', interval: 'month', top: 10 })
    ).body;
    expect(
      r.periods.map((p: { period: string; givers: number; new: number; returning: number }) => [
        p.period,
        p.givers,
        p.new,
        p.returning,
      ]),
    ).toEqual([
      ['2024-01', 0, 0, 0],
      ['2024-02', 1, 1, 0], // Partial; not Refunded nor Reversed
      ['2024-03', 3, 2, 1], // Won and NewLater (whose 2023 gift was refunded) new, Loyal returning; not Disputed nor Returner
    ]);
    expect(r.top.map((s: { name: string; given: number; payments: number }) => [s.name, s.given, s.payments])).toEqual([
      ['Won', 2600, 1],
      ['Partial', 2000, 1],
      ['NewLater', 900, 1],
      ['Loyal', 700, 1],
    ]);
    // Lapsed in 2024: gave in 2023 (a gift that stands) and nothing that stands in 2024.
    expect(r.lapsed).toEqual({ year: 2024, gaveIn: 2023, count: 1 });
    const lapsed = (await get('/api/reports/lapsed-supporters', { year: 2024 })).body;
    expect(
      lapsed.map((s: { name: string; givenLastYear: number; gifts: number }) => [s.name, s.givenLastYear, s.gifts]),
    ).toEqual([['Returner', 1000, 1]]);
  });

  it('summary: a $10,000 cash typo reversed the same day is a correction, not gross and not a refund; net stays the sum of every entry', async () => {
    const [phone, financeToken] = [await signedIn(t, 'phone'), finance];
    const today = todayIn(ZONE);
    const day = async () =>
      (await get('/api/reports/summary', { from: today, to: today, interval: 'day' })).body.totals;
    const before = await day();
    const typo = await t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', 'summary-typo-1')
      .send({ supporter: { name: 'Typo Caller' }, amount: 1000000, method: 'cash' })
      .expect(201);
    const real = await t.http
      .post('/api/phone-donations')
      .set('authorization', phone)
      .set('idempotency-key', 'summary-typo-2')
      .send({ supporter: { name: 'Typo Caller Again' }, amount: 10000, method: 'cash' })
      .expect(201);
    expect(real.body.amount).toBe(10000);
    await t.http
      .post(`/api/ledger-entries/${typo.body.id}/reversal`)
      .set('authorization', financeToken)
      .send({ reason: 'typed 1000000 for 10000' })
      .expect(201);
    const after = await day();
    const delta = (k: string) => after[k] - before[k];
    expect({
      gross: delta('gross'),
      refunds: delta('refunds'),
      corrections: delta('corrections'),
      net: delta('net'),
      refundCount: delta('refundCount'),
      correctionCount: delta('correctionCount'),
    }).toEqual({ gross: 10000, refunds: 0, corrections: 1000000, net: 10000, refundCount: 0, correctionCount: 1 });
    expect(after.byChannel.phone.corrections - before.byChannel.phone.corrections).toBe(1000000);
    expect(after.net).toBe(after.gross - after.refunds - after.disputes - after.fees);
    const csv = parseCsv((await get('/api/reports/summary.csv', { from: today, to: today, interval: 'day' })).text);
    const [header, ...lines] = csv;
    const phoneLine = lines
      .map((l) => Object.fromEntries(header.map((h, i) => [h, l[i]])))
      .find((l) => l.channel === 'phone' && l.type === 'donation')!;
    expect(phoneLine).toMatchObject({ corrections: '1000000', correction_count: '1', refunds: '0' });
  });
});
