import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, DomainError } from '@app/common';
import type { PostalAddress } from '@app/donations';
import { Actor, AuditService } from '@app/staff';
import { SubscriptionEmails } from '@app/subscriptions';
import { Supporter } from '@app/supporters';
import { mailingListCsv, ReportsService } from './reports.service';
import { PrintRunsData } from './print-runs.data-access';
import { isRealDate, type CreatePrintRunDto, type PrintRunCreatedDto, type PrintRunDto } from './print-runs.dto';

function issueDateOf(value: unknown): string {
  if (!isRealDate(value)) {
    throw new DomainError('VALIDATION_FAILED', 'issueDate must be a real date YYYY-MM-DD', 'issueDate');
  }
  return value;
}

/**
 * Print runs: an issue going out to the print mailing list as it is now (the same rule as
 * `GET /api/reports/print-mailing-list`). The run, its recipients, each first issue's welcome
 * (through the outbox) and the audit entry are written in one transaction; one run per issue date.
 */
@Injectable()
export class PrintRunsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly data: PrintRunsData,
    private readonly reports: ReportsService,
    private readonly emails: SubscriptionEmails,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, dto: CreatePrintRunDto): Promise<PrintRunCreatedDto> {
    const issueDate = issueDateOf(dto.issueDate);
    const reference = dto.reference?.trim() || null;
    return this.db.transaction(async (m) => {
      await this.data.lock(m);
      const existing = await this.data.byIssueDate(m, issueDate);
      if (existing) return { ...existing, welcomesQueued: 0, created: false };
      const runId = await this.data.insertRun(m, issueDate, reference, actor.staffId);
      const list = await this.reports.printMailingEntries(this.clock.now(), m);
      const toWelcome = await this.data.insertRecipients(m, runId, list);
      let welcomesQueued = 0;
      for (const entry of list) {
        if (!toWelcome.has(entry.subscriptionId)) continue;
        const supporter = await m.findOneBy(Supporter, { id: entry.supporterId });
        if (!supporter) continue;
        const sent = await this.emails.firstIssueWelcome(
          m,
          supporter,
          {
            id: entry.subscriptionId,
            tierCode: entry.tier,
            billing: entry.billing,
            paidUntil: entry.paidUntil ? new Date(entry.paidUntil) : null,
          },
          entry.address as unknown as PostalAddress | null,
          issueDate,
        );
        if (sent) welcomesQueued++;
      }
      const run = (await this.data.byId(m, runId))!;
      await this.audit.record(
        actor,
        {
          action: 'print_run.create',
          entityType: 'print_run',
          entityId: runId,
          after: { issueDate, reference, recipients: run.recipients, firstIssues: run.firstIssues, welcomesQueued },
        },
        m,
      );
      return { ...run, welcomesQueued, created: true };
    });
  }

  list(): Promise<PrintRunDto[]> {
    return this.data.list(this.db.manager);
  }

  /** A run's list for the mailing house (the mailing list's columns); 404 for an unknown run. */
  async recipientsCsv(id: string): Promise<{ run: PrintRunDto; csv: string }> {
    const run = /^[0-9a-f-]{36}$/i.test(id) ? await this.data.byId(this.db.manager, id) : null;
    if (!run) throw new DomainError('PRINT_RUN_NOT_FOUND', 'no print run with this id', 'id');
    return { run, csv: mailingListCsv(await this.data.recipients(this.db.manager, id)) };
  }
}
