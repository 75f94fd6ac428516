import { periodsBetween, periodStart, parseDate, todayIn } from './periods';

describe('report periods', () => {
  it('cuts months, clipping the first and last to the range', () => {
    expect(periodsBetween('2026-01-15', '2026-03-10', 'month')).toEqual([
      { period: '2026-01', start: '2026-01-15', end: '2026-01-31' },
      { period: '2026-02', start: '2026-02-01', end: '2026-02-28' },
      { period: '2026-03', start: '2026-03-01', end: '2026-03-10' },
    ]);
    expect(periodsBetween('2024-02-01', '2024-02-29', 'month')).toEqual([
      { period: '2024-02', start: '2024-02-01', end: '2024-02-29' },
    ]);
    expect(periodsBetween('2025-12-01', '2026-01-31', 'month').map((p) => p.period)).toEqual(['2025-12', '2026-01']);
  });

  it('weeks start on Monday (ISO)', () => {
    expect(periodStart('2026-11-29', 'week')).toBe('2026-11-23'); // a Sunday
    expect(periodStart('2026-11-23', 'week')).toBe('2026-11-23');
    expect(periodsBetween('2026-11-25', '2026-12-08', 'week')).toEqual([
      { period: '2026-11-23', start: '2026-11-25', end: '2026-11-29' },
      { period: '2026-11-30', start: '2026-11-30', end: '2026-12-06' },
      { period: '2026-12-07', start: '2026-12-07', end: '2026-12-08' },
    ]);
  });

  it('days, and a year of them', () => {
    expect(periodsBetween('2026-04-04', '2026-04-06', 'day').map((p) => p.period)).toEqual([
      '2026-04-04',
      '2026-04-05',
      '2026-04-06',
    ]);
    expect(periodsBetween('2024-01-01', '2024-12-31', 'day')).toHaveLength(366);
  });

  it('refuses unreal dates, reversed ranges and too many periods, naming the field', () => {
    expect(() => parseDate('2026-02-30', 'from')).toThrow(/from 2026-02-30 is not a real date/);
    expect(() => parseDate('26-1-1', 'to')).toThrow(/to must be a date/);
    expect(() => periodsBetween('2026-02-01', '2026-01-01', 'day')).toThrow(/to must not be before from/);
    expect(() => periodsBetween('2020-01-01', '2026-01-01', 'day')).toThrow(/at most/);
  });

  it('knows the local date across the date line', () => {
    // 13:30 UTC on 30 June is already 1 July in Sydney (AEST, UTC+10).
    expect(todayIn('Australia/Sydney', new Date('2026-06-30T14:30:00Z'))).toBe('2026-07-01');
    expect(todayIn('UTC', new Date('2026-06-30T14:30:00Z'))).toBe('2026-06-30');
  });
});
