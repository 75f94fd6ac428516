/** The reports' query strings: each JSON report, and every CSV export. */
import fc from 'fast-check';
import { bodies, validDate } from '../generators';
import { isObj, oneOf, onlyKeys, range, realDate, single, text, type Problems } from '../oracles';
import { jsonRequest } from '../requests';
import { queries, queryString, rawKeys, type Query } from '../queries';
import { endpoint, fuzzCase } from './case';

/** A report's query string: `check` says what is wrong with a query, `allowed` the parameters it takes. */
const reportQuery = (
  name: string,
  path: string,
  params: Record<string, fc.Arbitrary<string | string[]>>,
  validQ: fc.Arbitrary<Query>,
  check: (p: Problems, q: Query) => void,
  allowed: string[],
) =>
  fuzzCase(name, (w) =>
    endpoint({
      name,
      inputs: queries(validQ, params),
      request: ({ q, raw }) => ({
        method: 'GET',
        path: `${path}${queryString(q, raw)}`,
        headers: { authorization: w.auth.finance },
        input: q,
        extraKeys: rawKeys(raw),
      }),
      invalid: ({ q, raw }) => {
        const p: Problems = [];
        if (rawKeys(raw).length) p.push(`raw junk ${raw}`);
        for (const k of Object.keys(q)) if (!allowed.includes(k)) p.push(`unknown parameter ${k}`);
        check(p, q);
        return p;
      },
      fields: Object.keys(params),
    }),
  );

const dateParams = { from: validDate, to: validDate, currency: fc.constantFrom('AUD', 'aud', 'USD') };
const interval = fc.constantFrom('day', 'week', 'month');
const validRange = fc.tuple(validDate, validDate).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a }));

export const summaryReport = reportQuery(
  'GET /api/reports/summary',
  '/api/reports/summary',
  { ...dateParams, interval },
  fc.tuple(validRange, fc.constantFrom('week', 'month')).map(([r, i]) => ({ ...r, interval: i })),
  (p, q) => {
    range(p, q);
    oneOf(p, single(p, q, 'interval'), 'interval', ['day', 'week', 'month']);
  },
  ['from', 'to', 'currency', 'interval'],
);

export const ledgerCsvReport = reportQuery(
  'GET /api/reports/ledger.csv',
  '/api/reports/ledger.csv',
  dateParams,
  validRange,
  (p, q) => range(p, q),
  ['from', 'to', 'currency'],
);

export const recurringReport = reportQuery(
  'GET /api/reports/recurring',
  '/api/reports/recurring',
  dateParams,
  validRange,
  (p, q) => range(p, q),
  ['from', 'to', 'currency'],
);

export const supportersReport = reportQuery(
  'GET /api/reports/supporters',
  '/api/reports/supporters',
  { ...dateParams, interval, top: fc.constantFrom('1', '20', '500') },
  fc
    .tuple(validRange, fc.constantFrom('week', 'month'), fc.constantFrom('5', '20'))
    .map(([r, i, top]) => ({ ...r, interval: i, top })),
  (p, q) => {
    range(p, q);
    oneOf(p, single(p, q, 'interval'), 'interval', ['day', 'week', 'month']);
    const top = single(p, q, 'top');
    if (top !== undefined && (!/^\d+$/.test(top) || Number(top) < 1 || Number(top) > 500)) p.push('top');
  },
  ['from', 'to', 'currency', 'interval', 'top'],
);

export const lapsedSupportersReport = reportQuery(
  'GET /api/reports/lapsed-supporters',
  '/api/reports/lapsed-supporters',
  { year: fc.integer({ min: 2000, max: 2200 }).map(String) },
  fc.record({ year: fc.integer({ min: 2020, max: 2030 }).map(String) }),
  (p, q) => {
    const year = single(p, q, 'year');
    if (year === undefined || !/^\d+$/.test(year) || Number(year) < 2000 || Number(year) > 2200) p.push('year');
  },
  ['year'],
);

export const reconciliationReport = reportQuery(
  'GET /api/reports/reconciliation',
  '/api/reports/reconciliation',
  { from: validDate, to: validDate, payout: fc.constantFrom('po_123', 'po_doesnotexist') },
  validRange,
  (p, q) => {
    const payout = single(p, q, 'payout');
    if (payout !== undefined) p.push('payout that does not exist');
    else {
      const from = single(p, q, 'from');
      const to = single(p, q, 'to');
      if (!realDate(from) || !realDate(to) || to! < from!) p.push('range');
    }
  },
  ['from', 'to', 'payout'],
);

