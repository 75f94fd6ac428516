import { localDate } from './clock';

describe('localDate', () => {
  it('is the day in the given zone, not in UTC', () => {
    // 2026-03-01 13:30 UTC is already 2 March in Sydney (UTC+11 in March, daylight saving).
    expect(localDate(new Date('2026-03-01T13:30:00Z'), 'Australia/Sydney')).toBe('2026-03-02');
    expect(localDate(new Date('2026-03-01T12:59:59Z'), 'Australia/Sydney')).toBe('2026-03-01');
    expect(localDate(new Date('2026-03-01T13:30:00Z'), 'UTC')).toBe('2026-03-01');
    expect(localDate(new Date('2026-07-01T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-06-30');
  });
});
