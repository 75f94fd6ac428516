import { nextPeriodBoundary, periodBoundary } from './billing-calendar';

const utc = (s: string) => Date.parse(s) / 1000;

describe('billing calendar', () => {
  it('adds calendar months keeping the anchor day, clamped to short months', () => {
    const anchor = utc('2026-01-31T10:20:30Z');
    expect([1, 2, 3, 13].map((n) => new Date(periodBoundary(anchor, 'month', 1, n) * 1000).toISOString())).toEqual([
      '2026-02-28T10:20:30.000Z',
      '2026-03-31T10:20:30.000Z',
      '2026-04-30T10:20:30.000Z',
      '2027-02-28T10:20:30.000Z',
    ]);
    expect(periodBoundary(utc('2028-02-29T00:00:00Z'), 'year', 1, 1)).toBe(utc('2029-02-28T00:00:00Z'));
    expect(periodBoundary(anchor, 'week', 2, 1)).toBe(anchor + 14 * 86400);
  });

  it('finds the end of the period containing a time', () => {
    const anchor = utc('2026-01-15T00:00:00Z');
    expect(nextPeriodBoundary(anchor, 'month', 1, anchor)).toBe(utc('2026-02-15T00:00:00Z'));
    expect(nextPeriodBoundary(anchor, 'month', 1, utc('2026-02-15T00:00:00Z'))).toBe(utc('2026-03-15T00:00:00Z'));
  });
});
