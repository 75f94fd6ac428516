import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@app/common';
import { Actor, CurrentActor, Roles } from '@app/staff';
import { BulkStatementsDto, BulkStatementsResultDto, financialYear, StatementsService } from '@app/statements';

/** Annual giving statements (the Australian financial year): downloaded one at a time, or emailed to every giver of a year. */
@ApiTags('statements')
@Roles('finance', 'admin')
@Controller('api/statements')
export class StatementsController {
  constructor(private readonly statements: StatementsService) {}

  @Post('bulk')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Email every giver of an ended financial year their giving statement (PDF attached), once',
    description:
      'Everyone who made a payment in the year (merged records as one person) is sent the statement once, however often this is called; those already sent it (by an earlier call or on their own request) are counted in `alreadySent`. Readers who turned non-essential email off, and supporters without an email address, are skipped. Audited.',
  })
  @ApiOkResponse({ type: BulkStatementsResultDto })
  @ApiUnprocessableEntityResponse({ description: 'STATEMENT_YEAR_NOT_ENDED: the year has not ended (field `year`)' })
  bulk(@Body() dto: BulkStatementsDto, @CurrentActor() actor: Actor): Promise<BulkStatementsResultDto> {
    return this.statements.sendBulk(dto.year, actor);
  }

  @Get(':supporterId/:year.pdf')
  @ApiOperation({
    summary: "A supporter's giving statement of a financial year, as a PDF",
    description:
      'The year is named by the year it ends (2026 = 1 July 2025 to 30 June 2026); the current year gives the statement so far. A merged record gives the statement of the person it was merged into.',
  })
  @ApiParam({ name: 'supporterId', format: 'uuid' })
  @ApiParam({ name: 'year', schema: { type: 'integer', example: 2026 } })
  @ApiOkResponse({
    description: 'The PDF (a download)',
    content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiNotFoundResponse({ description: 'NOT_FOUND: no such supporter' })
  async pdf(
    @Param('supporterId') supporterId: string,
    @Param('year') year: string,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (!/^\d{4}$/.test(year)) {
      throw new DomainError('STATEMENT_YEAR_INVALID', 'year must be four digits, e.g. 2026', 'year');
    }
    const pdf = await this.statements.build(supporterId, Number(year));
    void reply
      .header('content-type', 'application/pdf')
      .header(
        'content-disposition',
        `attachment; filename="giving-statement-${financialYear(Number(year)).label.replace('–', '-')}.pdf"`,
      )
      .header('cache-control', 'no-store')
      .send(pdf);
  }
}
