import { OptionalField, StorableText, Trimmed } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DEPOSIT_STATUSES = ['open', 'closed'] as const;
export type DepositStatus = (typeof DEPOSIT_STATUSES)[number];

// ----- requests -------------------------------------------------------------------------------

export class OpenDepositDto {
  @ApiPropertyOptional({ example: 'Monday banking, Westpac Newtown' })
  @OptionalField()
  @Trimmed()
  @IsString({ message: 'note must be a string' })
  @MaxLength(500, { message: 'note must be at most 500 characters' })
  @StorableText('note', { singleLine: false })
  note?: string;
}

export class DepositEntriesDto {
  @ApiProperty({ type: [String], example: ['1042', '1043'], description: 'ledger entry ids (cash or cheque, phone)' })
  @IsDefined({ message: 'entryIds is required' })
  @IsArray({ message: 'entryIds must be an array of ledger entry ids' })
  @ArrayNotEmpty({ message: 'entryIds must not be empty' })
  @ArrayMaxSize(1000, { message: 'entryIds must hold at most 1000 ids' })
  @Matches(/^\d{1,18}$/, { each: true, message: 'entryIds must be ledger entry ids (digits)' })
  entryIds: string[];
}

export class CloseDepositDto {
  @ApiProperty({ example: 'WBC-DEP-20261103-01', description: "the bank's reference for the deposit" })
  @IsDefined({ message: 'bankReference is required' })
  @Trimmed()
  @IsString({ message: 'bankReference must be a string' })
  @MinLength(1, { message: 'bankReference must not be empty' })
  @MaxLength(100, { message: 'bankReference must be at most 100 characters' })
  @StorableText('bankReference')
  bankReference: string;

  @ApiProperty({ example: '2026-11-03', description: 'the day the money was banked, YYYY-MM-DD' })
  @IsDefined({ message: 'depositedOn is required' })
  @Matches(DATE, { message: 'depositedOn must be a date YYYY-MM-DD' })
  depositedOn: string;
}

export class DepositListQuery {
  @ApiPropertyOptional({ enum: DEPOSIT_STATUSES })
  @IsOptional()
  @IsIn(DEPOSIT_STATUSES, { message: 'status must be one of: open, closed' })
  status?: DepositStatus;
}

// ----- responses ------------------------------------------------------------------------------

export class DepositEntryDto {
  @ApiProperty({ example: '1042', description: 'ledger entry id' })
  id: string;
  @ApiProperty({ example: '2026-11-02T03:14:00.000Z' })
  occurredAt: string;
  @ApiProperty({ example: '2026-11-02', description: 'the local day (REPORT_TIME_ZONE) it was taken' })
  localDate: string;
  @ApiProperty({ enum: ['cash', 'cheque'] })
  method: string;
  @ApiProperty({ type: 'integer', example: 5000, description: 'minor units' })
  amount: number;
  @ApiProperty({ example: 'AUD' })
  currency: string;
  @ApiProperty({ type: String, nullable: true, example: 'CHQ 004512' })
  reference: string | null;
  @ApiProperty({ type: String, nullable: true })
  supporterId: string | null;
  @ApiProperty({ type: String, nullable: true })
  supporterName: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the operator who took it' })
  staffId: string | null;
}

export class DepositTotalsDto {
  @ApiProperty({ type: 'integer', example: 3 })
  count: number;
  @ApiProperty({ type: 'integer', example: 15000, description: 'minor units' })
  total: number;
  @ApiProperty({ type: 'integer', example: 5000, description: 'of which cash, minor units' })
  cash: number;
  @ApiProperty({ type: 'integer', example: 10000, description: 'of which cheques, minor units' })
  cheque: number;
}

export class UndepositedDto {
  @ApiProperty({ type: [DepositEntryDto] })
  entries: DepositEntryDto[];
  @ApiProperty({ type: DepositTotalsDto })
  totals: DepositTotalsDto;
}

export class DepositSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: DEPOSIT_STATUSES })
  status: DepositStatus;
  @ApiProperty({ example: 'AUD' })
  currency: string;
  @ApiProperty({ type: String, nullable: true })
  note: string | null;
  @ApiProperty({ type: String, nullable: true })
  bankReference: string | null;
  @ApiProperty({ type: String, nullable: true, example: '2026-11-03' })
  depositedOn: string | null;
  @ApiProperty({ type: String, nullable: true })
  openedBy: string | null;
  @ApiProperty()
  openedAt: string;
  @ApiProperty({ type: String, nullable: true })
  closedBy: string | null;
  @ApiProperty({ type: String, nullable: true })
  closedAt: string | null;
  @ApiProperty({ type: DepositTotalsDto })
  totals: DepositTotalsDto;
}

export class DepositDto extends DepositSummaryDto {
  @ApiProperty({ type: [DepositEntryDto], description: 'the entries picked for this deposit' })
  entries: DepositEntryDto[];
  @ApiPropertyOptional({
    type: UndepositedDto,
    description: 'open deposits only: the cash and cheques in no deposit yet, to pick from',
  })
  available?: UndepositedDto;
}

/** What a report covers: whole local days [from, to] in the organisation's time zone, one currency. */
export class DepositReportRangeDto {
  @ApiProperty({ example: '2026-11-01' })
  from: string;
  @ApiProperty({ example: '2026-11-30' })
  to: string;
  @ApiProperty({ example: 'Australia/Sydney' })
  timeZone: string;
  @ApiProperty({ example: 'AUD' })
  currency: string;
}

export class DepositReportDto extends DepositReportRangeDto {
  @ApiProperty({ type: [DepositDto], description: 'closed deposits banked in the range, each with its entries' })
  deposits: DepositDto[];
  @ApiProperty({ type: DepositTotalsDto })
  totals: DepositTotalsDto;
}

export class PhoneMoneyDto {
  @ApiProperty({ type: 'integer', example: 4, description: 'entries taken' })
  count: number;
  @ApiProperty({ type: 'integer', example: 20000, description: 'taken (minor units)' })
  recorded: number;
  @ApiProperty({ type: 'integer', example: 5000, description: 'of it voided or reversed' })
  reversed: number;
  @ApiProperty({ type: 'integer', example: 10000, description: 'of it in a closed deposit (banked)' })
  deposited: number;
  @ApiProperty({ type: 'integer', example: 0, description: 'of it in a deposit still open' })
  inOpenDeposit: number;
  @ApiProperty({
    type: 'integer',
    example: 5000,
    description:
      'recorded − reversed − deposited − inOpenDeposit: money still to bank (negative: a reversed entry was banked)',
  })
  outstanding: number;
}

export class PhoneMoneyDayDto extends PhoneMoneyDto {
  @ApiProperty({ example: '2026-11-02', description: 'the local day the money was taken' })
  date: string;
  @ApiProperty({ enum: ['cash', 'cheque'] })
  method: string;
}

export class PhoneReconciliationDto extends DepositReportRangeDto {
  @ApiProperty({ type: [PhoneMoneyDayDto], description: 'per local day and method, days with phone cash or cheques' })
  days: PhoneMoneyDayDto[];
  @ApiProperty({ type: PhoneMoneyDto })
  totals: PhoneMoneyDto;
  @ApiProperty({
    type: 'integer',
    example: 10000,
    description: 'what the deposits banked in the range hold (by their date)',
  })
  bankedInRange: number;
}
