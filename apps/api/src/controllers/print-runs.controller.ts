import { Actor, CurrentActor, Roles } from '@app/staff';
import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiCsvResponse } from '@app/common';
import type { FastifyReply } from 'fastify';
import { CreatePrintRunDto, PrintRunCreatedDto, PrintRunDto, PrintRunsService } from '@app/reports';
import { sendCsv } from './reports.controller';

@ApiTags('reports')
@Roles('finance', 'admin')
@Controller('api/print-runs')
export class PrintRunsController {
  constructor(private readonly runs: PrintRunsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record that an issue is going out to the print mailing list as it is now (audited)',
    description:
      'One run per issueDate: the same date again answers the run recorded (created: false) and adds nothing. Each subscription in a run for the first time gets the print welcome (its first issue, dated issueDate, and the address it is posted to), once, through the outbox, if it has an email and email updates on. 400 VALIDATION_FAILED naming issueDate for a date that is not YYYY-MM-DD or not a real day.',
  })
  @ApiOkResponse({ type: PrintRunCreatedDto })
  create(@Body() dto: CreatePrintRunDto, @CurrentActor() actor: Actor): Promise<PrintRunCreatedDto> {
    return this.runs.create(actor, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The print runs, newest issue first' })
  @ApiOkResponse({ type: [PrintRunDto] })
  list(): Promise<PrintRunDto[]> {
    return this.runs.list();
  }

  @Get(':id/recipients.csv')
  @ApiOperation({ summary: "A print run's list for the mailing house (the print mailing list's columns), as it was" })
  @ApiCsvResponse('CSV (a download)')
  async recipientsCsv(@Param('id') id: string, @Res() reply: FastifyReply): Promise<void> {
    const { run, csv } = await this.runs.recipientsCsv(id);
    sendCsv(reply, `print-run-${run.issueDate}.csv`, csv);
  }
}
