import type Stripe from 'stripe';
import { DAY_SECONDS } from './pricing';

export type Interval = Stripe.Price.Recurring.Interval;

/**
 * The end of billing period number `n` (1 = the first) of a subscription anchored at `anchor`
 * (unix seconds), as Stripe counts: months are calendar months that keep the anchor's day and
 * time of day (UTC), clamped to the month's last day — anchored on 31 January, periods end on
 * 28/29 February, 31 March, 30 April, ...
 */
export function periodBoundary(anchor: number, interval: Interval, intervalCount: number, n: number): number {
  const steps = intervalCount * n;
  switch (interval) {
    case 'day':
      return anchor + steps * DAY_SECONDS;
    case 'week':
      return anchor + steps * 7 * DAY_SECONDS;
    case 'month':
      return addMonths(anchor, steps);
    case 'year':
      return addMonths(anchor, steps * 12);
    default:
      throw new Error(`unknown interval ${String(interval)}`);
  }
}

/** The first period boundary after `after`: where the period that contains `after` ends. */
export function nextPeriodBoundary(anchor: number, interval: Interval, intervalCount: number, after: number): number {
  for (let n = 1; ; n++) {
    const boundary = periodBoundary(anchor, interval, intervalCount, n);
    if (boundary > after) return boundary;
  }
}

function addMonths(unixSeconds: number, months: number): number {
  const d = new Date(unixSeconds * 1000);
  const monthIndex = d.getUTCMonth() + months;
  const year = d.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Math.floor(Date.UTC(year, month, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000);
}
