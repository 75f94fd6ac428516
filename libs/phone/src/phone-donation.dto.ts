import { applyDecorators } from '@nestjs/common';
import { EmailField, OptionalField, StorableText, TextField, Trimmed } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsPhoneNumber,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { AddressDto } from '@app/subscriptions';
import { DEFAULT_PHONE_REGION } from '@app/supporters';

/** A phone number as staff type it: any format, read in AU unless it starts with +; must be a valid number. */

/** An entry's cheque number or transfer reference (optional, one line, at most 100 characters). */
export const ReferenceField = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'Cheque number, transfer reference…' }),
    OptionalField(),
    Trimmed(),
    IsString({ message: 'reference must be a string' }),
    MaxLength(100, { message: 'reference must be at most 100 characters' }),
    StorableText('reference'),
  );

/** The operator's note on an entry (optional, at most 1000 characters, may span lines). */
export const NoteField = () =>
  applyDecorators(
    ApiPropertyOptional(),
    OptionalField(),
    Trimmed(),
    IsString({ message: 'note must be a string' }),
    MaxLength(1000, { message: 'note must be at most 1000 characters' }),
    StorableText('note', { singleLine: false }),
  );

export const PhoneNumberField = (name: string, each = false) =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string'
        ? value.trim()
        : Array.isArray(value)
          ? value.map((v) => (typeof v === 'string' ? v.trim() : v))
          : value,
    ),
    IsString({ each, message: `${name} must be ${each ? 'strings' : 'a string'}` }),
    Matches(/^\+?[0-9 ()-]{6,20}$/, {
      each,
      message: `${name} must be ${each ? 'phone numbers' : 'a phone number'} (digits, spaces, +, -, parentheses)`,
    }),
    IsPhoneNumber(DEFAULT_PHONE_REGION, {
      each,
      message: `${name} must be ${each ? 'valid phone numbers' : 'a valid phone number'} (such as 02 5550 1111 or +61 2 5550 1111)`,
    }),
  );

/** The caller's details: a new supporter's, or changes to the one named by `supporterId`. */
export class PhoneSupporterDto {
  @ApiPropertyOptional({ example: 'Jenny Rosen', description: 'required unless supporterId is given' })
  @OptionalField()
  @TextField('name', 200)
  name?: string;

  @ApiPropertyOptional({ example: 'jenny@example.com' })
  @EmailField('email', false)
  email?: string;

  @ApiPropertyOptional({ example: '+61 2 5550 1234', description: 'stored as typed and in E.164 (region AU)' })
  @OptionalField()
  @PhoneNumberField('phone')
  phone?: string;

  @ApiPropertyOptional({ type: AddressDto })
  @OptionalField()
  @IsObject({ message: 'address must be an address object' })
  @ValidateNested()
  @Type(() => AddressDto)
  address?: AddressDto;
}

export const PHONE_METHODS = ['cash', 'cheque', 'bank_transfer', 'card'] as const;

/**
 * Either `supporterId` (an existing supporter; details given beside it update that record, audited)
 * or `supporter` with at least a name (found by email, or a new record).
 */
export class PhoneSupporterChoiceDto {
  @ApiPropertyOptional({ description: 'an existing supporter, in place of their details (a merged one: its survivor)' })
  @OptionalField()
  @IsUUID('all', { message: 'supporterId must be a supporter id (a UUID)' })
  supporterId?: string;

  @ApiPropertyOptional({ type: PhoneSupporterDto, description: 'required unless supporterId is given' })
  @ValidateIf((o: PhoneSupporterChoiceDto) => o.supporterId === undefined || o.supporter !== undefined)
  @IsDefined({ message: 'supporter is required (or supporterId)' })
  @IsObject({ message: 'supporter must be an object' })
  @ValidateNested()
  @Type(() => PhoneSupporterDto)
  supporter?: PhoneSupporterDto;
}

export class CreatePhoneDonationDto extends PhoneSupporterChoiceDto {
  @ApiProperty({ type: 'integer', description: 'Minor units', example: 5000 })
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

  @ApiPropertyOptional({
    description:
      'Campaign slug; the current campaign when omitted. A named campaign must be running (422 CAMPAIGN_ENDED / CAMPAIGN_NOT_STARTED)',
    example: 'fighting-fund',
  })
  @OptionalField()
  @IsString({ message: 'campaign must be a string' })
  @MaxLength(100, { message: 'campaign must be at most 100 characters' })
  @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    message: 'campaign must be a campaign slug (lower-case letters, digits and dashes)',
  })
  campaign?: string;

  @ReferenceField()
  reference?: string;

  @NoteField()
  note?: string;
}
