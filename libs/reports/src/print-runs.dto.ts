import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsString, ValidateBy } from 'class-validator';
import { TextField } from '@app/common';

/** A calendar day YYYY-MM-DD that exists (not 2026-02-30). */
export function isRealDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** An issue of the print edition going out: the date printed on it, and the staff's own reference. */
export class CreatePrintRunDto {
  @ApiProperty({ example: '2026-12-05', description: 'the date of the issue, YYYY-MM-DD (one run per issue date)' })
  @IsDefined({ message: 'issueDate is required' })
  @IsString({ message: 'issueDate must be a date YYYY-MM-DD' })
  @ValidateBy({
    name: 'isRealDate',
    validator: { validate: isRealDate, defaultMessage: () => 'issueDate must be a real date YYYY-MM-DD' },
  })
  issueDate: string;

  @ApiPropertyOptional({ example: 'Issue 42', description: "the staff's own reference (at most 200 characters)" })
  @TextField('reference', 200, false)
  reference?: string;
}

export class PrintRunDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026-12-05' }) issueDate: string;
  @ApiProperty({ type: String, nullable: true }) reference: string | null;
  @ApiProperty({ description: 'subscriptions the issue went to' }) recipients: number;
  @ApiProperty({ description: 'of them, in a print run for the first time (their first issue)' }) firstIssues: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PrintRunCreatedDto extends PrintRunDto {
  @ApiProperty({
    description:
      'welcome emails written to the outbox by this request (first issues with an email and email updates on)',
  })
  welcomesQueued: number;
  @ApiProperty({
    description: 'false: a run for this issue date was already recorded; it is answered and nothing is added',
  })
  created: boolean;
}

/** A print issue posted to a supporter, as their data export shows it (the details as the run kept them). */
export class ExportedPrintIssueDto {
  @ApiProperty({ format: 'uuid' }) runId: string;
  @ApiProperty({ example: '2026-12-05' }) issueDate: string;
  @ApiProperty({ format: 'uuid' }) subscriptionId: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: { type: 'string' } })
  address: Record<string, string> | null;
}
