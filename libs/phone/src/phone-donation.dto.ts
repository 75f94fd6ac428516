import { EmailField, OptionalField, StorableText, TextField, Trimmed } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { AddressDto } from '@app/subscriptions';

export class PhoneSupporterDto {
  @ApiProperty({ example: 'Jenny Rosen' })
  @TextField('name', 200)
  name: string;

  @ApiPropertyOptional({ example: 'jenny@example.com' })
  @EmailField('email', false)
  email?: string;

  @ApiPropertyOptional({ example: '+61 2 5550 1234' })
  @OptionalField()
  @Trimmed()
  @IsString({ message: 'phone must be a string' })
  @Matches(/^\+?[0-9 ()-]{6,20}$/, { message: 'phone must be a phone number (digits, spaces, +, -, parentheses)' })
  phone?: string;

  @ApiPropertyOptional({ type: AddressDto })
  @OptionalField()
  @IsObject({ message: 'address must be an address object' })
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;
}

export const PHONE_METHODS = ['cash', 'cheque', 'bank_transfer', 'card'] as const;

export class CreatePhoneDonationDto {
  @ApiProperty({ type: PhoneSupporterDto })
  @IsDefined({ message: 'supporter is required' })
  @IsObject({ message: 'supporter must be an object' })
  @ValidateNested()
  @Type(() => PhoneSupporterDto)
  supporter: PhoneSupporterDto;

  @ApiProperty({ description: 'Minor units', example: 5000 })
  @IsDefined({ message: 'amount is required' })
  @IsInt({ message: 'amount must be an integer number of minor units (cents)' })
  amount: number;

  @ApiProperty({ enum: PHONE_METHODS })
  @IsDefined({ message: 'method is required' })
  @IsIn(PHONE_METHODS, { message: `method must be one of: ${PHONE_METHODS.join(', ')}` })
  method: (typeof PHONE_METHODS)[number];

  @ApiPropertyOptional({ enum: ['one_off', 'monthly'], description: 'monthly needs method card' })
  @OptionalField()
  @IsIn(['one_off', 'monthly'], { message: 'frequency must be one of: one_off, monthly' })
  frequency?: 'one_off' | 'monthly';

  @ApiPropertyOptional({ example: 'fighting-fund' })
  @OptionalField()
  @IsString({ message: 'campaign must be a string' })
  @MaxLength(100, { message: 'campaign must be at most 100 characters' })
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'campaign must be a campaign slug (lower-case letters, digits and dashes)' })
  campaign?: string;

  @ApiPropertyOptional({ description: 'Cheque number, transfer reference…' })
  @OptionalField()
  @Trimmed()
  @IsString({ message: 'reference must be a string' })
  @MaxLength(100, { message: 'reference must be at most 100 characters' })
  @StorableText('reference')
  reference?: string;

  @ApiPropertyOptional()
  @OptionalField()
  @Trimmed()
  @IsString({ message: 'note must be a string' })
  @MaxLength(1000, { message: 'note must be at most 1000 characters' })
  @StorableText('note', { singleLine: false })
  note?: string;
}
