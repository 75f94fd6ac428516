import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import type { Organisation } from '@app/config';
import { formatMoney, sumMinor } from '@app/common';
import { type FinancialYear, longDate } from './financial-year';
import type { StatementLine } from './statements.data-access';

/** What a giving statement shows. */
export interface StatementContent {
  organisation: Organisation;
  year: FinancialYear;
  /** The supporter's name as we hold it (null: none given). */
  name: string | null;
  supporterId: string;
  lines: StatementLine[];
  /** The local day it is issued (YYYY-MM-DD); before the year's end the statement covers the year so far. */
  issuedOn: string;
}

/** Per currency: gifts (donations), subscriptions, and everything. */
export interface StatementTotals {
  currency: string;
  gifts: number;
  subscriptions: number;
  total: number;
}

const GIFT_TYPES = new Set(['donation', 'monthly_donation']);

const TYPE_LABELS: Record<string, string> = {
  donation: 'Donation',
  monthly_donation: 'Monthly donation',
  subscription: 'Subscription',
  prepaid_subscription: 'Prepaid subscription',
};

const METHOD_LABELS: Record<string, string> = {
  card: 'card',
  cash: 'cash',
  cheque: 'cheque',
  bank_transfer: 'bank transfer',
};

/** "Donation (by phone, cash)", "Refund of a monthly donation", … */
export function describeLine(line: StatementLine): string {
  const type = TYPE_LABELS[line.type] ?? line.type;
  const lower = type.toLowerCase();
  const how =
    line.channel === 'phone' ? ` (by phone, ${METHOD_LABELS[line.method] ?? line.method.replace(/_/g, ' ')})` : '';
  switch (line.kind) {
    case 'payment':
      return `${type}${how}`;
    case 'refund':
      return `Refund of a ${lower}`;
    case 'reversal':
      return `Correction: a ${lower} reversed`;
    case 'dispute':
      return `Disputed ${lower}`;
    case 'dispute_reversal':
      return `Dispute resolved: ${lower} restored`;
    case 'refund_failure':
      return `Refund of a ${lower} did not go through`;
    default:
      return `${type} (${line.kind})`;
  }
}

/** The totals of a statement's lines, one per currency (in order of first appearance). */
export function statementTotals(lines: StatementLine[]): StatementTotals[] {
  const currencies = [...new Set(lines.map((l) => l.currency))];
  return currencies.map((currency) => {
    const mine = lines.filter((l) => l.currency === currency);
    const gifts = sumMinor(mine.filter((l) => GIFT_TYPES.has(l.type)).map((l) => l.amount));
    const subscriptions = sumMinor(mine.filter((l) => !GIFT_TYPES.has(l.type)).map((l) => l.amount));
    return { currency, gifts, subscriptions, total: sumMinor([gifts, subscriptions]) };
  });
}

/** The characters of Windows-1252 beyond Latin-1: what pdfkit's built-in Helvetica can print besides ASCII and Latin-1. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/** Whether Helvetica (Windows-1252 only) prints every character of the texts. */
export function helveticaCanPrint(texts: Array<string | null>): boolean {
  for (const text of texts) {
    for (const ch of text ?? '') {
      const c = ch.codePointAt(0)!;
      if (!((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch))) return false;
    }
  }
  return true;
}

/**
 * DejaVu Sans (the `dejavu-fonts-ttf` package), embedded as the subset a statement uses, for text
 * Helvetica cannot print: names in Greek, Cyrillic, Hebrew, Arabic and more print as written.
 * Slower (subsetting costs tens of milliseconds), so only when needed. Read once.
 */
let dejaVu: { regular: Buffer; bold: Buffer } | undefined;
function dejaVuFonts(): { regular: Buffer; bold: Buffer } {
  dejaVu ??= {
    regular: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    bold: readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  };
  return dejaVu;
}

const money = (amount: number, currency: string) => formatMoney({ amount, currency });

/** "dd/mm/yyyy" from YYYY-MM-DD. */
const shortDate = (day: string) => day.split('-').reverse().join('/');

/**
 * The statement as an A4 PDF (pdfkit: its built-in Helvetica, or DejaVu Sans embedded for names it cannot print).
 * The organisation's name, ABN, postal address and tax statement; the supporter; every payment
 * of the year with its date, what it was and its amount (what gave money back as negatives);
 * totals per currency, gifts apart from subscriptions (only gifts can be deductible).
 */
