import { applyDecorators } from '@nestjs/common';
import { OptionalField, StorableText, Trimmed } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { AddressDto } from '@app/subscriptions';
import { NoteField, PhoneSupporterChoiceDto, ReferenceField } from './phone-donation.dto';

/** How an offline subscription is paid: the phone line's methods without the card (a card pays through Checkout). */
export const OFFLINE_METHODS = ['cash', 'cheque', 'bank_transfer'] as const;

const TierField = () =>
  applyDecorators(
    IsDefined({ message: 'tier is required' }),
    IsString({ message: 'tier must be a string' }),
    MaxLength(40, { message: 'tier must be at most 40 characters' }),
    StorableText('tier'),
  );

const DeliveryAddressField = () =>
  applyDecorators(
    OptionalField(),
    IsObject({ message: 'deliveryAddress must be an address object' }),
    ValidateNested(),
    Type(() => AddressDto),
  );

/**
 * `POST /api/offline-subscriptions`: a print or digital subscription paid in cash, by cheque or
 * by transfer, for the tier's prepaid option (`months` left out or equal to it, at its price) or
 * for `months` at the tier's monthly price. The caller as for phone donations: `supporterId`, or
 * `supporter` with at least a name; no email needed.
 */
export class CreateOfflineSubscriptionDto extends PhoneSupporterChoiceDto {
  @ApiProperty({ example: 'print' })
  @TierField()
  tier: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 12,
    description: "months paid for; default the tier's prepaid option (at its price), other counts at the monthly price",
  })
  @OptionalField()
  @IsInt({ message: 'months must be an integer' })
  @Min(1, { message: 'months must be at least 1' })
  @Max(36, { message: 'months must be at most 36' })
  months?: number;

  @ApiProperty({ enum: OFFLINE_METHODS })
  @IsDefined({ message: 'method is required' })
  @IsIn(OFFLINE_METHODS, { message: `method must be one of: ${OFFLINE_METHODS.join(', ')}` })
  method: (typeof OFFLINE_METHODS)[number];

  @ApiPropertyOptional({
    type: 'integer',
    example: 6000,
    description: 'minor units: the amount received, checked against the price (422 OFFLINE_AMOUNT_MISMATCH)',
  })
  @OptionalField()
  @IsInt({ message: 'amount must be an integer number of minor units (cents)' })
  @Min(1, { message: 'amount must be at least 1' })
  @Max(100_000_000, { message: 'amount must be at most 100000000' })
  amount?: number;

  @ApiPropertyOptional({
    type: AddressDto,
    description:
      "where the print edition goes; default the caller's address given, the renewed subscription's, or the record's",
  })
  @DeliveryAddressField()
  deliveryAddress?: AddressDto;

  @ReferenceField()
  reference?: string;

  @NoteField()
  note?: string;
}

/** `POST /api/complimentary-subscriptions` (admin): access without money, for a reason, until a date or for good. */
export class CreateComplimentarySubscriptionDto extends PhoneSupporterChoiceDto {
  @ApiProperty({ example: 'digital' })
  @TierField()
  tier: string;

  @ApiProperty({ example: 'contributor', description: 'why: contributor, library, exchange…' })
  @IsDefined({ message: 'reason is required' })
  @Trimmed()
  @IsString({ message: 'reason must be a string' })
  @MinLength(3, { message: 'reason must be at least 3 characters' })
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  @StorableText('reason', { singleLine: false })
  reason: string;

  @ApiPropertyOptional({
    example: '2026-12-31',
    description: 'the last local day (REPORT_TIME_ZONE) of access; left out: no end',
  })
  @OptionalField()
  @IsString({ message: 'endsOn must be a date (YYYY-MM-DD)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'endsOn must be a date (YYYY-MM-DD)' })
  endsOn?: string;

  @ApiPropertyOptional({
    type: AddressDto,
    description: "print: where it goes; default the caller's or the record's address",
  })
  @DeliveryAddressField()
  deliveryAddress?: AddressDto;
}

/** `POST /api/complimentary-subscriptions/:id/end` (admin). */
export class EndComplimentarySubscriptionDto {
  @ApiProperty({ example: 'contributor left' })
  @IsDefined({ message: 'reason is required' })
  @Trimmed()
  @IsString({ message: 'reason must be a string' })
  @MinLength(3, { message: 'reason must be at least 3 characters' })
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  @StorableText('reason', { singleLine: false })
  reason: string;
}

/** An offline or complimentary subscription as the staff routes answer it. */
export class StaffSubscriptionDto {
  @ApiProperty({ format: 'uuid' }) subscriptionId: string;
  @ApiProperty({ format: 'uuid' }) supporterId: string;
  @ApiProperty({ enum: ['offline', 'complimentary'] }) origin: string;
  @ApiProperty({ example: 'print' }) tier: string;
  @ApiProperty({ example: 'active' }) status: string;
  @ApiProperty({ type: String, format: 'date-time' }) startsAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: no end (complimentary)' })
  endsAt: string | null;
  @ApiProperty({ type: AddressDto, nullable: true }) deliveryAddress: AddressDto | null;
}

/** The answer to an offline subscription: the subscription and the ledger entry of this payment. */
export class OfflineSubscriptionResultDto extends StaffSubscriptionDto {
  @ApiProperty({ example: '1042', description: 'the `prepaid_subscription` ledger entry (the receipt number)' })
  entryId: string;

  @ApiProperty({ description: 'true: this payment renewed a subscription that was still running (its end moved on)' })
  renewed: boolean;

  @ApiProperty({ type: 'integer', example: 12 }) months: number;
  @ApiProperty({ type: 'integer', description: 'minor units', example: 6000 }) amount: number;
  @ApiProperty({ example: 'AUD' }) currency: string;
  @ApiProperty({ enum: OFFLINE_METHODS }) method: string;
  @ApiProperty({ nullable: true, type: String }) reference: string | null;
  @ApiProperty({ description: 'a receipt was queued to the email on file' }) receiptEmailed: boolean;
  @ApiProperty({
    type: 'integer',
    description:
      "the receipt's number, in the receipts' own sequence (not the ledger id); issued whether or not it is emailed",
    example: 1042,
  })
  receiptNumber: number;
}

export class ComplimentarySubscriptionDto extends StaffSubscriptionDto {
  @ApiProperty() reason: string;
}
