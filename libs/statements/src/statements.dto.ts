import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

/** `POST /api/statements/bulk`: send the giving statements of a financial year that has ended. */
export class BulkStatementsDto {
  @ApiProperty({
    type: 'integer',
    example: 2026,
    description: 'The financial year, named by the year it ends: 2026 is 1 July 2025 to 30 June 2026',
  })
  @IsInt({ message: 'year must be an integer (the year the financial year ends, e.g. 2026)' })
  @Min(2000, { message: 'year must be 2000 or later' })
  @Max(2999, { message: 'year must be before 3000' })
  year: number;
}

/** What a bulk send did. */
export class BulkStatementsResultDto {
  @ApiProperty({ type: 'integer', description: 'The financial year (the year it ends)' })
  year: number;

  @ApiProperty({ type: 'integer', description: 'Supporters who made a payment in the year (merged records as one)' })
  givers: number;

  @ApiProperty({ type: 'integer', description: 'Statements queued now (emails with the PDF attached)' })
  queued: number;

  @ApiProperty({
    type: 'integer',
    description: 'Supporters already sent this year’s statement (by an earlier bulk send or on their request)',
  })
  alreadySent: number;

  @ApiProperty({ type: 'integer', description: 'Skipped: no email address held (or erased)' })
  skippedNoEmail: number;

  @ApiProperty({ type: 'integer', description: 'Skipped: the reader turned off non-essential email' })
  skippedOptedOut: number;
}
