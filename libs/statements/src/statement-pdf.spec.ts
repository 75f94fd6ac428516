import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@app/config';
import { financialYear } from './financial-year';
import { describeLine, helveticaCanPrint, renderStatementPdf, statementTotals } from './statement-pdf';
import type { StatementLine } from './statements.data-access';

const line = (o: Partial<StatementLine>): StatementLine => ({
  day: '2026-01-15',
  kind: 'payment',
  type: 'donation',
  channel: 'online',
  method: 'card',
  amount: 2500,
  currency: 'AUD',
  ...o,
});

/** pdftotext (poppler-utils), when this machine has it; .ci/run installs it. */
function textOf(pdf: Buffer): string | null {
  const file = join(mkdtempSync(join(tmpdir(), 'statement-spec-')), 's.pdf');
  writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } catch {
    return null;
  }
}

describe('giving statement PDF', () => {
  it('says what each line was', () => {
    expect(describeLine(line({}))).toBe('Donation');
    expect(describeLine(line({ channel: 'phone', method: 'bank_transfer' }))).toBe(
      'Donation (by phone, bank transfer)',
    );
    expect(describeLine(line({ kind: 'refund', type: 'monthly_donation', amount: -500 }))).toBe(
      'Refund of a monthly donation',
    );
    expect(describeLine(line({ kind: 'reversal', type: 'prepaid_subscription' }))).toBe(
      'Correction: a prepaid subscription reversed',
    );
  });

  it('uses the built-in Helvetica when it can print every character (fast), an embedded font otherwise', () => {
    expect(helveticaCanPrint(['Zoë O’Brien', '“Bay” – €5 … Œuvre', null])).toBe(true);
    expect(helveticaCanPrint(['Дмитрий'])).toBe(false);
    expect(helveticaCanPrint(['Łukasz'])).toBe(false);
    expect(helveticaCanPrint(['line\nbreak'])).toBe(false);
  });

  it('totals per currency in integer cents, gifts apart from subscriptions', () => {
    const totals = statementTotals([
      line({ amount: 1001 }),
      line({ type: 'monthly_donation', amount: 1002 }),
      line({ kind: 'refund', amount: -3 }),
      line({ type: 'subscription', amount: 1500 }),
      line({ currency: 'NZD', amount: 700 }),
    ]);
    expect(totals).toEqual([
      { currency: 'AUD', gifts: 2000, subscriptions: 1500, total: 3500 },
      { currency: 'NZD', gifts: 700, subscriptions: 0, total: 700 },
    ]);
  });

  it('runs over several pages, the column heads repeated, and prints names as written (characters its font lacks do not stop it)', async () => {
    const lines = Array.from({ length: 80 }, (_, i) => line({ amount: 100 + i, day: `2026-0${1 + (i % 6)}-10` }));
    const pdf = await renderStatementPdf({
      organisation: loadConfig({ ORG_NAME: 'Bay Chronicle', ORG_ABN: '51 824 753 556' }).organisation,
      year: financialYear(2026),
      name: 'Zoë Дмитрий Ørsted 李 🎉',
      supporterId: '00000000-0000-4000-8000-000000000000',
      lines,
      issuedOn: '2026-07-02',
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const text = textOf(pdf);
    if (text === null) return; // no pdftotext here: the e2e suites read the text
    expect(text.match(/Date\s+What\s+Amount/g)?.length).toBeGreaterThanOrEqual(2);
    // Names print as written (DejaVu Sans; a script it lacks, such as Han, is left blank, not garbled).
    expect(text).toContain('Prepared for: Zoë Дмитрий Ørsted');
    // 100 + 101 + … + 179 cents
    expect(text).toMatch(/Total\s+\$111\.60/);
    expect(text).toContain('Financial year 1 July 2025 to 30 June 2026');
    expect(text).not.toContain('so far');
  });
});
