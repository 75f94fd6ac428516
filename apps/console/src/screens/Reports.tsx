/**
 * Finance reports over a range of local days (the organisation's time zone): money in (chart by
 * type, channel filter, cards, table), recurring revenue, supporters, and progress toward the
 * current target. Each table downloads as CSV under a name that carries the range. Loaded lazily
 * (with ECharts) so the console's first load does not carry the charts.
 */
import {
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { api, type ApiError } from '../api';
import { Field, Link, Problem, ScrollBox } from '../components';
import { thisMonth } from '../dates';
import { fileNameOf, saveFile } from '../download';
import { count, dateTime, money } from '../format';
import type {
  Campaign,
  CampaignProgress,
  RecurringReport,
  SummaryFigures,
  SummaryReport,
  SupportersReport,
} from '../types';
import { Chart, type ChartOption } from './Chart';

type Interval = SummaryReport['interval'];
type Channel = 'online' | 'phone';
interface Range {
  from: string;
  to: string;
  interval: Interval;
  channel?: Channel;
}

/** The summary's money figures (the report also carries breakdowns by type and channel). */
type MoneyFigure = { [K in keyof SummaryFigures]: SummaryFigures[K] extends number ? K : never }[keyof SummaryFigures];

const CARDS: Array<[MoneyFigure, string]> = [
  ['gross', 'Gross'],
  ['fees', 'Fees'],
  ['net', 'Net'],
  ['refunds', 'Refunds'],
  ['corrections', 'Corrections'],
  ['disputes', 'Disputes'],
];

const TYPE_LABELS: Record<string, string> = {
  donation: 'Donations',
  monthly_donation: 'Monthly donations',
  subscription: 'Subscriptions',
  prepaid_subscription: 'Prepaid subscriptions',
};
const typeLabel = (type: string) => TYPE_LABELS[type] ?? type;

const TABS = [
  ['summary', 'Money in'],
  ['recurring', 'Recurring'],
  ['supporters', 'Supporters'],
  ['progress', 'Progress'],
] as const;
type Tab = (typeof TABS)[number][0];

/** A CSV download button: fetches through `api` (the bearer token) and saves under the server's name. */
function CsvButton({
  label,
  fetchCsv,
}: {
  label: string;
  fetchCsv: () => Promise<{ data?: Blob; error?: ApiError; response: Response }>;
}) {
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  async function download() {
    setBusy(true);
    const { data, error, response } = await fetchCsv();
    setBusy(false);
    setError(error);
    if (data) saveFile(data, fileNameOf(response, 'report.csv'));
  }
  return (
    <>
      <button type="button" className="secondary" onClick={() => void download()} disabled={busy}>
        {label}
      </button>
      <Problem error={error} />
    </>
  );
}

/** Loads `load` whenever `key` changes; answers the data and the API's error. */
function useReport<T>(
  key: string,
  load: () => Promise<{ data?: T; error?: ApiError }>,
): { data?: T; error?: ApiError } {
  const [state, setState] = useState<{ data?: T; error?: ApiError }>({});
  const latest = useRef(load);
  latest.current = load;
  useEffect(() => {
    let live = true;
    void latest.current().then(({ data, error }) => {
      if (live) setState({ data, error });
    });
    return () => {
      live = false;
    };
  }, [key]);
  return state;
}

export function Reports() {
  const [range, setRange] = useState<Range>(() => ({ ...thisMonth(), interval: 'month' }));
  /** The organisation's time zone, from the first report's answer: the default month is its month. */
  const [zone, setZone] = useState<string>();
  /** Each Show asks again, even for the same range (the figures move as money comes in). */
  const [asked, setAsked] = useState(0);
  const askedRef = useRef(0);
  const learnZone = useCallback((timeZone: string) => {
    setZone((z) => z ?? timeZone);
    // Until someone picks a range, the default is this month where the organisation is.
    if (askedRef.current > 0) return;
    const month = thisMonth(timeZone);
    setRange((r) => (r.from === month.from && r.to === month.to ? r : { ...r, ...month }));
  }, []);
  const [tab, setTab] = useState<Tab>('summary');
  const [formError, setFormError] = useState<ApiError>();
  const tabsId = useId();
  const tabRefs = useRef<Array<HTMLButtonElement | null>>([]);
  function choose(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const channel = String(form.get('channel') ?? '');
    setFormError(undefined);
    askedRef.current += 1;
    setAsked(askedRef.current);
    setRange({
      from: String(form.get('from')),
      to: String(form.get('to')),
      interval: String(form.get('interval')) as Interval,
      ...(channel === 'online' || channel === 'phone' ? { channel } : {}),
    });
  }
  function keys(e: KeyboardEvent<HTMLDivElement>) {
    const i = TABS.findIndex(([t]) => t === tab);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : undefined;
    if (next === undefined) return;
    const j = (next + TABS.length) % TABS.length;
    setTab(TABS[j][0]);
    tabRefs.current[j]?.focus();
  }
  const key = `${JSON.stringify(range)}#${asked}`;
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">Reports</h1>
      <form key={zone ?? 'browser'} onSubmit={choose} className="inline" noValidate>
        <Field label="From" name="from" type="date" defaultValue={range.from} required error={formError} />
        <Field label="To" name="to" type="date" defaultValue={range.to} required error={formError} />
        <SelectField label="By" name="interval" defaultValue={range.interval}>
          <option value="day">Day</option>
          <option value="week">Week (from Monday)</option>
          <option value="month">Month</option>
        </SelectField>
        <SelectField label="Channel" name="channel" defaultValue={range.channel ?? ''}>
          <option value="">All channels</option>
          <option value="online">Online</option>
          <option value="phone">Phone</option>
        </SelectField>
        <button type="submit">Show</button>
      </form>
      <div role="tablist" aria-label="Reports" className="tabs" onKeyDown={keys}>
        {TABS.map(([t, label], i) => (
          <button
            key={t}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${tabsId}-${t}`}
            aria-selected={tab === t}
            aria-controls={`${tabsId}-${t}-panel`}
            tabIndex={tab === t ? 0 : -1}
            className="tab"
            onClick={() => setTab(t)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${tabsId}-${tab}-panel`} aria-labelledby={`${tabsId}-${tab}`} className="tabpanel">
        {tab === 'summary' && <MoneyIn range={range} rangeKey={key} onError={setFormError} onZone={learnZone} />}
        {tab === 'recurring' && <Recurring range={range} rangeKey={key} onError={setFormError} />}
        {tab === 'supporters' && <Supporters range={range} rangeKey={key} onError={setFormError} />}
        {tab === 'progress' && <Progress />}
      </div>
    </section>
  );
}

function SelectField({
  label,
  name,
  defaultValue,
  children,
}: {
  label: string;
  name: string;
  defaultValue: string;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue}>
        {children}
      </select>
    </div>
  );
}

interface SectionProps {
  range: Range;
  rangeKey: string;
  /** A validation error naming the range's fields goes next to those fields. */
  onError: (error: ApiError | undefined) => void;
}

const RANGE_FIELDS = ['from', 'to', 'interval', 'channel'];

function useRangeError(error: ApiError | undefined, onError: SectionProps['onError']) {
  useEffect(() => {
    onError(error?.field && RANGE_FIELDS.includes(error.field) ? error : undefined);
  }, [error, onError]);
}

/** Money in: a chart of gross by period stacked by type, the cards, the table, the CSVs. */
function MoneyIn({ range, rangeKey, onError, onZone }: SectionProps & { onZone: (timeZone: string) => void }) {
  const { data: report, error } = useReport<SummaryReport>(rangeKey, () =>
    api.GET('/api/reports/summary', { params: { query: range } }),
  );
  useRangeError(error, onError);
  useEffect(() => {
    if (report) onZone(report.timeZone);
  }, [report, onZone]);
  const option = useMemo<ChartOption | undefined>(() => {
    if (!report) return undefined;
    const types = Object.keys(report.totals.byType).sort();
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => money(Number(v), report.currency) },
      legend: { top: 0 },
      grid: { left: 90, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: report.periods.map((p) => p.period) },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v, report.currency) } },
      series: types.map((type) => ({
        name: typeLabel(type),
        type: 'bar',
        stack: 'gross',
        data: report.periods.map((p) => p.byType[type]?.gross ?? 0),
      })),
    };
  }, [report]);
  const channelText = range.channel ? `, ${range.channel} only` : '';
  return (
    <>
      <h2>Money in</h2>
      <Problem error={error} fields={RANGE_FIELDS} />
      {report && option && (
        <>
          <p>
            {report.from} to {report.to} ({report.timeZone}){channelText}, {count(report.totals.payments)} payment
            {report.totals.payments === 1 ? '' : 's'}.
          </p>
          <dl className="cards">
            {CARDS.map(([key, label]) => (
              <div key={key} className="card">
                <dt>{label}</dt>
                <dd data-figure={key}>{money(report.totals[key], report.currency)}</dd>
              </div>
            ))}
          </dl>
          <Chart
            name="money-in"
            option={option}
            label={`Gross money in by ${report.interval}, stacked by type${channelText}: ${report.periods
              .map((p) => `${p.period} ${money(p.gross, report.currency)}`)
              .join('; ')}. The table below has every figure.`}
          />
          <div className="actions">
            <CsvButton
              label="Download summary CSV"
              fetchCsv={() => api.GET('/api/reports/summary.csv', { params: { query: range }, parseAs: 'blob' })}
            />
            <CsvButton
              label="Download ledger CSV"
              fetchCsv={() =>
                api.GET('/api/reports/ledger.csv', {
                  params: { query: { from: range.from, to: range.to } },
                  parseAs: 'blob',
                })
              }
            />
          </div>
          <ScrollBox label={`Report by ${report.interval}`}>
            <table>
              <caption>By {report.interval}</caption>
              <thead>
                <tr>
                  <th scope="col">Period</th>
                  {CARDS.map(([key, label]) => (
                    <th key={key} scope="col" className="num">
                      {label}
                    </th>
                  ))}
                  <th scope="col" className="num">
                    Payments
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.periods.map((p) => (
                  <tr key={p.period} data-period={p.period}>
                    <th scope="row">{p.period}</th>
                    {CARDS.map(([key]) => (
                      <td key={key} className="num">
                        {money(p[key], report.currency)}
                      </td>
                    ))}
                    <td className="num">{count(p.payments)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollBox>
          <table>
            <caption>By type</caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                {CARDS.map(([key, label]) => (
                  <th key={key} scope="col" className="num">
                    {label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Object.entries(report.totals.byType)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([type, f]) => (
                  <tr key={type} data-type={type}>
                    <th scope="row">{typeLabel(type)}</th>
                    {CARDS.map(([key]) => (
                      <td key={key} className="num">
                        {money(f[key], report.currency)}
                      </td>
                    ))}
                  </tr>
                ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

/**
 * Recurring revenue: active subscribers by tier and MRR now (at `asOf`), MRR at each month's end
 * (charted over time), and per month the active count, starts, ends and churn (charted).
 */
function Recurring({ range, rangeKey, onError }: SectionProps) {
  const { data: report, error } = useReport<RecurringReport>(rangeKey, () =>
    api.GET('/api/reports/recurring', { params: { query: { from: range.from, to: range.to } } }),
  );
  useRangeError(error, onError);
  const tiers = useMemo<ChartOption | undefined>(
    () =>
      report && {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 50, right: 20, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: report.subscribers.byTier.map((t) => t.tier) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: 'Monthly', type: 'bar', stack: 'subs', data: report.subscribers.byTier.map((t) => t.monthly) },
          { name: 'Prepaid', type: 'bar', stack: 'subs', data: report.subscribers.byTier.map((t) => t.prepaid) },
        ],
      },
    [report],
  );
  const months = useMemo<ChartOption | undefined>(
    () =>
      report && {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 50, right: 60, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: report.months.map((m) => m.month) },
        yAxis: [
          { type: 'value', name: 'Subscribers', minInterval: 1 },
          { type: 'value', name: 'Churn %', axisLabel: { formatter: '{value}%' } },
        ],
        series: [
          { name: 'Active at month end', type: 'bar', data: report.months.map((m) => m.activeAtEnd) },
          { name: 'Churn %', type: 'line', yAxisIndex: 1, data: report.months.map((m) => m.churnRate) },
        ],
      },
    [report],
  );
  const mrr = useMemo<ChartOption | undefined>(
    () =>
      report && {
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => money(Number(v), report.currency) },
        legend: { top: 0 },
        grid: { left: 80, right: 20, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: report.months.map((m) => m.month) },
        yAxis: { type: 'value', axisLabel: { formatter: (v: number) => money(v, report.currency) } },
        series: [
          {
            name: 'MRR at month end',
            type: 'line',
            areaStyle: {},
            data: report.months.map((m) => m.mrrAtEnd),
          },
        ],
      },
    [report],
  );
  return (
    <>
      <h2>Recurring revenue</h2>
      <Problem error={error} fields={RANGE_FIELDS} />
      {report && tiers && months && mrr && (
        <>
          <p>
            Now ({dateTime(report.asOf, report.timeZone)}, {report.timeZone}); months from {report.from} to {report.to}.
          </p>
          <dl className="cards">
            <div className="card">
              <dt>Active subscribers</dt>
              <dd data-figure="subscribers">{count(report.subscribers.total)}</dd>
            </div>
            <div className="card">
              <dt>Monthly donors</dt>
              <dd data-figure="monthly-donors">{count(report.monthlyDonors.total)}</dd>
            </div>
            <div className="card">
              <dt>MRR</dt>
              <dd data-figure="mrr">{money(report.mrr.total, report.currency)}</dd>
            </div>
            <div className="card">
              <dt>Complimentary</dt>
              <dd>{count(report.complimentary.total)}</dd>
            </div>
          </dl>
          <div className="chart-pair">
            <Chart
              name="subscribers-by-tier"
              option={tiers}
              label={`Active subscribers by tier now: ${
                report.subscribers.byTier.map((t) => `${t.tier} ${t.total}`).join('; ') || 'none'
              }. The table below has every figure.`}
            />
            <Chart
              name="churn"
              option={months}
              label={`Active subscribers at each month's end and churn: ${report.months
                .map((m) => `${m.month} ${m.activeAtEnd} active, churn ${m.churnRate}%`)
                .join('; ')}. The table below has every figure.`}
            />
          </div>
          <Chart
            name="mrr-over-time"
            option={mrr}
            label={`MRR at each month's end (the current month: now): ${report.months
              .map((m) => `${m.month} ${money(m.mrrAtEnd, report.currency)}`)
              .join('; ')}. The table below has every figure.`}
          />
          <table>
            <caption>Active subscribers by tier (now)</caption>
            <thead>
              <tr>
                <th scope="col">Tier</th>
                <th scope="col" className="num">
                  Monthly
                </th>
                <th scope="col" className="num">
                  Prepaid
                </th>
                <th scope="col" className="num">
                  Total
                </th>
                <th scope="col" className="num">
                  MRR
                </th>
              </tr>
            </thead>
            <tbody>
              {report.subscribers.byTier.map((t) => (
                <tr key={t.tier}>
                  <th scope="row">{t.tier}</th>
                  <td className="num">{count(t.monthly)}</td>
                  <td className="num">{count(t.prepaid)}</td>
                  <td className="num">{count(t.total)}</td>
                  <td className="num">{money(t.mrr, report.currency)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Monthly donors</th>
                <td className="num">{count(report.monthlyDonors.total)}</td>
                <td className="num">–</td>
                <td className="num">{count(report.monthlyDonors.total)}</td>
                <td className="num">{money(report.monthlyDonors.mrr, report.currency)}</td>
              </tr>
            </tbody>
          </table>
          <div className="actions">
            <CsvButton
              label="Download recurring CSV"
              fetchCsv={() =>
                api.GET('/api/reports/recurring.csv', {
                  params: { query: { from: range.from, to: range.to } },
                  parseAs: 'blob',
                })
              }
            />
          </div>
          <table>
            <caption>By month</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col" className="num">
                  Active at start
                </th>
                <th scope="col" className="num">
                  Started
                </th>
                <th scope="col" className="num">
                  Ended
                </th>
                <th scope="col" className="num">
                  Active at end
                </th>
                <th scope="col" className="num">
                  Churn
                </th>
                <th scope="col" className="num">
                  MRR at end
                </th>
              </tr>
            </thead>
            <tbody>
              {report.months.map((m) => (
                <tr key={m.month}>
                  <th scope="row">{m.month}</th>
                  <td className="num">{count(m.activeAtStart)}</td>
                  <td className="num">{count(m.started)}</td>
                  <td className="num">{count(m.ended)}</td>
                  <td className="num">{count(m.activeAtEnd)}</td>
                  <td className="num">{m.churnRate.toFixed(2)}%</td>
                  <td className="num" data-figure={`mrr-${m.month}`}>
                    {money(m.mrrAtEnd, report.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

/** Supporters: givers, new and returning per period (charted), how many lapsed, the top supporters. */
function Supporters({ range, rangeKey, onError }: SectionProps) {
  const query = { from: range.from, to: range.to, interval: range.interval };
  const { data: report, error } = useReport<SupportersReport>(rangeKey, () =>
    api.GET('/api/reports/supporters', { params: { query: { ...query, top: 20 } } }),
  );
  useRangeError(error, onError);
  const option = useMemo<ChartOption | undefined>(
    () =>
      report && {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 50, right: 20, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: report.periods.map((p) => p.period) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          { name: 'New', type: 'bar', stack: 'givers', data: report.periods.map((p) => p.new) },
          { name: 'Returning', type: 'bar', stack: 'givers', data: report.periods.map((p) => p.returning) },
        ],
      },
    [report],
  );
  return (
    <>
      <h2>Supporters</h2>
      <Problem error={error} fields={RANGE_FIELDS} />
      {report && option && (
        <>
          <dl className="cards">
            <div className="card">
              <dt>New</dt>
              <dd data-figure="new">{count(report.periods.reduce((n, p) => n + p.new, 0))}</dd>
            </div>
            <div className="card">
              <dt>Returning</dt>
              <dd data-figure="returning">{count(report.periods.reduce((n, p) => n + p.returning, 0))}</dd>
            </div>
            <div className="card">
              <dt>
                Lapsed in {report.lapsed.year} (gave in {report.lapsed.gaveIn})
              </dt>
              <dd data-figure="lapsed">{count(report.lapsed.count)}</dd>
            </div>
          </dl>
          <Chart
            name="supporters"
            option={option}
            label={`New and returning supporters by ${report.interval}: ${report.periods
              .map((p) => `${p.period} ${p.new} new, ${p.returning} returning`)
              .join('; ')}. The table below has every figure.`}
          />
          <div className="actions">
            <CsvButton
              label="Download supporters CSV"
              fetchCsv={() => api.GET('/api/reports/supporters.csv', { params: { query }, parseAs: 'blob' })}
            />
            <CsvButton
              label="Download lapsed supporters CSV"
              fetchCsv={() =>
                api.GET('/api/reports/lapsed-supporters.csv', {
                  params: { query: { year: report.lapsed.year } },
                  parseAs: 'blob',
                })
              }
            />
          </div>
          <table>
            <caption>Givers by {report.interval}</caption>
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col" className="num">
                  Givers
                </th>
                <th scope="col" className="num">
                  New
                </th>
                <th scope="col" className="num">
                  Returning
                </th>
              </tr>
            </thead>
            <tbody>
              {report.periods.map((p) => (
                <tr key={p.period}>
                  <th scope="row">{p.period}</th>
                  <td className="num">{count(p.givers)}</td>
                  <td className="num">{count(p.new)}</td>
                  <td className="num">{count(p.returning)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <CsvButton
              label="Download top supporters CSV"
              fetchCsv={() => api.GET('/api/reports/top-supporters.csv', { params: { query }, parseAs: 'blob' })}
            />
          </div>
          <table>
            <caption>
              Top supporters, {report.from} to {report.to}
            </caption>
            <thead>
              <tr>
                <th scope="col">Supporter</th>
                <th scope="col" className="num">
                  Given (net of refunds)
                </th>
                <th scope="col" className="num">
                  Payments
                </th>
                <th scope="col">Last gift</th>
              </tr>
            </thead>
            <tbody>
              {report.top.map((s) => (
                <tr key={s.supporterId}>
                  <th scope="row">
                    <Link to={`/supporters/${s.supporterId}`}>{s.name ?? s.email ?? s.supporterId}</Link>
                  </th>
                  <td className="num">{money(s.given, report.currency)}</td>
                  <td className="num">{count(s.payments)}</td>
                  <td>{s.lastGiftAt ? dateTime(s.lastGiftAt, report.timeZone) : '–'}</td>
                </tr>
              ))}
              {report.top.length === 0 && (
                <tr>
                  <td colSpan={4}>No gifts in this range.</td>
                </tr>
              )}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

/** Progress toward the current campaign's target (not tied to the range: the campaign's own). */
function Progress() {
  const [state, setState] = useState<{
    campaign?: Campaign;
    progress?: CampaignProgress;
    error?: ApiError;
    none?: boolean;
  }>();
  useEffect(() => {
    let live = true;
    void (async () => {
      const { data, error } = await api.GET('/api/campaigns');
      const current = data?.find((c) => c.current);
      if (!current) {
        if (live) setState({ error, none: !error });
        return;
      }
      const answer = await api.GET('/api/campaigns/{slug}/progress', { params: { path: { slug: current.slug } } });
      if (live) setState({ campaign: current, progress: answer.data, error: answer.error });
    })();
    return () => {
      live = false;
    };
  }, []);
  const { campaign, progress: p } = state ?? {};
  return (
    <>
      <h2>Progress toward the current target</h2>
      <Problem error={state?.error} />
      {state?.none && <p>No campaign is current.</p>}
      {campaign && p && (
        <>
          <p>
            <strong>{campaign.title}</strong>
          </p>
          <div
            className="bar"
            role="progressbar"
            aria-label={`${campaign.title}: progress`}
            aria-valuemin={0}
            aria-valuemax={p.target}
            aria-valuenow={Math.min(p.raised, p.target)}
            aria-valuetext={`${money(p.raised, p.currency)} of ${money(p.target, p.currency)}`}
          >
            <span style={{ width: `${Math.min(100, p.percent)}%` }} />
          </div>
          <p data-progress>
            {money(p.raised, p.currency)} raised of {money(p.target, p.currency)} ({p.percent}%), from{' '}
            {count(p.supporters)} supporter{p.supporters === 1 ? '' : 's'}
            {p.endsAt ? `; ends ${dateTime(p.endsAt)}` : ''}.
          </p>
        </>
      )}
    </>
  );
}
