import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsUUID } from 'class-validator';

const ADDRESS = {
  type: 'object',
  additionalProperties: { type: 'string' },
  nullable: true,
  description: '`{ line1, line2?, city, state, postalCode, country }`',
} as const;

export class SupporterPhoneDto {
  @ApiProperty({ example: '02 5550 1111', description: 'as typed' })
  number: string;

  @ApiProperty({ example: '+61255501111', nullable: true, type: String, description: 'E.164; null if not valid' })
  e164: string | null;
}

export class PreviousEmailDto {
  @ApiProperty({ example: 'old@example.com' })
  email: string;

  @ApiProperty({ example: '2026-01-31T10:00:00.000Z' })
  replacedAt: string;
}

export class SupporterPaymentDto {
  @ApiProperty() id: string;
  @ApiProperty() supporterId: string;
  @ApiProperty() kind: string;
  @ApiProperty() type: string;
  @ApiProperty() channel: string;
  @ApiProperty({ nullable: true, type: String }) method: string | null;
  @ApiProperty({ type: 'integer', description: 'minor units' }) gross: number;
  @ApiProperty({ type: 'integer', description: 'minor units' }) fee: number;
  @ApiProperty({ type: 'integer', description: 'minor units' }) net: number;
  @ApiProperty() currency: string;
  @ApiProperty({ nullable: true, type: String }) reference: string | null;
  @ApiProperty({ nullable: true, type: String }) description: string | null;
  @ApiProperty() occurredAt: string;
  @ApiProperty({ nullable: true, type: String }) reversesEntryId: string | null;
}

export class SupporterSubscriptionDto {
  @ApiProperty() id: string;
  @ApiProperty() supporterId: string;
  @ApiProperty() kind: string;
  @ApiProperty({ enum: ['monthly', 'prepaid', 'complimentary'] }) billing: string;
  @ApiProperty({
    enum: ['stripe', 'offline', 'complimentary'],
    description: 'offline: paid in cash, by cheque or transfer',
  })
  origin: string;
  @ApiProperty({ nullable: true, type: String, description: 'why a complimentary subscription was granted' })
  reason: string | null;
  @ApiProperty({ nullable: true, type: String }) tier: string | null;
  @ApiProperty({ type: 'integer', description: 'minor units' }) amount: number;
  @ApiProperty() currency: string;
  @ApiProperty() status: string;
  @ApiProperty({ nullable: true, type: String }) currentPeriodStart: string | null;
  @ApiProperty({ nullable: true, type: String }) currentPeriodEnd: string | null;
  @ApiProperty() cancelAtPeriodEnd: boolean;
  @ApiProperty(ADDRESS) deliveryAddress: Record<string, string> | null;
}

/** A record merged into this one: kept (the ledger still names it), read as this one. */
export class MergedSupporterDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) stripeCustomerId: string | null;
  @ApiProperty() mergedAt: string;
}

/** A supporter as staff see them: details, history (payments, subscriptions, old emails, merged records). */
export class SupporterRecordDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ type: [SupporterPhoneDto] }) phones: SupporterPhoneDto[];
  @ApiProperty({ nullable: true, type: String, description: 'the first phone as typed' }) phone: string | null;
  @ApiProperty(ADDRESS) address: Record<string, string> | null;
  @ApiProperty({ nullable: true, type: String }) notes: string | null;
  @ApiProperty({ description: 'receipts are emailed' }) emailReceipts: boolean;
  @ApiProperty({ type: [String], description: "this record's Stripe customer and those of records merged into it" })
  stripeCustomerIds: string[];
  @ApiProperty({ type: [PreviousEmailDto] }) previousEmails: PreviousEmailDto[];
  @ApiProperty({ type: [MergedSupporterDto] }) merged: MergedSupporterDto[];
  @ApiPropertyOptional({ description: 'the id asked for, when it was merged into this record' })
  requestedId?: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ type: [SupporterPaymentDto] }) payments: SupporterPaymentDto[];
  @ApiProperty({ type: [SupporterSubscriptionDto] }) subscriptions: SupporterSubscriptionDto[];
}

export class SupporterSearchResultDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ type: [SupporterPhoneDto] }) phones: SupporterPhoneDto[];
  @ApiProperty(ADDRESS) address: Record<string, string> | null;
  @ApiProperty({
    enum: ['email', 'phone', 'phone_prefix', 'details', 'delivery_address'],
    description:
      'why it matched, best first: exact email or phone, the start of a phone, name/email/street/postcode, a delivery address',
  })
  match: string;
  @ApiProperty({ type: 'integer', description: 'minor units, all records merged into it included' }) totalGiven: number;
  @ApiProperty() createdAt: string;
}

export class SupporterDuplicateDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ type: [SupporterPhoneDto] }) phones: SupporterPhoneDto[];
  @ApiProperty(ADDRESS) address: Record<string, string> | null;
  @ApiProperty({ type: [String], enum: ['phone', 'email', 'name_postcode'] }) reasons: string[];
  @ApiProperty() createdAt: string;
}

export class MergeSupportersDto {
  @ApiProperty({ description: 'the supporter merged into this one (it then points here)' })
  @IsDefined({ message: 'from is required' })
  @IsUUID('all', { message: 'from must be a supporter id (a UUID)' })
  from: string;
}

export class SupporterMergeResultDto {
  @ApiProperty({ description: 'the survivor' }) id: string;
  @ApiProperty() from: string;
  @ApiProperty({ description: 'false when it was merged already (a repeat changes nothing)' }) merged: boolean;
  @ApiProperty({ type: SupporterRecordDto }) supporter: SupporterRecordDto;
}
