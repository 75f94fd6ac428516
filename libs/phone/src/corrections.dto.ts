import { OptionalField, StorableText, Trimmed } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class ReversalDto {
  @ApiProperty({ example: 'entered twice by mistake' })
  @IsDefined({ message: 'reason is required' })
  @Trimmed()
  @IsString({ message: 'reason must be a string' })
  @MinLength(3, { message: 'reason must be at least 3 characters' })
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  @StorableText('reason', { singleLine: false })
  reason: string;
}

export class RefundDto {
  @ApiPropertyOptional({ type: 'integer', description: 'Minor units; default: all that is left', example: 1000 })
  @OptionalField()
  @IsInt({ message: 'amount must be an integer number of minor units (cents)' })
  @Min(1, { message: 'amount must be at least 1' })
  @Max(9_000_000_000_000, { message: 'amount is too large' })
  amount?: number;

  @ApiProperty({ enum: ['requested_by_customer', 'duplicate', 'fraudulent'] })
  @IsDefined({ message: 'reason is required' })
  @IsIn(['requested_by_customer', 'duplicate', 'fraudulent'], {
    message: 'reason must be one of: requested_by_customer, duplicate, fraudulent',
  })
  reason: 'requested_by_customer' | 'duplicate' | 'fraudulent';

  @ApiPropertyOptional()
  @OptionalField()
  @Trimmed()
  @IsString({ message: 'note must be a string' })
  @MaxLength(500, { message: 'note must be at most 500 characters' })
  @StorableText('note', { singleLine: false })
  note?: string;
}
