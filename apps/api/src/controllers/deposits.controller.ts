import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiCsvResponse } from '@app/common';
import type { FastifyReply } from 'fastify';
import {
  CloseDepositDto,
  DepositDto,
  DepositEntriesDto,
  DepositListQuery,
  DepositReportDto,
  DepositReportsService,
  DepositsService,
  DepositSummaryDto,
  OpenDepositDto,
  PhoneReconciliationDto,
} from '@app/deposits';
import { DateRangeQuery } from '@app/reports';
import { Actor, CurrentActor, Roles } from '@app/staff';
import { sendCsv } from './reports.controller';

@ApiTags('deposits')
@Roles('finance', 'admin')
@Controller('api/deposits')
export class DepositsController {
  constructor(private readonly deposits: DepositsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Open a bank deposit: it lists the phone cash and cheques in no deposit yet (`available`) with their totals',
  })
  @ApiCreatedResponse({ type: DepositDto })
  open(@Body() dto: OpenDepositDto, @CurrentActor() actor: Actor): Promise<DepositDto> {
    return this.deposits.open(dto, actor);
  }

  @Get()
  @ApiOperation({ summary: 'Deposits, newest first (at most 500)' })
  @ApiOkResponse({ type: [DepositSummaryDto] })
  list(@Query() q: DepositListQuery): Promise<DepositSummaryDto[]> {
    return this.deposits.list(q.status);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A deposit with its entries; open, also what is available to add' })
  @ApiOkResponse({ type: DepositDto })
  get(@Param('id') id: string): Promise<DepositDto> {
    return this.deposits.get(id);
  }

  @Post(':id/entries')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add cash and cheque entries to an open deposit',
    description:
      'Each ledger entry is in one deposit at most (409 DEPOSIT_ENTRY_TAKEN); only phone cash and cheques, not voided or reversed (422 DEPOSIT_ENTRY_INELIGIBLE); a closed deposit refuses (409 DEPOSIT_CLOSED). Adding an entry already in this deposit changes nothing.',
  })
  @ApiOkResponse({ type: DepositDto })
  addEntries(@Param('id') id: string, @Body() dto: DepositEntriesDto, @CurrentActor() actor: Actor) {
    return this.deposits.addEntries(id, dto.entryIds, actor);
  }

  @Delete(':id/entries/:entryId')
  @ApiOperation({ summary: 'Take an entry out of an open deposit' })
  @ApiOkResponse({ type: DepositDto })
  removeEntry(@Param('id') id: string, @Param('entryId') entryId: string, @CurrentActor() actor: Actor) {
    return this.deposits.removeEntry(id, entryId, actor);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({
    summary: "Close a deposit with the bank's reference and the day it was banked; closed, it never changes",
  })
  @ApiOkResponse({ type: DepositDto })
  close(@Param('id') id: string, @Body() dto: CloseDepositDto, @CurrentActor() actor: Actor): Promise<DepositDto> {
    return this.deposits.close(id, dto, actor);
  }
}

@ApiTags('reports')
@Roles('finance', 'admin')
@Controller('api/reports')
export class DepositReportsController {
  constructor(private readonly reports: DepositReportsService) {}

  @Get('deposits')
  @ApiOperation({ summary: 'Closed deposits banked in [from, to] (their date), each with its entries' })
  @ApiOkResponse({ type: DepositReportDto })
  deposits(@Query() q: DateRangeQuery): Promise<DepositReportDto> {
    return this.reports.report(q);
  }

  @Get('deposits.csv')
  @ApiOperation({ summary: 'The deposit report as CSV: one line per entry of each deposit' })
  @ApiCsvResponse('CSV (a download)')
  async depositsCsv(@Query() q: DateRangeQuery, @Res() reply: FastifyReply): Promise<void> {
    sendCsv(reply, `deposits-${q.from}-${q.to}.csv`, await this.reports.reportCsv(q));
  }

  @Get('phone-reconciliation')
  @ApiOperation({
    summary: 'Phone cash and cheques recorded per local day against what was deposited',
    description:
      'Per local day and method: recorded, reversed (voids and reversals), deposited (closed deposits), inOpenDeposit, outstanding = recorded − reversed − deposited − inOpenDeposit; and bankedInRange, what the deposits banked in the range hold.',
  })
  @ApiOkResponse({ type: PhoneReconciliationDto })
  phoneReconciliation(@Query() q: DateRangeQuery): Promise<PhoneReconciliationDto> {
    return this.reports.phoneReconciliation(q);
  }

  @Get('phone-reconciliation.csv')
  @ApiOperation({ summary: 'Phone cash and cheques against deposits as CSV, one line per day and method' })
  @ApiCsvResponse('CSV (a download)')
  async phoneReconciliationCsv(@Query() q: DateRangeQuery, @Res() reply: FastifyReply): Promise<void> {
    sendCsv(reply, `phone-reconciliation-${q.from}-${q.to}.csv`, await this.reports.phoneReconciliationCsv(q));
  }
}
