import { Injectable, Logger } from '@nestjs/common';
import { Clock, DomainError, formatMoney, isUuid, localDate } from '@app/common';
import { AppConfig } from '@app/config';
import { EmailService, EmailTemplates } from '@app/email';
import { Actor, AuditService } from '@app/staff';
import { financialYear, financialYearEnded, financialYearOf, longDate } from './financial-year';
import { renderStatementPdf, statementTotals } from './statement-pdf';
import { StatementsData, type StatementPerson } from './statements.data-access';
import type { BulkStatementsResultDto } from './statements.dto';

/** Statements a bulk send prepares at once. */
const BULK_LANES = 4;

/** The kind of the statement's email in the outbox. */
export const GIVING_STATEMENT_KIND = 'giving_statement';

/**
 * Annual giving statements for the Australian financial year (1 July–30 June, in
 * REPORT_TIME_ZONE): a PDF of every payment a supporter made in the year (merged records
 * followed), built on demand; emailed with the PDF attached on the reader's request, or to every
 * giver of a year once it has ended (finance), once per supporter and year.
 */
@Injectable()
export class StatementsService {
  private readonly logger = new Logger('Statements');

  constructor(
    private readonly data: StatementsData,
    private readonly email: EmailService,
    private readonly templates: EmailTemplates,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return localDate(this.clock.now(), this.config.REPORT_TIME_ZONE);
  }

  /** A year a statement can be made of: from 2000 to the current financial year (so far). */
  private checkYear(year: number): void {
    if (!Number.isInteger(year) || year < 2000 || year > financialYearOf(this.today())) {
      throw new DomainError(
        'STATEMENT_YEAR_INVALID',
        `year must be a financial year from 2000 to ${financialYearOf(this.today())} (named by the year it ends)`,
        'year',
      );
    }
  }

  private async personOf(supporterId: string): Promise<StatementPerson> {
    const person = isUuid(supporterId) ? await this.data.person(supporterId) : null;
    if (!person) throw new DomainError('NOT_FOUND', 'no such supporter', 'supporterId');
    return person;
  }

  /**
   * The statement of financial year `fyEndYear` (2026 = 1 July 2025 to 30 June 2026) for a
   * supporter (the person they are: a merged record's statement is the survivor's), as a PDF.
   * The current year gives the statement so far.
   */
  async build(supporterId: string, fyEndYear: number): Promise<Buffer> {
    this.checkYear(fyEndYear);
    return (await this.render(await this.personOf(supporterId), fyEndYear)).pdf;
  }

  /**
   * The financial years a supporter has a statement of (a payment in them, merged records
   * followed), newest first: for the reader's account to offer. Unknown supporter: none.
   */
  async years(supporterId: string): Promise<number[]> {
    const person = isUuid(supporterId) ? await this.data.person(supporterId) : null;
    return person ? this.data.years(person.id, this.config.REPORT_TIME_ZONE) : [];
  }

  private async render(person: StatementPerson, year: number): Promise<{ pdf: Buffer; summary: string }> {
    const fy = financialYear(year);
    const lines = await this.data.lines(person.id, fy.from, fy.to, this.config.REPORT_TIME_ZONE);
    const pdf = await renderStatementPdf({
      organisation: this.config.organisation,
      year: fy,
      name: person.erased ? null : person.name,
      supporterId: person.id,
      lines,
      issuedOn: this.today(),
    });
    const totals = statementTotals(lines);
    const summary = totals.length
      ? totals.map((t) => formatMoney({ amount: t.total, currency: t.currency })).join(' and ')
      : formatMoney({ amount: 0, currency: this.config.CURRENCY });
    return { pdf, summary };
  }

