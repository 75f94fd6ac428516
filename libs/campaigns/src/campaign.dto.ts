import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDate,
  IsDefined,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  MaxDate,
  MaxLength,
  Min,
  MinDate,
  ValidateIf,
} from 'class-validator';
import { IsoDateTime, OptionalField, TextField } from '@app/common';
import { LEDGER_TYPES } from '@app/ledger';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T23:59:59Z');

/**
 * What create and update share: all optional. `title` and `target` are not here: a campaign is
 * created with them (required) and may be updated without them, and class-validator would carry an
 * `@IsOptional()` from a parent class into the child's required field.
 */
class CampaignSettingsDto {
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @OptionalField()
  @IsoDateTime()
  @IsDate({ message: 'startsAt must be an ISO 8601 date-time' })
  @MinDate(EARLIEST, { message: 'startsAt must be 1970 or later' })
  @MaxDate(LATEST, { message: 'startsAt must be 9999 or earlier' })
  startsAt?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'null: open-ended' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsoDateTime()
  @IsDate({ message: 'endsAt must be an ISO 8601 date-time or null' })
  @MinDate(EARLIEST, { message: 'endsAt must be 1970 or later' })
  @MaxDate(LATEST, { message: 'endsAt must be 9999 or earlier' })
  endsAt?: Date | null;

  @ApiPropertyOptional({
    enum: LEDGER_TYPES,
    isArray: true,
    description: 'Ledger types that count toward raised',
    example: ['donation', 'monthly_donation'],
  })
  @OptionalField()
  @IsArray({ message: 'countedTypes must be an array' })
  @ArrayMinSize(1, { message: 'countedTypes must name at least one type' })
  @ArrayUnique({ message: 'countedTypes must not repeat a type' })
  @IsIn(LEDGER_TYPES, { each: true, message: `countedTypes must each be one of ${LEDGER_TYPES.join(', ')}` })
  countedTypes?: string[];

  @ApiPropertyOptional({
    description: "true makes this the site's current campaign (the previous one stops being current)",
  })
  @OptionalField()
  @IsBoolean({ message: 'current must be true or false' })
  current?: boolean;
}

/** What an administrator may change about a campaign; every field optional on update. */
export class UpdateCampaignDto extends CampaignSettingsDto {
  @ApiPropertyOptional({ example: 'Fighting fund 2027' })
  @TextField('title', 200, false)
  title?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'Target in minor units', example: 25000000 })
  @OptionalField()
  @IsInt({ message: 'target must be an integer amount in minor units' })
  @Min(1, { message: 'target must be at least 1' })
  @Max(9_000_000_000_000, { message: 'target is too large' })
  target?: number;
}

export class CreateCampaignDto extends CampaignSettingsDto {
  @ApiProperty({
    example: 'fighting-fund-2027',
    description: 'lowercase letters, digits and single hyphens; not `current`',
  })
  @IsDefined({ message: 'slug is required' })
  @IsString({ message: 'slug must be a string' })
  @MaxLength(100, { message: 'slug must be at most 100 characters' })
  @Matches(SLUG, { message: 'slug must be lowercase letters and digits separated by single hyphens' })
  @Matches(/^(?!current$)/, { message: 'slug "current" is reserved' })
  slug: string;

  @ApiProperty({ example: 'Fighting fund 2027' })
  @TextField('title', 200)
  title: string;

  @ApiProperty({ type: 'integer', description: 'Target in minor units', example: 25000000 })
  @IsDefined({ message: 'target is required' })
  @IsInt({ message: 'target must be an integer amount in minor units' })
  @Min(1, { message: 'target must be at least 1' })
  @Max(9_000_000_000_000, { message: 'target is too large' })
  target: number;
}

export class CampaignDto {
  @ApiProperty() id: string;
  @ApiProperty() slug: string;
  @ApiProperty() title: string;
  @ApiProperty() currency: string;
  @ApiProperty({ type: 'integer', description: 'minor units' }) target: number;
  @ApiProperty({ type: String, format: 'date-time' }) startsAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endsAt: string | null;
  @ApiProperty({ enum: LEDGER_TYPES, isArray: true }) countedTypes: string[];
  @ApiProperty() current: boolean;
}
