import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Readable } from 'node:stream';
import { to as copyTo } from 'pg-copy-streams';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { poolOf, toSafeInt } from '@app/database';
import { accessUntil } from '@app/subscriptions';
import { CsvValue, csvLine, toCsv } from './csv';
import { Interval, parseDate, periodKey, periodsBetween, todayIn } from './periods';
import { DateRangeQuery, SummaryChannelQuery, SupportersQuery } from './report-query.dto';
import { ReportSettings } from './report-settings.service';
import type {
  LapsedSupporterDto,
  MailingListEntryDto,
  RecurringReportDto,
  SupportersReportDto,
  TopSupporterDto,
} from './report-response.dto';
import { addGroup, emptySummaryFigures, KindTotals, SummaryFigures } from './summary';

/** SQL: the first instant of local day $n, and of the day after local day $m (exclusive end). */
const rangeStart = (n: number, zone: number) => `(($${n}::date)::timestamp AT TIME ZONE $${zone})`;
const rangeEnd = (m: number, zone: number) => `(($${m}::date + 1)::timestamp AT TIME ZONE $${zone})`;
/** SQL: the first day of the period (day, ISO week, month) containing a date expression. */
const truncDay = (expr: string, interval: Interval) =>
  interval === 'day' ? `(${expr})` : `date_trunc('${interval}', (${expr})::timestamp)::date`;

export interface SummaryPeriod extends SummaryFigures {
  period: string;
  start: string;
  end: string;
}

export interface SummaryReport {
  from: string;
  to: string;
  interval: Interval;
  timeZone: string;
  currency: string;
  periods: SummaryPeriod[];
  totals: SummaryFigures;
}

/**
 * The ledger export's columns, in order. Money in minor units; `occurred_at` and `recorded_at`
 * in UTC (`2026-06-15 02:00:00.123+00`), `local_date` in the organisation's zone. People are
 * named by `supporter_id` only: the money record carries no contact details (and joining
 * 100,000 supporters would halve the export's speed). A payment of a record since merged into
 * another shows the survivor's id (the person), though the ledger row keeps the id it was paid under.
 */
export const LEDGER_CSV_COLUMNS = [
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
  'supporter_id',
  'campaign',
  'reference',
  'description',
  'stripe_charge_id',
  'stripe_invoice_id',
  'stripe_refund_id',
  'stripe_dispute_id',
  'stripe_balance_transaction_id',
  'reverses_entry_id',
  'staff_id',
  'recorded_at',
] as const;

/** Text a person typed, guarded against spreadsheet formula injection (as csvCell does). */
const guarded = (expr: string) =>
  `CASE WHEN left(${expr}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN '''' || ${expr} ELSE ${expr} END`;

/**
 * SQL: the merged records and the survivor each points at (a handful of rows, on a partial
 * index), to be LEFT JOINed on a supporter id: `COALESCE(m.merged_into, x.supporter_id)` is then
 * the person. Merging flattens chains, so one step is enough.
 */
const MERGED = `(SELECT id, merged_into FROM supporters WHERE merged_into IS NOT NULL)`;

/** To be run with the session time zone set to UTC: timestamps are written in UTC. */
function ledgerSelect(zoneParam: string, extra = ''): string {
  return `SELECT l.id, l.occurred_at::text AS occurred_at, (l.occurred_at AT TIME ZONE ${zoneParam})::date::text AS local_date,
      l.kind, l.type, l.channel, l.method, l.currency, l.gross, l.fee, l.net,
      COALESCE(m.merged_into, l.supporter_id) AS supporter_id, c.slug AS campaign,
      ${guarded('l.reference')} AS reference, ${guarded('l.description')} AS description,
      l.stripe_charge_id, l.stripe_invoice_id, l.stripe_refund_id, l.stripe_dispute_id, l.stripe_balance_transaction_id,
      l.reverses_entry_id, l.staff_id, l.recorded_at::text AS recorded_at${extra}
    FROM ledger_entries l
    LEFT JOIN campaigns c ON c.id = l.campaign_id
    LEFT JOIN ${MERGED} m ON m.id = l.supporter_id`;
}

