/**
 * The Australian financial year: 1 July to 30 June, named by the year it ends (2026 = 1 July 2025
 * to 30 June 2026, "2025–26"). Dates are local calendar days (YYYY-MM-DD) in REPORT_TIME_ZONE.
 */
export interface FinancialYear {
  /** The year it ends. */
  year: number;
  /** First day, YYYY-MM-DD (1 July of year − 1). */
  from: string;
  /** Last day, YYYY-MM-DD (30 June of year). */
  to: string;
  /** "2025–26". */
  label: string;
}

export function financialYear(year: number): FinancialYear {
  return {
    year,
    from: `${year - 1}-07-01`,
    to: `${year}-06-30`,
    label: `${year - 1}–${String(year % 100).padStart(2, '0')}`,
  };
}

/** The financial year a local day (YYYY-MM-DD) falls in. */
export function financialYearOf(day: string): number {
  const [y, m] = day.split('-').map(Number);
  return m >= 7 ? y + 1 : y;
}

/** Whether the financial year is over on local day `today` (its 30 June has passed). */
export function financialYearEnded(year: number, today: string): boolean {
  return today > financialYear(year).to;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "4 December 2026" from YYYY-MM-DD. */
export function longDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${d} ${MONTHS[m - 1]} ${y}`;
}