export const reportCsvs = fuzzCase('GET /api/reports/*.csv', (w) => {
  const csv = [
    'summary.csv',
    'recurring.csv',
    'supporters.csv',
    'top-supporters.csv',
    'lapsed-supporters.csv',
    'reconciliation.csv',
    'print-mailing-list.csv',
  ] as const;
  const params = {
    from: validDate,
    to: validDate,
    interval: fc.constantFrom('day', 'week', 'month'),
    currency: fc.constantFrom('AUD', 'usd'),
    top: fc.constantFrom('1', '20'),
    year: fc.constantFrom('2025', '2026'),
    payout: fc.constantFrom('po_nope'),
  };
  const valid = fc
    .tuple(validRange, fc.constantFrom('week', 'month'), fc.constantFrom('2025', '2026'))
    .map(([r, interval, year]) => ({ ...r, interval, year }));
  const allowed: Record<(typeof csv)[number], string[]> = {
    'summary.csv': ['from', 'to', 'currency', 'interval'],
    'recurring.csv': ['from', 'to', 'currency'],
    'supporters.csv': ['from', 'to', 'currency', 'interval', 'top'],
    'top-supporters.csv': ['from', 'to', 'currency', 'interval', 'top'],
    'lapsed-supporters.csv': ['year'],
    'reconciliation.csv': ['from', 'to', 'payout'],
    'print-mailing-list.csv': [],
  };
  return endpoint({
    name: 'GET /api/reports/*.csv',
    inputs: fc.tuple(fc.constantFrom(...csv), queries(valid, params)),
    request: ([name, { q, raw }]) => ({
      method: 'GET',
      path: `/api/reports/${name}${queryString(q, raw)}`,
      headers: { authorization: w.auth.finance },
      input: q,
      extraKeys: rawKeys(raw),
    }),
    invalid: ([name, { q, raw }]) => {
      const p: Problems = [];
      if (rawKeys(raw).length && name !== 'print-mailing-list.csv') p.push(`raw junk ${raw}`);
      if (name === 'print-mailing-list.csv') return p; // takes no parameters; others are ignored
      for (const k of Object.keys(q)) if (!allowed[name].includes(k)) p.push(`unknown parameter ${k}`);
      if (name === 'lapsed-supporters.csv') {
        const year = single(p, q, 'year');
        if (year === undefined || !/^\d+$/.test(year) || Number(year) < 2000 || Number(year) > 2200) p.push('year');
      } else if (name === 'reconciliation.csv') {
        if (q.payout !== undefined) p.push('payout that does not exist');
        else if (!realDate(single(p, q, 'from')) || !realDate(single(p, q, 'to')) || String(q.to) < String(q.from)) {
          p.push('range');
        }
      } else {
        range(p, q);
        if (name !== 'recurring.csv') oneOf(p, single(p, q, 'interval'), 'interval', ['day', 'week', 'month']);
        const top = single(p, q, 'top');
        if (top !== undefined && (!/^\d+$/.test(top) || Number(top) < 1 || Number(top) > 500)) p.push('top');
      }
      return p;
    },
    fields: Object.keys(params),
  });
});

/** Recording a print run: an issue date (a real day) and an optional reference. */
export const printRuns = fuzzCase('POST /api/print-runs', (w) => {
  const fields = {
    issueDate: validDate,
    reference: fc.constantFrom('Issue 42', '  Summer issue  ', ''),
  };
  return endpoint({
    name: 'POST /api/print-runs',
    inputs: bodies(fc.record(fields, { requiredKeys: ['issueDate'] }), fields),
    request: (b) => jsonRequest('POST', '/api/print-runs', b, { authorization: w.auth.finance }),
    invalid: (b) => {
      const p: Problems = [];
      if (!isObj(b)) return ['body not an object'];
      onlyKeys(p, b, ['issueDate', 'reference']);
      if (b.issueDate === undefined) p.push('issueDate missing');
      else if (!realDate(b.issueDate)) p.push('issueDate not a real date');
      text(p, b.reference, 'reference', 200, { required: false });
      return p;
    },
    // A new issue date: the run, its recipients, their first issues' welcomes, the audit entry; the same date again: nothing.
    writes: { print_runs: [0, 1], print_run_recipients: [0, 100_000], emails: [0, 100_000], audit_log: [0, 1] },
    fields: ['issueDate', 'reference'],
  });
});