/**
 * SQL: the payment `alias` still stands, i.e. the entries that give it back (refunds, reversals,
 * lost disputes, less disputes won back: all point at it with `reverses_entry_id`; less refunds
 * that failed afterwards, which point at their refund) leave more than zero of it. A payment given back in full makes nobody a giver in the supporters reports.
 */
const stands = (alias: string) =>
  `${alias}.gross + COALESCE((SELECT SUM(u.gross) FROM ledger_entries u WHERE u.reverses_entry_id = ${alias}.id
     OR (u.kind = 'refund_failure' AND u.reverses_entry_id IN (SELECT v.id FROM ledger_entries v WHERE v.reverses_entry_id = ${alias}.id))), 0) > 0`;

/**
 * Standing payments of supporters who gave in year $2 − 1 and not in $2 (local, zone $3), currency
 * $1; `s` is the person (the survivor of merged records), whose records' payments all count.
 */
const LAPSED_FROM = `FROM ledger_entries l JOIN supporters s0 ON s0.id = l.supporter_id JOIN supporters s ON s.id = COALESCE(s0.merged_into, s0.id)
        WHERE l.kind = 'payment' AND l.currency = $1 AND ${stands('l')}
          AND l.occurred_at >= (make_date($2 - 1, 1, 1)::timestamp AT TIME ZONE $3) AND l.occurred_at < (make_date($2, 1, 1)::timestamp AT TIME ZONE $3)
          AND NOT EXISTS (SELECT 1 FROM supporters g JOIN ledger_entries x ON x.supporter_id = g.id
                           WHERE (g.id = s.id OR g.merged_into = s.id) AND x.kind = 'payment' AND ${stands('x')}
                             AND x.occurred_at >= (make_date($2, 1, 1)::timestamp AT TIME ZONE $3) AND x.occurred_at < (make_date($2 + 1, 1, 1)::timestamp AT TIME ZONE $3))`;

/** basis points → percent with two decimals, on integers, rounded down. */
function percentOf(part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Number((BigInt(part) * 10000n) / BigInt(whole)) / 100;
}

/**
 * A subscription's monthly equivalent (numeric, exact; rounded once per sum): its amount, or for a
 * prepaid period the amount spread over its months (the checkout's, else the period's length).
 * Needs `subscriptions s LEFT JOIN checkouts c ON c.id = s.checkout_id`.
 */
const MONTHLY_EQUIVALENT = `CASE WHEN s.billing = 'prepaid' THEN s.amount::numeric / GREATEST(COALESCE(c.prepaid_months,
    (EXTRACT(year FROM age(s.current_period_end, s.current_period_start)) * 12 + EXTRACT(month FROM age(s.current_period_end, s.current_period_start)))::int, 12), 1)
  ELSE s.amount::numeric END`;