  /**
   * Emails the supporter their statement of `fyEndYear` with the PDF attached (kind
   * `giving_statement`), as the reader asks from their account: sent whatever their email
   * preferences say (they asked). A year that has ended counts as sent for the bulk send.
   */
  async sendOne(supporterId: string, fyEndYear: number): Promise<void> {
    this.checkYear(fyEndYear);
    const person = await this.personOf(supporterId);
    if (!person.email || person.erased) {
      throw new DomainError('STATEMENT_NO_EMAIL', 'we hold no email address for this supporter', 'supporterId');
    }
    const { pdf, summary } = await this.render(person, fyEndYear);
    await this.data.transaction(async (m) => {
      if (financialYearEnded(fyEndYear, this.today())) await this.data.markSent(m, person.id, fyEndYear, 'reader');
      await this.email.send(this.statementEmail(person, fyEndYear, pdf, summary), m);
    });
  }

  /**
   * Sends the statement of an ended financial year to everyone who made a payment in it, once:
   * a supporter already sent it (an earlier call, or their own request) is not sent it again.
   * Readers who turned non-essential email off, and those without an address, are skipped.
   * Audited. Each statement is queued in its own transaction with its `giving_statements_sent` row.
   */
  async sendBulk(year: number, actor: Actor): Promise<BulkStatementsResultDto> {
    this.checkYear(year);
    const today = this.today();
    if (!financialYearEnded(year, today)) {
      throw new DomainError(
        'STATEMENT_YEAR_NOT_ENDED',
        `the financial year ${financialYear(year).label} ends on ${longDate(financialYear(year).to)}: statements are sent after it`,
        'year',
      );
    }
    const fy = financialYear(year);
    const givers = await this.data.givers(year, fy.from, fy.to, this.config.REPORT_TIME_ZONE);
    const result: BulkStatementsResultDto = {
      year,
      givers: givers.length,
      queued: 0,
      alreadySent: 0,
      skippedNoEmail: 0,
      skippedOptedOut: 0,
    };
    const toSend: typeof givers = [];
    for (const person of givers) {
      if (person.alreadySent) result.alreadySent++;
      else if (!person.email || person.erased) result.skippedNoEmail++;
      else if (!person.emailUpdates) result.skippedOptedOut++;
      else toSend.push(person);
    }
    // A few at once: one statement's PDF is drawn while another's transaction commits.
    let next = 0;
    const lane = async () => {
      while (next < toSend.length) {
        const person = toSend[next++];
        const { pdf, summary } = await this.render(person, year);
        const queued = await this.data.transaction(async (m) => {
          // Taken by a concurrent call (or the reader's request) since the list was read: not sent twice.
          if (!(await this.data.markSent(m, person.id, year, actor.label))) return false;
          await this.email.send(this.statementEmail(person, year, pdf, summary), m);
          return true;
        });
        if (queued) result.queued++;
        else result.alreadySent++;
      }
    };
    // Every lane finishes (what was queued stays queued and recorded) before a failure is reported.
    const outcomes = await Promise.allSettled(Array.from({ length: BULK_LANES }, lane));
    await this.audit.record(actor, {
      action: 'statements.bulk_send',
      entityType: 'giving_statements',
      entityId: String(year),
      after: result,
    });
    this.logger.log(`giving statements ${fy.label}: ${result.queued} queued of ${result.givers} givers`);
    const failed = outcomes.find((o) => o.status === 'rejected');
    // Called again, it sends the rest: those queued are recorded as sent.
    if (failed) throw failed.reason;
    return result;
  }

  private statementEmail(person: StatementPerson, year: number, pdf: Buffer, summary: string) {
    const fy = financialYear(year);
    return {
      to: person.email!,
      ...this.templates.render('giving_statement', {
        name: person.name,
        label: fy.label,
        period: `1 July ${year - 1} to 30 June ${year}`,
        ended: financialYearEnded(year, this.today()),
        total: summary,
      }),
      kind: GIVING_STATEMENT_KIND,
      attachments: [
        {
          filename: `giving-statement-${fy.label.replace('–', '-')}.pdf`,
          contentType: 'application/pdf',
          content: pdf,
        },
      ],
    };
  }
}
