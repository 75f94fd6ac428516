import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsDate, IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateIf } from 'class-validator';
import { TextField } from '@app/common';
import { LEDGER_TYPES } from '@app/ledger';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** What an administrator may change about a campaign; every field optional on update. */
export class UpdateCampaignDto {
  @ApiPropertyOptional({ example: 'Fighting fund 2027' })
  @TextField('title', 200, false)
  title?: string;

  @ApiPropertyOptional({ description: 'Target in minor units', example: 25000000 })
  @IsOptional()
  @IsInt({ message: 'target must be an integer amount in minor units' })
  @Min(1, { message: 'target must be at least 1' })
  @Max(9_000_000_000_000, { message: 'target is too large' })
  target?: number;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'startsAt must be an ISO 8601 date-time' })
  startsAt?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'null: open-ended' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @Type(() => Date)
  @IsDate({ message: 'endsAt must be an ISO 8601 date-time or null' })
  endsAt?: Date | null;

  @ApiPropertyOptional({ enum: LEDGER_TYPES, isArray: true, description: 'Ledger types that count toward raised', example: ['donation', 'monthly_donation'] })
  @IsOptional()
  @IsArray({ message: 'countedTypes must be an array' })
  @ArrayMinSize(1, { message: 'countedTypes must name at least one type' })
  @ArrayUnique({ message: 'countedTypes must not repeat a type' })
  @IsIn(LEDGER_TYPES, { each: true, message: `countedTypes must each be one of ${LEDGER_TYPES.join(', ')}` })
  countedTypes?: string[];

  @ApiPropertyOptional({ description: "true makes this the site's current campaign (the previous one stops being current)" })
  @IsOptional()
  @IsBoolean({ message: 'current must be true or false' })
  current?: boolean;
}

export class CreateCampaignDto extends UpdateCampaignDto {
  @ApiProperty({ example: 'fighting-fund-2027', description: 'lowercase letters, digits and single hyphens; not `current`' })
  @Matches(SLUG, { message: 'slug must be lowercase letters and digits separated by single hyphens' })
  @Matches(/^(?!current$)/, { message: 'slug "current" is reserved' })
  slug: string;

  @ApiProperty({ example: 'Fighting fund 2027' })
  @TextField('title', 200)
  declare title: string;

  @ApiProperty({ description: 'Target in minor units', example: 25000000 })
  @IsInt({ message: 'target must be an integer amount in minor units' })
  @Min(1, { message: 'target must be at least 1' })
  @Max(9_000_000_000_000, { message: 'target is too large' })
  declare target: number;
}

export class CampaignDto {
  @ApiProperty() id: string;
  @ApiProperty() slug: string;
  @ApiProperty() title: string;
  @ApiProperty() currency: string;
  @ApiProperty({ description: 'minor units' }) target: number;
  @ApiProperty({ type: String, format: 'date-time' }) startsAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endsAt: string | null;
  @ApiProperty({ enum: LEDGER_TYPES, isArray: true }) countedTypes: string[];
  @ApiProperty() current: boolean;
}