@Injectable()
export class ReportsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: ReportSettings,
    private readonly config: AppConfig,
  ) {}

  private range(q: DateRangeQuery): { from: string; to: string; currency: string } {
    const from = parseDate(q.from, 'from');
    const to = parseDate(q.to, 'to');
    if (to < from) throw new DomainError('REPORT_RANGE_INVALID', 'to must not be before from', 'to');
    return { from, to, currency: (q.currency ?? this.settings.currency).toUpperCase() };
  }

  /**
   * Money in by day, week or month, split by type and by channel, from the day totals the
   * ledger trigger keeps (at most a few thousand rows for any range), so the cost does not grow
   * with the number of ledger entries.
   */
  async summary(q: SummaryChannelQuery): Promise<SummaryReport> {
    const { from, to, currency } = this.range(q);
    const interval = q.interval;
    const periods = periodsBetween(from, to, interval);
    const rows = await this.dayTotals(currency, from, to, interval, q.channel);
    const byKey = new Map<string, SummaryPeriod>(periods.map((p) => [p.period, { ...p, ...emptySummaryFigures() }]));
    const totals = emptySummaryFigures();
    for (const r of rows) {
      const t: KindTotals = {
        kind: r.kind,
        gross: toSafeInt(r.gross),
        fee: toSafeInt(r.fee),
        net: toSafeInt(r.net),
        entries: toSafeInt(r.entries),
      };
      const period = byKey.get(periodKey(r.start, interval));
      if (!period) throw new Error(`day totals outside the periods: ${r.start}`);
      addGroup(period, r.type, r.channel, t);
      addGroup(totals, r.type, r.channel, t);
    }
    return { from, to, interval, timeZone: this.settings.timeZone, currency, periods: [...byKey.values()], totals };
  }

  /** The day totals of a range, summed per period (day, ISO week, month), type, channel and kind; one channel if given. */
  private dayTotals(
    currency: string,
    from: string,
    to: string,
    interval: Interval,
    channel?: string,
  ): Promise<
    Array<{
      start: string;
      type: string;
      channel: string;
      kind: string;
      gross: string;
      fee: string;
      net: string;
      entries: string;
    }>
  > {
    return this.db.query(
      `SELECT ${truncDay('day', interval)}::text AS start, type, channel, kind,
              SUM(gross) AS gross, SUM(fee) AS fee, SUM(net) AS net, SUM(entries) AS entries
         FROM ledger_daily_totals
        WHERE currency = $1 AND day BETWEEN $2::date AND $3::date${channel ? ' AND channel = $4' : ''}
        GROUP BY 1, 2, 3, 4`,
      channel ? [currency, from, to, channel] : [currency, from, to],
    );
  }

  /** The summary as CSV: one line per period, type and channel (the finest grain it has). */
  async summaryCsv(q: SummaryChannelQuery): Promise<string> {
    const { from, to, currency } = this.range(q);
    const periods = periodsBetween(from, to, q.interval);
    const rows = await this.dayTotals(currency, from, to, q.interval, q.channel);
    const cells = new Map<string, SummaryFigures>();
    for (const r of rows) {
      const key = `${periodKey(r.start, q.interval)}|${r.type}|${r.channel}`;
      if (!cells.has(key)) cells.set(key, emptySummaryFigures());
      addGroup(cells.get(key)!, r.type, r.channel, {
        kind: r.kind,
        gross: toSafeInt(r.gross),
        fee: toSafeInt(r.fee),
        net: toSafeInt(r.net),
        entries: toSafeInt(r.entries),
      });
    }
    const lines: CsvValue[][] = [];
    for (const p of periods) {
      for (const [key, f] of [...cells.entries()]
        .filter(([k]) => k.startsWith(`${p.period}|`))
        .sort(([a], [b]) => a.localeCompare(b))) {
        const [, type, channel] = key.split('|');
        lines.push([
          p.period,
          p.start,
          p.end,
          type,
          channel,
          currency,
          f.gross,
          f.fees,
          f.net,
          f.refunds,
          f.disputes,
          f.payments,
          f.refundCount,
          f.disputeCount,
          f.corrections,
          f.correctionCount,
        ]);
      }
    }
    return toCsv(
      [
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
      ],
      lines,
    );
  }

  /**
   * Every ledger entry that occurred in the local-day range, oldest first, as CSV. On
   * PostgreSQL the server writes the CSV itself (COPY … TO STDOUT) and it is streamed through
   * with backpressure, so memory stays flat whatever the size; on the embedded database it is
   * read in keyset-paginated pages of 2,000.
   */
  async ledgerCsv(q: DateRangeQuery): Promise<Readable> {
    const { from, to, currency } = this.range(q);
    const zone = this.settings.timeZone;
    // Without DATABASE_URL the database is the embedded PGlite, which has no COPY streaming.
    if (!this.config.DATABASE_URL) return Readable.from(this.ledgerPages(from, to, currency, zone));
    const client = await poolOf(this.db).connect();
    let released = false;
    const release = (err?: Error) => {
      if (released) return;
      released = true;
      // A connection whose COPY was cut off mid-way is closed, not handed to the next caller.
      client.release(err ?? false);
    };
    try {
      await client.query(`BEGIN READ ONLY`);
      await client.query(`SET LOCAL TimeZone = 'UTC'`);
      await client.query(`SET LOCAL jit = off`);
      const lit = (v: string) => client.escapeLiteral(v);
      const sql = `COPY (${ledgerSelect(lit(zone))}
          WHERE l.occurred_at >= ((${lit(from)}::date)::timestamp AT TIME ZONE ${lit(zone)})
            AND l.occurred_at < ((${lit(to)}::date + 1)::timestamp AT TIME ZONE ${lit(zone)})
            AND l.currency = ${lit(currency)}
          ORDER BY l.occurred_at, l.id) TO STDOUT WITH (FORMAT csv, HEADER true)`;
      const stream = client.query(copyTo(sql));
      stream.once('end', () => {
        void client.query('COMMIT').then(
          () => release(),
          (e: Error) => release(e),
        );
      });
      stream.once('error', (e) => release(e));
      stream.once('close', () => {
        if (!stream.readableEnded) release(new Error('export closed early'));
      });
      return stream;
    } catch (err) {
      release(err as Error);
      throw err;
    }
  }

  private async *ledgerPages(from: string, to: string, currency: string, zone: string): AsyncGenerator<string> {
    yield csvLine([...LEDGER_CSV_COLUMNS]);
    let after: { at: string; id: string } | null = null;
    for (;;) {
      const rows: Array<Record<string, CsvValue> & { occurred_raw: string }> = await this.inUtc((m) =>
        m.query(
          `${ledgerSelect('$4', ', l.occurred_at::text AS occurred_raw')}
          WHERE l.occurred_at >= ${rangeStart(1, 4)} AND l.occurred_at < ${rangeEnd(2, 4)} AND l.currency = $3
            AND ($5::timestamptz IS NULL OR (l.occurred_at, l.id) > ($5::timestamptz, $6::bigint))
          ORDER BY l.occurred_at, l.id LIMIT 2000`,
          [from, to, currency, zone, after?.at ?? null, after?.id ?? null],
        ),
      );
      if (!rows.length) return;
      let chunk = '';
      // Money comes back as bigint text; written as numbers (a leading minus is not a formula).
      for (const r of rows) {
        chunk += csvLine(
          LEDGER_CSV_COLUMNS.map((c) =>
            c === 'gross' || c === 'fee' || c === 'net' ? toSafeInt(r[c] as string) : r[c],
          ),
        );
      }
      yield chunk;
      const last = rows[rows.length - 1];
      after = { at: last.occurred_raw, id: String(last.id) };
    }
  }

  /** Runs `work` in a transaction whose session time zone is UTC (how the export writes times). */
  private inUtc<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (m) => {
      await m.query(`SET LOCAL TimeZone = 'UTC'`);
      return work(m);
    });
  }

  /**
   * Recurring revenue: who is subscribed now (by tier) and giving monthly, the monthly
   * equivalent of it, and per month (local) how many started, ended and the churn rate
   * (ended in the month ÷ active at its start). Complimentary subscriptions are counted apart
   * (`complimentary`, by tier): never in subscribers, MRR or churn.
   */
  async recurring(q: DateRangeQuery): Promise<RecurringReportDto> {
    const { from, to, currency } = this.range(q);
    const zone = this.settings.timeZone;
    const months = periodsBetween(from, to, 'month');
    const live = await this.db.query(
      `SELECT COALESCE(s.tier_code, 'monthly_donation') AS segment, s.billing, COUNT(*) AS subscribers,
              SUM(${MONTHLY_EQUIVALENT}) AS monthly
         FROM subscriptions s LEFT JOIN checkouts c ON c.id = s.checkout_id
        WHERE s.currency = $1 AND (
              (s.billing = 'monthly' AND s.status IN ('active', 'trialing', 'past_due'))
           OR (s.billing = 'prepaid' AND s.status = 'active' AND s.current_period_start <= now() AND s.current_period_end > now()))
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [currency],
    );
    const segments = new Map<
      string,
      { segment: string; monthly: number; prepaid: number; subscribers: number; mrr: number }
    >();
    for (const r of live as Array<{ segment: string; billing: string; subscribers: string; monthly: string }>) {
      const s = segments.get(r.segment) ?? { segment: r.segment, monthly: 0, prepaid: 0, subscribers: 0, mrr: 0 };
      const n = toSafeInt(r.subscribers);
      if (r.billing === 'prepaid') s.prepaid += n;
      else s.monthly += n;
      s.subscribers += n;
      segments.set(r.segment, s);
    }
    // Monthly equivalents are summed exactly (numeric) per segment, then rounded half up once.
    const mrrRows: Array<{ segment: string; mrr: string }> = await this.db.query(
      `SELECT segment, ROUND(SUM(monthly))::bigint AS mrr FROM (VALUES ${live.length ? live.map((_: unknown, i: number) => `($${i * 2 + 1}::text, $${i * 2 + 2}::numeric)`).join(', ') : `(NULL::text, 0::numeric)`}) v(segment, monthly) WHERE segment IS NOT NULL GROUP BY 1`,
      live.flatMap((r: { segment: string; monthly: string }) => [r.segment, r.monthly]),
    );
    for (const r of mrrRows) segments.get(r.segment)!.mrr = toSafeInt(r.mrr);

    const churn: Array<{
      month: string;
      segment: string;
      active_at_start: string;
      started: string;
      ended: string;
      active_at_end: string;
      mrr_at_end: string;
    }> = await this.db.query(
      `WITH subs AS (
         SELECT COALESCE(s.tier_code, 'monthly_donation') AS segment, s.created_at AS started_at,
                ${MONTHLY_EQUIVALENT} AS monthly,
                CASE WHEN s.ended_at IS NOT NULL THEN s.ended_at
                     WHEN s.status IN ('canceled', 'ended', 'unpaid') THEN s.updated_at
                     WHEN s.billing = 'prepaid' AND s.current_period_end <= now() THEN s.current_period_end
                END AS ended_at
           FROM subscriptions s LEFT JOIN checkouts c ON c.id = s.checkout_id
          WHERE s.currency = $1 AND s.status NOT IN ('incomplete', 'incomplete_expired') AND s.billing <> 'complimentary'),
       months AS (
         SELECT m::date AS month, (m::timestamp AT TIME ZONE $4) AS starts, ((m + interval '1 month')::timestamp AT TIME ZONE $4) AS ends,
                LEAST((m + interval '1 month')::timestamp AT TIME ZONE $4, now()) AS mrr_at
           FROM generate_series(date_trunc('month', $2::date::timestamp), $3::date::timestamp, interval '1 month') m)
       SELECT to_char(m.month, 'YYYY-MM') AS month, s.segment,
              COUNT(*) FILTER (WHERE s.started_at < m.starts AND (s.ended_at IS NULL OR s.ended_at >= m.starts)) AS active_at_start,
              COUNT(*) FILTER (WHERE s.started_at >= m.starts AND s.started_at < m.ends) AS started,
              COUNT(*) FILTER (WHERE s.ended_at >= m.starts AND s.ended_at < m.ends) AS ended,
              COUNT(*) FILTER (WHERE s.started_at < m.ends AND (s.ended_at IS NULL OR s.ended_at >= m.ends)) AS active_at_end,
              ROUND(COALESCE(SUM(s.monthly) FILTER (WHERE s.started_at < m.mrr_at AND (s.ended_at IS NULL OR s.ended_at >= m.mrr_at)), 0))::bigint AS mrr_at_end
         FROM months m CROSS JOIN subs s
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [currency, from, to, zone],
    );
    // Complimentary subscriptions (no money): counted apart, by tier, never in MRR or churn.
    const complimentary: Array<{ tier: string; total: string }> = await this.db.query(
      `SELECT s.tier_code AS tier, COUNT(*) AS total FROM subscriptions s
        WHERE s.billing = 'complimentary' AND s.status = 'active' AND s.current_period_start <= now()
          AND (s.current_period_end IS NULL OR s.current_period_end > now())
        GROUP BY 1 ORDER BY 1`,
    );
    const bySegment = new Map<string, typeof churn>();
    for (const r of churn) bySegment.set(r.month, [...(bySegment.get(r.month) ?? []), r]);
    const monthRows = months.map((m) => {
      const rows = bySegment.get(m.period) ?? [];
      const seg = rows.map((r) => {
        const activeAtStart = toSafeInt(r.active_at_start);
        const ended = toSafeInt(r.ended);
        return {
          segment: r.segment,
          activeAtStart,
          started: toSafeInt(r.started),
          ended,
          activeAtEnd: toSafeInt(r.active_at_end),
          churnRate: percentOf(ended, activeAtStart),
          mrrAtEnd: toSafeInt(r.mrr_at_end),
        };
      });
      const sum = (k: 'activeAtStart' | 'started' | 'ended' | 'activeAtEnd' | 'mrrAtEnd') =>
        seg.reduce((a, s) => a + s[k], 0);
      return {
        month: m.period,
        start: m.start,
        end: m.end,
        activeAtStart: sum('activeAtStart'),
        started: sum('started'),
        ended: sum('ended'),
        activeAtEnd: sum('activeAtEnd'),
        churnRate: percentOf(sum('ended'), sum('activeAtStart')),
        mrrAtEnd: sum('mrrAtEnd'),
        bySegment: seg,
      };
    });
    const now = [...segments.values()];
    const tiers = now.filter((s) => s.segment !== 'monthly_donation');
    const donors = segments.get('monthly_donation');
    return {
      from,
      to,
      timeZone: zone,
      currency,
      asOf: new Date().toISOString(),
      subscribers: {
        byTier: tiers.map(({ segment, monthly, prepaid, subscribers, mrr }) => ({
          tier: segment,
          monthly,
          prepaid,
          total: subscribers,
          mrr,
        })),
        total: tiers.reduce((a, s) => a + s.subscribers, 0),
      },
      complimentary: {
        byTier: complimentary.map((c) => ({ tier: c.tier, total: toSafeInt(c.total) })),
        total: complimentary.reduce((a, c) => a + toSafeInt(c.total), 0),
      },
      monthlyDonors: { total: donors?.subscribers ?? 0, mrr: donors?.mrr ?? 0 },
      mrr: {
        subscriptions: tiers.reduce((a, s) => a + s.mrr, 0),
        monthlyDonations: donors?.mrr ?? 0,
        total: now.reduce((a, s) => a + s.mrr, 0),
      },
      months: monthRows,
    };
  }

  async recurringCsv(q: DateRangeQuery): Promise<string> {
    const r = await this.recurring(q);
    const lines: CsvValue[][] = [];
    for (const m of r.months) {
      for (const s of m.bySegment) {
        lines.push([m.month, s.segment, s.activeAtStart, s.started, s.ended, s.activeAtEnd, s.churnRate, s.mrrAtEnd]);
      }
      lines.push([m.month, 'all', m.activeAtStart, m.started, m.ended, m.activeAtEnd, m.churnRate, m.mrrAtEnd]);
    }
    return toCsv(
      ['month', 'segment', 'active_at_start', 'started', 'ended', 'active_at_end', 'churn_rate_percent', 'mrr_at_end'],
      lines,
    );
  }

  /**
   * Supporters per period: who gave, of them new (first gift ever in the period) and returning;
   * the top supporters of the range by what they gave net of refunds; and how many lapsed
   * (gave in the year before `to`'s year and not in it). A gift is a payment that still stands:
   * one refunded, reversed or lost to a dispute in full makes nobody a giver, new or lapsed.
   */
  async supporters(q: SupportersQuery): Promise<SupportersReportDto> {
    const { from, to, currency } = this.range(q);
    const zone = this.settings.timeZone;
    const periods = periodsBetween(from, to, q.interval);
    const rows: Array<{ start: string; givers: string; new: string }> = await this.db.query(
      `WITH merged AS ${MERGED},
       gifts AS (
         SELECT DISTINCT ${truncDay(`(l.occurred_at AT TIME ZONE $4)::date`, q.interval)} AS p, COALESCE(m.merged_into, l.supporter_id) AS supporter_id
           FROM ledger_entries l LEFT JOIN merged m ON m.id = l.supporter_id
          WHERE l.kind = 'payment' AND l.supporter_id IS NOT NULL AND l.currency = $1
            AND l.occurred_at >= ${rangeStart(2, 4)} AND l.occurred_at < ${rangeEnd(3, 4)} AND ${stands('l')}),
       firsts AS (
         SELECT COALESCE(m.merged_into, l.supporter_id) AS supporter_id, MIN(l.occurred_at) AS first_at
           FROM ledger_entries l LEFT JOIN merged m ON m.id = l.supporter_id
          WHERE l.kind = 'payment' AND l.currency = $1 AND ${stands('l')}
            AND l.supporter_id IN (SELECT supporter_id FROM gifts
                                   UNION ALL SELECT id FROM merged WHERE merged_into IN (SELECT supporter_id FROM gifts))
          GROUP BY 1)
       SELECT g.p::text AS start, COUNT(*) AS givers,
              COUNT(*) FILTER (WHERE f.first_at >= (GREATEST(g.p, $2::date)::timestamp AT TIME ZONE $4)) AS new
         FROM gifts g JOIN firsts f USING (supporter_id) GROUP BY 1`,
      [currency, from, to, zone],
    );
    const byKey = new Map(rows.map((r) => [periodKey(r.start, q.interval), r]));
    const perPeriod = periods.map((p) => {
      const r = byKey.get(p.period);
      const givers = toSafeInt(r?.givers ?? 0);
      const fresh = toSafeInt(r?.new ?? 0);
      return { ...p, givers, new: fresh, returning: givers - fresh };
    });
    const top = await this.topSupporters(from, to, currency, q.top ?? 20);
    const year = Number(to.slice(0, 4));
    return {
      from,
      to,
      interval: q.interval,
      timeZone: zone,
      currency,
      periods: perPeriod,
      top,
      lapsed: { year, count: await this.lapsedCount(year, currency), gaveIn: year - 1 },
    };
  }

  async topSupporters(from: string, to: string, currency: string, limit: number): Promise<TopSupporterDto[]> {
    const rows: Array<{
      id: string;
      name: string | null;
      email: string | null;
      given: string;
      payments: string;
      last_gift_at: Date | null;
    }> = await this.db.query(
      `SELECT s.id, s.name, s.email, SUM(l.gross) AS given, COUNT(*) FILTER (WHERE l.standing) AS payments, MAX(l.occurred_at) FILTER (WHERE l.standing) AS last_gift_at
         FROM (SELECT COALESCE(m.merged_into, l.supporter_id) AS supporter_id, l.gross, l.occurred_at, l.kind = 'payment' AND ${stands('l')} AS standing
                 FROM ledger_entries l LEFT JOIN ${MERGED} m ON m.id = l.supporter_id
                WHERE l.currency = $1 AND l.occurred_at >= ${rangeStart(2, 4)} AND l.occurred_at < ${rangeEnd(3, 4)}) l
         JOIN supporters s ON s.id = l.supporter_id
        GROUP BY s.id HAVING bool_or(l.standing) AND SUM(l.gross) > 0
        ORDER BY SUM(l.gross) DESC, s.id LIMIT $5`,
      [currency, from, to, this.settings.timeZone, limit],
    );
    return rows.map((r) => ({
      supporterId: r.id,
      name: r.name,
      email: r.email,
      given: toSafeInt(r.given),
      payments: toSafeInt(r.payments),
      lastGiftAt: r.last_gift_at ? new Date(r.last_gift_at).toISOString() : null,
    }));
  }

  /** Supporters who gave in `year - 1` (local) and not in `year`: whom to ask again. */
  async lapsed(year: number, currency = this.settings.currency): Promise<LapsedSupporterDto[]> {
    const rows: Array<{
      id: string;
      name: string | null;
      email: string | null;
      phone: string | null;
      given: string;
      gifts: string;
      last_gift_at: Date;
    }> = await this.db.query(
      `SELECT s.id, s.name, s.email, s.phone, SUM(l.gross) AS given, COUNT(*) AS gifts, MAX(l.occurred_at) AS last_gift_at
         ${LAPSED_FROM} GROUP BY s.id ORDER BY SUM(l.gross) DESC, s.id`,
      [currency, year, this.settings.timeZone],
    );
    return rows.map((r) => ({
      supporterId: r.id,
      name: r.name,
      email: r.email,
      phone: r.phone,
      givenLastYear: toSafeInt(r.given),
      gifts: toSafeInt(r.gifts),
      lastGiftAt: new Date(r.last_gift_at).toISOString(),
    }));
  }

  /** How many lapsed (counted in the database, not listed). */
  private async lapsedCount(year: number, currency: string): Promise<number> {
    const [row] = await this.db.query(`SELECT COUNT(DISTINCT s.id) AS n ${LAPSED_FROM}`, [
      currency,
      year,
      this.settings.timeZone,
    ]);
    return toSafeInt(row.n);
  }

  async supportersCsv(q: SupportersQuery): Promise<string> {
    const r = await this.supporters(q);
    return toCsv(
      ['period', 'start', 'end', 'givers', 'new', 'returning'],
      r.periods.map((p) => [p.period, p.start, p.end, p.givers, p.new, p.returning]),
    );
  }

  async topSupportersCsv(q: SupportersQuery): Promise<string> {
    const { from, to, currency } = this.range(q);
    const top = await this.topSupporters(from, to, currency, q.top ?? 20);
    return toCsv(
      ['supporter_id', 'name', 'email', 'given', 'payments', 'last_gift_at'],
      top.map((s) => [s.supporterId, s.name, s.email, s.given, s.payments, s.lastGiftAt]),
    );
  }

  async lapsedCsv(year: number): Promise<string> {
    const rows = await this.lapsed(year);
    return toCsv(
      ['supporter_id', 'name', 'email', 'phone', 'given_last_year', 'gifts', 'last_gift_at'],
      rows.map((s) => [s.supporterId, s.name, s.email, s.phone, s.givenLastYear, s.gifts, s.lastGiftAt]),
    );
  }

  /**
   * Print subscribers entitled to today's edition (the same access rule as the paywall: paid
   * period, past-due grace, prepaid dates) with the address to post it to, for the mailing house.
   * The name and email are the person's: the survivor's when the subscriber's record was merged.
   */
  async printMailingList(at = new Date()): Promise<MailingListEntryDto[]> {
    return (await this.printMailingEntries(at)).map(({ supporterId: _person, ...entry }) => entry);
  }

  /** The mailing list's entries with the person's supporter id, read through `m` (a print run's transaction). */
  async printMailingEntries(
    at = new Date(),
    m: EntityManager = this.db.manager,
  ): Promise<Array<MailingListEntryDto & { supporterId: string }>> {
    const rows: Array<{
      id: string;
      tier_code: string;
      status: string;
      billing: string;
      origin: string;
      current_period_start: Date | null;
      current_period_end: Date | null;
      past_due_since: Date | null;
      delivery_address: Record<string, string> | null;
      name: string | null;
      email: string | null;
      person_id: string;
      created_at: Date;
    }> = await m.query(
      `SELECT s.id, s.tier_code, s.status, s.billing, s.origin, s.current_period_start, s.current_period_end, s.past_due_since, s.delivery_address, s.created_at, p.name, p.email, p.id AS person_id
         FROM subscriptions s JOIN tiers t ON t.code = s.tier_code
         JOIN supporters p0 ON p0.id = s.supporter_id JOIN supporters p ON p.id = COALESCE(p0.merged_into, p0.id)
        WHERE t.requires_delivery_address AND s.status IN ('active', 'trialing', 'past_due')
        ORDER BY (s.delivery_address->>'postalCode'), p.name, s.id`,
    );
    return rows
      .filter((r) => {
        const sub = {
          status: r.status as never,
          billing: r.billing as never,
          currentPeriodStart: r.current_period_start,
          currentPeriodEnd: r.current_period_end,
          pastDueSince: r.past_due_since,
        };
        const until = accessUntil(sub, this.config.PAST_DUE_GRACE_DAYS);
        return (
          until !== null &&
          until > at &&
          !(r.billing !== 'monthly' && r.current_period_start && r.current_period_start > at)
        );
      })
      .map((r) => ({
        subscriptionId: r.id,
        supporterId: r.person_id,
        tier: r.tier_code,
        name: r.name,
        email: r.email,
        address: r.delivery_address,
        status: r.status,
        billing: r.billing,
        origin: r.origin,
        paidUntil: r.current_period_end?.toISOString() ?? null,
        since: r.created_at.toISOString(),
      }));
  }

  async printMailingListCsv(): Promise<string> {
    return mailingListCsv(await this.printMailingList());
  }

  /** Today in the organisation's time zone (for defaults). */
  today(): string {
    return todayIn(this.settings.timeZone);
  }
}

/** A mailing list (now's, or a print run's) as the mailing house's CSV. */
export function mailingListCsv(list: MailingListEntryDto[]): string {
  return toCsv(
    [
      'subscription_id',
      'tier',
      'name',
      'line1',
      'line2',
      'city',
      'state',
      'postal_code',
      'country',
      'email',
      'status',
      'billing',
      'paid_until',
      'subscriber_since',
      'origin',
    ],
    list.map((s) => [
      s.subscriptionId,
      s.tier,
      s.name,
      s.address?.line1,
      s.address?.line2,
      s.address?.city,
      s.address?.state,
      s.address?.postalCode,
      s.address?.country,
      s.email,
      s.status,
      s.billing,
      s.paidUntil,
      s.since,
      s.origin,
    ]),
  );
}
