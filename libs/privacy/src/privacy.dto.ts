import { ExportedPrintIssueDto } from '@app/reports';
import { StorableText, Trimmed } from '@app/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsDefined, IsString, MaxLength, MinLength } from 'class-validator';

export class ErasureRequestDto {
  @ApiProperty({
    example: 'request by email of 3 March, identity checked by phone',
    description: 'Why (kept in the audit log: no personal data here)',
  })
  @IsDefined({ message: 'reason is required' })
  @Trimmed()
  @IsString({ message: 'reason must be a string' })
  @MinLength(3, { message: 'reason must be at least 3 characters' })
  @MaxLength(500, { message: 'reason must be at most 500 characters' })
  @StorableText('reason', { singleLine: false })
  reason: string;
}

const address = { type: 'object', additionalProperties: { type: 'string' }, nullable: true } as const;

export class ExportedPhoneDto {
  @ApiProperty({ description: 'as typed' }) number: string;
  @ApiProperty({ type: String, nullable: true }) e164: string | null;
}

export class ExportedFormerEmailDto {
  @ApiProperty() email: string;
  @ApiProperty({ type: String, format: 'date-time' }) replacedAt: Date;
}

export class ExportedSupporterDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty(address) address: Record<string, string> | null;
  @ApiProperty({ type: String, nullable: true }) stripeCustomerId: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'set once erased' })
  erasedAt: Date | null;
  @ApiProperty({ type: String, nullable: true }) notes: string | null;
  @ApiProperty({ type: [ExportedPhoneDto] }) phones: ExportedPhoneDto[];
  @ApiProperty({ type: [ExportedFormerEmailDto] }) previousEmails: ExportedFormerEmailDto[];
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'the survivor this record was merged into (a record under `merged`)',
  })
  mergedInto: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) mergedAt: Date | null;
}

export class ExportedPaymentDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'payment' }) kind: string;
  @ApiProperty({ example: 'donation' }) type: string;
  @ApiProperty({ example: 'phone' }) channel: string;
  @ApiProperty({ example: 'cheque' }) method: string;
  @ApiProperty({ type: 'integer', description: 'minor units' }) gross: number;
  @ApiProperty({ type: 'integer', description: 'minor units' }) fee: number;
  @ApiProperty({ type: 'integer', description: 'minor units' }) net: number;
  @ApiProperty({ example: 'AUD' }) currency: string;
  @ApiProperty({ type: String, nullable: true }) campaignId: string | null;
  @ApiProperty({ type: String, nullable: true }) reference: string | null;
  @ApiProperty({ type: String, nullable: true }) description: string | null;
  @ApiProperty({ type: String, nullable: true }) reversesEntryId: string | null;
  @ApiProperty({ type: String, nullable: true }) stripeChargeId: string | null;
  @ApiProperty({ type: String, nullable: true }) stripeInvoiceId: string | null;
  @ApiProperty({ type: String, nullable: true }) stripeRefundId: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) occurredAt: Date;
  @ApiProperty({ type: String, format: 'date-time' }) recordedAt: Date;
}

export class ExportedSubscriptionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'subscription' }) kind: string;
  @ApiProperty({ example: 'monthly' }) billing: string;
  @ApiProperty({ type: String, nullable: true }) tier: string | null;
  @ApiProperty({ type: 'integer', description: 'minor units' }) amount: number;
  @ApiProperty() currency: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) currentPeriodStart: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) currentPeriodEnd: Date | null;
  @ApiProperty() cancelAtPeriodEnd: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) canceledAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endedAt: Date | null;
  @ApiProperty(address) deliveryAddress: Record<string, string> | null;
  @ApiProperty({ type: String, nullable: true }) stripeSubscriptionId: string | null;
  @ApiProperty({ type: String, nullable: true }) stripeCustomerId: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class ExportedCheckoutDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'donation' }) purpose: string;
  @ApiProperty({ example: 'one_off' }) frequency: string;
  @ApiProperty({ example: 'online' }) channel: string;
  @ApiProperty({ type: 'integer', description: 'minor units' }) amount: number;
  @ApiProperty() currency: string;
  @ApiProperty() email: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty(address) deliveryAddress: Record<string, string> | null;
  @ApiProperty({ type: String, nullable: true }) tier: string | null;
  @ApiProperty() status: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

export class ExportedEmailDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'receipt' }) kind: string;
  @ApiProperty() to: string;
  @ApiProperty() subject: string;
  @ApiProperty() body: string;
  @ApiProperty({ example: 'sent' }) status: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt: Date | null;
}

