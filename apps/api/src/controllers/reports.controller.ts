import { Roles } from '@app/staff';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiCsvResponse } from '@app/common';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import {
  DateRangeQuery,
  LapsedSupporterDto,
  MailingListEntryDto,
  RecurringReportDto,
  ReconciliationQuery,
  ReconciliationReportDto,
  ReconciliationService,
  ReportsService,
  SummaryChannelQuery,
  SummaryReportDto,
  SupportersQuery,
  SupportersReportDto,
  YearQuery,
} from '@app/reports';

/** Sends CSV as a download; never cached (it is finance data). */
export function sendCsv(reply: FastifyReply, filename: string, body: string | Readable): void {
  reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('cache-control', 'no-store')
    .send(body);
}

@ApiTags('reports')
@Roles('finance', 'admin')
@Controller('api/reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly reconciliation: ReconciliationService,
  ) {}

  @Get('summary')
  @ApiOperation({
    summary: 'Money in per day, week (ISO, from Monday) or month, in the organisation time zone',
    description:
      'Per period and in total: gross (payments), fees, net (gross − refunds − disputes − fees), refunds (incl. reversals) and disputes (lost less won back) as positive amounts, counts; split byType and byChannel; `channel` keeps one channel only. from/to are local dates, to included; the first and last periods are clipped to the range. Minor units.',
  })
  @ApiOkResponse({ type: SummaryReportDto })
  summary(@Query() q: SummaryChannelQuery): Promise<SummaryReportDto> {
    return this.reports.summary(q);
  }

  @Get('summary.csv')
  @ApiOperation({ summary: 'The summary as CSV: one line per period, type and channel' })
  @ApiCsvResponse('CSV (a download)')
  async summaryCsv(@Query() q: SummaryChannelQuery, @Res() reply: FastifyReply): Promise<void> {
    sendCsv(
      reply,
      `summary-${q.from}-${q.to}-${q.interval}${q.channel ? `-${q.channel}` : ''}.csv`,
      await this.reports.summaryCsv(q),
    );
  }

  @Get('ledger.csv')
  @ApiOperation({
    summary: 'Every ledger entry in the range, oldest first, streamed as CSV',
    description:
      'Columns: id, occurred_at (UTC), local_date, kind, type, channel, method, currency, gross, fee, net (minor units), supporter, campaign, reference, description, Stripe ids, reverses_entry_id, staff_id, recorded_at.',
  })
  @ApiCsvResponse('CSV (a download)')
  async ledgerCsv(@Query() q: DateRangeQuery, @Res() reply: FastifyReply): Promise<void> {
    sendCsv(reply, `ledger-${q.from}-${q.to}.csv`, await this.reports.ledgerCsv(q));
  }

  @Get('recurring')
  @ApiOperation({
    summary:
      'Recurring revenue: active subscribers by tier and monthly donors, MRR (monthly equivalent), started, ended and churn per month',
  })
  @ApiOkResponse({ type: RecurringReportDto })
  recurring(@Query() q: DateRangeQuery): Promise<RecurringReportDto> {
    return this.reports.recurring(q);
  }

  @Get('recurring.csv')
  @ApiOperation({ summary: 'Recurring revenue per month and segment as CSV' })
  @ApiCsvResponse('CSV (a download)')
  async recurringCsv(@Query() q: DateRangeQuery, @Res() reply: FastifyReply): Promise<void> {
    sendCsv(reply, `recurring-${q.from}-${q.to}.csv`, await this.reports.recurringCsv(q));
  }

  @Get('supporters')
  @ApiOperation({
    summary: 'Supporters per period (givers, new, returning), the top supporters of the range, and how many lapsed',
  })
  @ApiOkResponse({ type: SupportersReportDto })
  supporters(@Query() q: SupportersQuery): Promise<SupportersReportDto> {
    return this.reports.supporters(q);
  }

  @Get('supporters.csv')
  @ApiOperation({ summary: 'Givers, new and returning per period as CSV' })
  @ApiCsvResponse('CSV (a download)')
  async supportersCsv(@Query() q: SupportersQuery, @Res() reply: FastifyReply): Promise<void> {
    sendCsv(reply, `supporters-${q.from}-${q.to}.csv`, await this.reports.supportersCsv(q));
  }

  @Get('top-supporters.csv')
  @ApiOperation({ summary: 'The top supporters of the range (given net of refunds) as CSV' })
  @ApiCsvResponse('CSV (a download)')
  async topSupportersCsv(@Query() q: SupportersQuery, @Res() reply: FastifyReply): Promise<void> {
    sendCsv(reply, `top-supporters-${q.from}-${q.to}.csv`, await this.reports.topSupportersCsv(q));
  }

  @Get('lapsed-supporters')
  @ApiOperation({ summary: 'Supporters who gave the year before `year` (local) and not in it' })
  @ApiOkResponse({ type: [LapsedSupporterDto] })
  lapsed(@Query() q: YearQuery): Promise<LapsedSupporterDto[]> {
    return this.reports.lapsed(q.year);
  }

  @Get('lapsed-supporters.csv')
  @ApiOperation({ summary: 'Lapsed supporters as CSV (whom to ask again)' })
  @ApiCsvResponse('CSV (a download)')
  async lapsedCsv(@Query() q: YearQuery, @Res() reply: FastifyReply): Promise<void> {
    sendCsv(reply, `lapsed-supporters-${q.year}.csv`, await this.reports.lapsedCsv(q.year));
  }

  @Get('print-mailing-list')
  @ApiOperation({ summary: 'Print subscribers entitled to the edition now, with their delivery addresses' })
  @ApiOkResponse({ type: [MailingListEntryDto] })
  mailingList(): Promise<MailingListEntryDto[]> {
    return this.reports.printMailingList();
  }

  @Get('print-mailing-list.csv')
  @ApiOperation({ summary: 'The print mailing list as CSV for the mailing house' })
  @ApiCsvResponse('CSV (a download)')
  async mailingListCsv(@Res() reply: FastifyReply): Promise<void> {
    sendCsv(reply, `print-mailing-list-${this.reports.today()}.csv`, await this.reports.printMailingListCsv());
  }

  @Get('reconciliation')
  @ApiOperation({
    summary: 'Stripe payouts matched against the ledger',
    description:
      'For each payout arriving in [from, to] (local dates) or the one `payout`: its balance transactions matched to ledger entries; differences listed as missing_in_ledger, amount_mismatch, fee_mismatch, payout_total_mismatch, and ledger entries of the covered time in none of the payouts (missing_in_stripe).',
  })
  @ApiOkResponse({ type: ReconciliationReportDto })
  reconcile(@Query() q: ReconciliationQuery): Promise<ReconciliationReportDto> {
    return this.reconciliation.reconcile(q);
  }

  @Get('reconciliation.csv')
  @ApiOperation({ summary: 'The reconciliation differences as CSV' })
  @ApiCsvResponse('CSV (a download)')
  async reconcileCsv(@Query() q: ReconciliationQuery, @Res() reply: FastifyReply): Promise<void> {
    sendCsv(reply, `reconciliation-${q.payout ?? `${q.from}-${q.to}`}.csv`, await this.reconciliation.reconcileCsv(q));
  }
}
