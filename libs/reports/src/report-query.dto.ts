import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { CHANNELS } from '@app/ledger';
import { INTERVALS, Interval } from './periods';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

/** A range of whole local days in the organisation's time zone, `to` included. */
export class DateRangeQuery {
  @ApiProperty({ example: '2026-01-01', description: 'first local day (organisation time zone), YYYY-MM-DD' })
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-12-31', description: 'last local day, included, YYYY-MM-DD' })
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to: string;

  @ApiPropertyOptional({ example: 'AUD', description: 'default: the deployment currency' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code' })
  currency?: string;
}

export class SummaryQuery extends DateRangeQuery {
  @ApiProperty({ enum: INTERVALS, example: 'month' })
  @IsIn(INTERVALS, { message: `interval must be one of ${INTERVALS.join(', ')}` })
  interval: Interval;
}

/** The money-in summary: optionally only one channel (the console's channel filter). */
export class SummaryChannelQuery extends SummaryQuery {
  @ApiPropertyOptional({ enum: CHANNELS, description: 'only this channel (default: every channel)' })
  @IsOptional()
  @IsIn(CHANNELS, { message: `channel must be one of ${CHANNELS.join(', ')}` })
  channel?: (typeof CHANNELS)[number];
}

export class SupportersQuery extends SummaryQuery {
  @ApiPropertyOptional({
    type: 'integer',
    example: 20,
    description: 'how many top supporters (default 20, at most 500)',
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'top must be an integer' })
  @Min(1, { message: 'top must be at least 1' })
  @Max(500, { message: 'top must be at most 500' })
  top?: number;
}

export class YearQuery {
  @ApiProperty({
    type: 'integer',
    example: 2026,
    description: 'the local year: supporters who gave the year before and not in this one',
  })
  @Transform(toInt)
  @IsInt({ message: 'year must be an integer' })
  @Min(2000, { message: 'year must be 2000 or later' })
  @Max(2200, { message: 'year must be 2200 or earlier' })
  year: number;
}

export class ReconciliationQuery {
  @ApiPropertyOptional({ example: '2026-11-01', description: 'payouts arriving from this local day (with `to`)' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'payouts arriving up to this local day, included' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;

  @ApiPropertyOptional({ example: 'po_123', description: 'one payout instead of a date range' })
  @IsOptional()
  @Matches(/^po_[A-Za-z0-9]+$/, { message: 'payout must be a Stripe payout id (po_...)' })
  payout?: string;
}
