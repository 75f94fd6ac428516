/**
 * CSV for spreadsheets (RFC 4180 quoting; LF line ends, as PostgreSQL COPY writes them). Text that a spreadsheet would run as a
 * formula (starting with = + - @ tab or CR) is prefixed with a single quote; numbers are
 * written as they are (minor units may be negative).
 */
export type CsvValue = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const FORMULA = /^[=+\-@\t\r]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const text = FORMULA.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\n`;
}

export function toCsv(header: string[], rows: CsvValue[][]): string {
  return csvLine(header) + rows.map(csvLine).join('');
}
