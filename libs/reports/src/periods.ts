import { DomainError } from '@app/common';

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

/** A reporting period: whole local days, `start` and `end` inclusive (YYYY-MM-DD). */
export interface Period {
  /** 2026-03-14 (day), 2026-03-09 (week: its Monday), 2026-03 (month). */
  period: string;
  start: string;
  end: string;
}

/** More periods than this in one answer is refused (about three years of days). */
export const MAX_PERIODS = 1100;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A calendar date as days since 1970-01-01 (pure calendar arithmetic: no time zone involved). */
function toDays(date: string): number {
  const [, y, m, d] = DATE.exec(date)!;
  return Date.UTC(Number(y), Number(m) - 1, Number(d)) / DAY_MS;
}

function fromDays(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

/** Checks a YYYY-MM-DD that names a real day; the error names the query field. */
export function parseDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !DATE.test(value)) {
    throw new DomainError('REPORT_RANGE_INVALID', `${field} must be a date YYYY-MM-DD`, field);
  }
  if (fromDays(toDays(value)) !== value) {
    throw new DomainError('REPORT_RANGE_INVALID', `${field} ${value} is not a real date`, field);
  }
  return value;
}

export function addDays(date: string, days: number): string {
  return fromDays(toDays(date) + days);
}

/** The first day of the day, ISO week (Monday) or month containing `date`. */
export function periodStart(date: string, interval: Interval): string {
  if (interval === 'day') return date;
  if (interval === 'month') return `${date.slice(0, 7)}-01`;
  const days = toDays(date);
  const weekday = (new Date(days * DAY_MS).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return fromDays(days - weekday);
}

function nextPeriodStart(start: string, interval: Interval): string {
  if (interval === 'day') return addDays(start, 1);
  if (interval === 'week') return addDays(start, 7);
  const y = Number(start.slice(0, 4));
  const m = Number(start.slice(5, 7));
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

/** The key a period is known by: the day, the Monday of the week, or YYYY-MM. */
export function periodKey(start: string, interval: Interval): string {
  return interval === 'month' ? start.slice(0, 7) : start;
}

/**
 * Every period from `from` to `to` (inclusive), the first and last clipped to the range, so
 * that the periods add up to exactly the range asked for.
 */
export function periodsBetween(from: string, to: string, interval: Interval): Period[] {
  if (toDays(to) < toDays(from)) throw new DomainError('REPORT_RANGE_INVALID', 'to must not be before from', 'to');
  const out: Period[] = [];
  for (let start = periodStart(from, interval); toDays(start) <= toDays(to); start = nextPeriodStart(start, interval)) {
    if (out.length >= MAX_PERIODS) {
      throw new DomainError(
        'REPORT_RANGE_INVALID',
        `at most ${MAX_PERIODS} periods per report: choose a longer interval or a shorter range`,
        'interval',
      );
    }
    const end = addDays(nextPeriodStart(start, interval), -1);
    out.push({
      period: periodKey(start, interval),
      start: toDays(start) < toDays(from) ? from : start,
      end: toDays(end) > toDays(to) ? to : end,
    });
  }
  return out;
}

/** Today's date in a time zone, YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}