export function renderStatementPdf(c: StatementContent): Promise<Buffer> {
  const org = c.organisation;
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: {
      Title: `Giving statement ${c.year.label}`,
      Author: org.name,
      Subject: `Payments to ${org.name}, 1 July ${c.year.year - 1} to 30 June ${c.year.year}`,
    },
  });
  let regular = 'Helvetica';
  let bold = 'Helvetica-Bold';
  if (!helveticaCanPrint([c.name, org.name, org.postalAddress, org.taxStatement])) {
    doc.registerFont('unicode', dejaVuFonts().regular);
    doc.registerFont('unicode-bold', dejaVuFonts().bold);
    regular = 'unicode';
    bold = 'unicode-bold';
  }
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const dateWidth = 80;
  const amountWidth = 110;
  const whatWidth = width - dateWidth - amountWidth;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  // The organisation.
  doc.font(bold).fontSize(18).text(org.name);
  doc.font(regular).fontSize(10);
  if (org.abn) doc.text(`ABN ${org.abn}`);
  if (org.postalAddress) doc.text(org.postalAddress);
  doc.text(org.siteUrl);
  doc.moveDown(1.5);

  // The statement and whom it is for.
  const yearEnded = c.issuedOn > c.year.to;
  doc.font(bold).fontSize(15).text(`Giving statement ${c.year.label}`);
  doc.font(regular).fontSize(10);
  doc.text(
    yearEnded
      ? `Financial year 1 July ${c.year.year - 1} to 30 June ${c.year.year}`
      : `Financial year 1 July ${c.year.year - 1} to 30 June ${c.year.year}, so far (to ${longDate(c.issuedOn)})`,
  );
  doc.text(`Issued ${longDate(c.issuedOn)}`);
  doc.moveDown();
  doc.font(bold).text(`Prepared for: ${c.name ?? 'Supporter'}`);
  doc.font(regular).text(`Supporter reference: ${c.supporterId}`);
  doc.moveDown(1.5);

  const row = (date: string, what: string, amount: string, strong = false) => {
    doc.font(strong ? bold : regular).fontSize(10);
    const height = Math.max(
      doc.heightOfString(what, { width: whatWidth - 10 }),
      doc.heightOfString(amount, { width: amountWidth }),
    );
    if (doc.y + height > bottom()) {
      doc.addPage();
      header();
    }
    const y = doc.y;
    doc.text(date, left, y, { width: dateWidth, lineBreak: false });
    doc.text(what, left + dateWidth, y, { width: whatWidth - 10 });
    const after = doc.y;
    doc.text(amount, left + dateWidth + whatWidth, y, { width: amountWidth, align: 'right' });
    doc.x = left;
    doc.y = Math.max(after, doc.y) + 4;
  };
  const rule = () => {
    doc
      .moveTo(left, doc.y)
      .lineTo(left + width, doc.y)
      .lineWidth(0.5)
      .strokeColor('#888888')
      .stroke();
    doc.y += 4;
  };
  const header = () => {
    row('Date', 'What', 'Amount', true);
    rule();
  };

  if (c.lines.length === 0) {
    doc.text('No payments in this period.');
  } else {
    header();
    for (const line of c.lines) row(shortDate(line.day), describeLine(line), money(line.amount, line.currency));
    rule();
    for (const t of statementTotals(c.lines)) {
      const suffix = statementTotals(c.lines).length > 1 ? ` (${t.currency})` : '';
      if (t.gifts !== 0 && t.subscriptions !== 0) {
        row('', `Donations${suffix}`, money(t.gifts, t.currency));
        row('', `Subscriptions${suffix}`, money(t.subscriptions, t.currency));
      }
      row('', `Total${suffix}`, money(t.total, t.currency), true);
    }
  }
  doc.moveDown(1.5);
  doc.x = left;
  doc.font(regular).fontSize(10).text(org.taxStatement, left, doc.y, { width });
  doc.moveDown();
  doc
    .fontSize(9)
    .fillColor('#555555')
    .text(
      'Refunds, reversals and disputed payments are shown as negative amounts. Amounts are in the currency paid.',
      left,
      doc.y,
      { width },
    );
  doc.end();
  return done;
}
