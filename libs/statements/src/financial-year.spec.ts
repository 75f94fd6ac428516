import { financialYear, financialYearEnded, financialYearOf, longDate } from './financial-year';

describe('the Australian financial year', () => {
  it('is named by the year it ends: 2026 is 1 July 2025 to 30 June 2026', () => {
    expect(financialYear(2026)).toEqual({ year: 2026, from: '2025-07-01', to: '2026-06-30', label: '2025–26' });
    expect(financialYear(2000).label).toBe('1999–00');
  });

  it('a day belongs to the year ending the next 30 June', () => {
    expect(financialYearOf('2025-06-30')).toBe(2025);
    expect(financialYearOf('2025-07-01')).toBe(2026);
    expect(financialYearOf('2026-01-15')).toBe(2026);
    expect(financialYearOf('2026-12-04')).toBe(2027);
  });

  it('has ended once its 30 June has passed', () => {
    expect(financialYearEnded(2026, '2026-06-30')).toBe(false);
    expect(financialYearEnded(2026, '2026-07-01')).toBe(true);
    expect(financialYearEnded(2027, '2026-12-04')).toBe(false);
  });

  it('writes dates out in full', () => {
    expect(longDate('2026-12-04')).toBe('4 December 2026');
    expect(longDate('2025-07-01')).toBe('1 July 2025');
  });
});
