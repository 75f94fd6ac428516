import { EmailField, OptionalField, StorableText, TextField, Trimmed } from '@app/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CheckoutCreatedDto } from '@app/donations';
import { Transform, Type } from 'class-transformer';
import {
  IsDefined,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsObject,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class AddressDto {
  @ApiProperty({ example: '1 Example St' })
  @TextField('line1', 200)
  line1: string;

  @ApiPropertyOptional({ example: 'Unit 2' })
  @OptionalField()
  @Trimmed()
  @IsString({ message: 'line2 must be a string' })
  @MaxLength(200, { message: 'line2 must be at most 200 characters' })
  @StorableText('line2')
  line2?: string;

  @ApiProperty({ example: 'Sydney' })
  @TextField('city', 100)
  city: string;

  @ApiProperty({ example: 'NSW' })
  @TextField('state', 100)
  state: string;

  @ApiProperty({ example: '2000' })
  @IsDefined({ message: 'postalCode is required' })
  @Trimmed()
  @IsString({ message: 'postalCode must be a string' })
  @MinLength(2, { message: 'postalCode must be at least 2 characters' })
  @MaxLength(16, { message: 'postalCode must be at most 16 characters' })
  @StorableText('postalCode')
  postalCode: string;

  @ApiProperty({ example: 'AU', description: 'ISO 3166-1 alpha-2' })
  @IsDefined({ message: 'country is required' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code such as AU' })
  country: string;
}

export class CreateSubscriptionDto {
  @ApiProperty({ enum: ['digital', 'print'] })
  @IsDefined({ message: 'tier is required' })
  @IsString({ message: 'tier must be a string' })
  @MaxLength(40, { message: 'tier must be at most 40 characters' })
  @StorableText('tier')
  tier: string;

  @ApiProperty({ enum: ['monthly', 'prepaid'] })
  @IsDefined({ message: 'billing is required' })
  @IsIn(['monthly', 'prepaid'], { message: 'billing must be one of: monthly, prepaid' })
  billing: 'monthly' | 'prepaid';

  @ApiPropertyOptional({
    type: 'integer',
    description: "Prepaid period in months (one of the tier's prepaid options)",
    example: 12,
  })
  @OptionalField()
  @IsInt({ message: 'months must be an integer' })
  @Min(1, { message: 'months must be at least 1' })
  @Max(36, { message: 'months must be at most 36' })
  months?: number;

  @ApiProperty({ example: 'reader@example.com' })
  @EmailField()
  email: string;

  @ApiProperty({ example: 'Jenny Rosen' })
  @TextField('name', 200)
  name: string;

  @ApiPropertyOptional({ type: AddressDto, description: 'Required for print' })
  @OptionalField()
  @IsObject({ message: 'deliveryAddress must be an address object' })
  @ValidateNested()
  @Type(() => AddressDto)
  deliveryAddress?: AddressDto;
}

export class PrepaidOptionDto {
  @ApiProperty({ type: 'integer', example: 12 })
  months: number;

  @ApiProperty({ type: 'integer', description: 'Minor units', example: 6000 })
  amount: number;
}

export class TierDto {
  @ApiProperty({ example: 'digital' })
  code: string;

  @ApiProperty({ example: 'Digital edition' })
  name: string;

  @ApiProperty({ nullable: true, type: String })
  description: string | null;

  @ApiProperty({ type: 'integer', description: 'Minor units per month', example: 500 })
  monthlyAmount: number;

  @ApiProperty({ example: 'AUD' })
  currency: string;

  @ApiProperty({ type: [PrepaidOptionDto] })
  prepaidOptions: PrepaidOptionDto[];

  @ApiProperty()
  requiresDeliveryAddress: boolean;

  @ApiProperty({ type: [String], example: ['digital'] })
  includes: string[];
}

export class UpdateTierPriceDto {
  @ApiProperty({
    type: 'integer',
    description: 'New monthly price in minor units; applies to new sign-ups only',
    example: 600,
  })
  @IsDefined({ message: 'monthlyAmount is required' })
  @IsInt({ message: 'monthlyAmount must be an integer number of minor units' })
  @Min(50, { message: 'monthlyAmount must be at least 50' })
  @Max(10_000_000, { message: 'monthlyAmount must be at most 10000000' })
  monthlyAmount: number;

  @ApiPropertyOptional({
    type: 'integer',
    description: 'Prepaid period price; default prepaidMonths × monthlyAmount',
    example: 7200,
  })
  @OptionalField()
  @IsInt({ message: 'prepaidAmount must be an integer number of minor units' })
  @Min(50, { message: 'prepaidAmount must be at least 50' })
  @Max(100_000_000, { message: 'prepaidAmount must be at most 100000000' })
  prepaidAmount?: number;

  @ApiPropertyOptional({ type: 'integer', example: 12 })
  @OptionalField()
  @IsInt({ message: 'prepaidMonths must be an integer' })
  @Min(1, { message: 'prepaidMonths must be at least 1' })
  @Max(36, { message: 'prepaidMonths must be at most 36' })
  prepaidMonths?: number;
}

export class EntitlementDto {
  @ApiProperty({ example: 'digital' })
  code: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'Access holds until this instant (inclusive of any grace); null: a complimentary subscription without an end',
  })
  until: string | null;

  @ApiProperty({ description: 'Subscription status behind it', example: 'active' })
  status: string;

  @ApiProperty({ description: 'Tier that grants it', example: 'print' })
  tier: string;

  @ApiProperty({ enum: ['monthly', 'prepaid', 'complimentary'] })
  billing: string;
}

export class EntitlementsDto {
  @ApiProperty()
  email: string;

  @ApiProperty({ description: 'Active digital edition access (print includes digital)' })
  digital: boolean;

  @ApiProperty({ description: 'Active print subscription' })
  print: boolean;

  @ApiProperty({ type: [EntitlementDto] })
  entitlements: EntitlementDto[];

  @ApiProperty({ type: String, format: 'date-time', description: 'The instant the answer is for' })
  at: string;
}

/**
 * The answer to a subscription request: where to pay, and what became of the reader's open
 * checkout for the same tier and billing, if any.
 */
export class SubscriptionCheckoutDto extends CheckoutCreatedDto {
  @ApiProperty({
    enum: ['created', 'reused', 'replaced'],
    description:
      '`created`: a new checkout; `reused`: the open checkout of an identical request (a double click, a retry), answered again; `replaced`: the open checkout had another name or delivery address, so it was expired on Stripe (its link can no longer be paid) and this new one carries the corrected details',
  })
  outcome: 'created' | 'reused' | 'replaced';

  @ApiPropertyOptional({ format: 'uuid', description: 'With `replaced`: the id of the checkout it replaced' })
  replaces?: string;
}
