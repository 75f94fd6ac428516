import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsObject,
  IsString,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { EmailField, OptionalField, StorableText, TextField, Trimmed } from '@app/common';
import { AddressDto } from '@app/subscriptions';
import { PhoneNumberField } from './phone-donation.dto';

/** Left out: unchanged; `null` clears it. */
const NullableField = () => ValidateIf((_o: unknown, value: unknown) => value !== undefined && value !== null);

/** `PATCH /api/supporters/:id`: what staff may change on a record. Left-out fields stay as they are. */
export class UpdateSupporterDto {
  @ApiPropertyOptional({ example: 'Gwen Caller' })
  @OptionalField()
  @TextField('name', 200)
  name?: string;

  @ApiPropertyOptional({
    example: 'gwen@example.com',
    nullable: true,
    type: String,
    description: 'the old address stays in the history; null removes it (a record needs a name or an email)',
  })
  @NullableField()
  @EmailField('email', false)
  email?: string | null;

  @ApiPropertyOptional({
    type: [String],
    example: ['02 5550 1111'],
    description: 'replaces every number on file; each as typed, stored in E.164 too (region AU)',
  })
  @OptionalField()
  @IsArray({ message: 'phones must be an array of phone numbers' })
  @ArrayMaxSize(10, { message: 'phones must have at most 10 numbers' })
  @PhoneNumberField('phones', true)
  phones?: string[];

  @ApiPropertyOptional({ type: AddressDto, nullable: true, description: 'the postal address; null removes it' })
  @NullableField()
  @IsObject({ message: 'address must be an address object' })
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'staff notes; null removes them' })
  @NullableField()
  @Trimmed()
  @IsString({ message: 'notes must be a string' })
  @MaxLength(2000, { message: 'notes must be at most 2000 characters' })
  @StorableText('notes', { singleLine: false })
  notes?: string | null;

  @ApiPropertyOptional({ description: 'whether receipts are emailed' })
  @OptionalField()
  @IsBoolean({ message: 'emailReceipts must be a boolean' })
  emailReceipts?: boolean;
}