export class ExportedAuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ description: 'staff email, `system` or `cli`' }) actor: string;
  @ApiProperty({ example: 'phone_donation.create' }) action: string;
  @ApiProperty({ type: String, nullable: true }) entityType: string | null;
  @ApiProperty({ type: String, nullable: true }) entityId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) before: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) after: unknown;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
}

/** What is held under one supporter record. */
export class ExportedRecordDto {
  @ApiProperty({ type: ExportedSupporterDto }) supporter: ExportedSupporterDto;
  @ApiProperty({ type: [ExportedPaymentDto], description: 'their ledger entries: payments, refunds, reversals' })
  payments: ExportedPaymentDto[];
  @ApiProperty({ type: [ExportedSubscriptionDto] }) subscriptions: ExportedSubscriptionDto[];
  @ApiProperty({ type: [ExportedCheckoutDto], description: 'what they asked to pay for, paid or not' })
  checkouts: ExportedCheckoutDto[];
  @ApiProperty({ type: [ExportedEmailDto], description: 'emails written to their addresses (current and former)' })
  emails: ExportedEmailDto[];
  @ApiProperty({ type: [ExportedAuditEntryDto], description: 'staff actions about them or their records' })
  auditEntries: ExportedAuditEntryDto[];
  @ApiProperty({
    type: [ExportedPrintIssueDto],
    description: 'print issues posted to them (print runs), with the name, email and address each run kept',
  })
  printIssues: ExportedPrintIssueDto[];
}

/**
 * Everything held about a person (Australian Privacy Principle 12: access): the record the id
 * stands for (itself, or the survivor it was merged into) and, under `merged`, each record merged
 * into it with what is held under that one.
 */
export class SupporterExportDto extends ExportedRecordDto {
  @ApiProperty({ type: String, format: 'date-time' }) exportedAt: string;
  @ApiProperty({
    required: false,
    format: 'uuid',
    description: 'the id asked for, when it was a merged record: the export is of its survivor',
  })
  requestedId?: string;
  @ApiProperty({
    type: [ExportedRecordDto],
    description: 'the records merged into this one (duplicates of the same person), each with what is held under it',
  })
  merged: ExportedRecordDto[];
}

export class ErasureResultDto {
  @ApiProperty({ format: 'uuid', description: 'the survivor: a merged id is erased with its whole group' })
  supporterId: string;
  @ApiProperty({
    required: false,
    format: 'uuid',
    description: 'the id asked for, when it was a merged record',
  })
  requestedId?: string;
  @ApiProperty({ type: String, format: 'date-time' }) erasedAt: Date;
  @ApiProperty({ description: 'true when the supporter had been erased before: nothing was done again' })
  alreadyErased: boolean;
  @ApiProperty({
    type: [String],
    description: 'the records this request erased: the supporter and those merged into it (not those erased before)',
  })
  erasedSupporterIds: string[];
  @ApiProperty({ type: [String], description: 'Stripe customers this request deleted' })
  stripeCustomersDeleted: string[];
  @ApiProperty({ type: 'integer' }) emailsScrubbed: number;
  @ApiProperty({ type: 'integer' }) checkoutsScrubbed: number;
  @ApiProperty({ type: 'integer' }) deliveryAddressesErased: number;
  @ApiProperty({ type: 'integer' }) auditEntriesScrubbed: number;
}

export class ActivityEmailDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'receipt' }) kind: string;
  @ApiProperty() subject: string;
  @ApiProperty({ example: 'sent' }) status: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) sentAt: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: Date;
  @ApiProperty() to: string;
}

export class ActivityAuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, format: 'date-time' }) at: Date;
  @ApiProperty({ example: 'supporter.update' }) action: string;
  @ApiProperty({ description: 'staff email, `system` or `cli`' }) actor: string;
  @ApiProperty({ type: String, nullable: true }) entityType: string | null;
  @ApiProperty({ type: String, nullable: true }) entityId: string | null;
}

/**
 * What was sent to a supporter and what staff did about them (and the records merged into
 * them), newest first, at most 100 of each: no email bodies, no audit snapshots (the export has those).
 */
export class SupporterActivityDto {
  @ApiProperty({ type: [ActivityEmailDto], description: 'emails written to their addresses, newest first' })
  emails: ActivityEmailDto[];
  @ApiProperty({
    type: [ActivityAuditEntryDto],
    description: 'staff actions about them or their records, newest first',
  })
  audit: ActivityAuditEntryDto[];
}
