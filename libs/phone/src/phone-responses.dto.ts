import { ApiMoney } from '@app/common';
import { ApiProperty } from '@nestjs/swagger';
import { type RefundResult } from './corrections.service';
import { type RenewalDue } from './renewal-reminders.service';

/** POST /api/phone-donations, cash, cheque or transfer: the ledger entry recorded. */
export class PhoneDonationRecordedDto {
  @ApiProperty({ example: '1042', description: 'the ledger entry' }) id: string;
  @ApiProperty({ enum: ['cash', 'cheque', 'bank_transfer'] }) method: string;
  @ApiProperty({ enum: ['recorded'] }) status: 'recorded';
  @ApiMoney() amount: number;
  @ApiProperty({ example: 'AUD' }) currency: string;
  @ApiProperty({ format: 'uuid' }) supporterId: string;
  @ApiProperty({ type: String, nullable: true, example: 'spring-appeal' }) campaign: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'CHQ 004512' }) reference: string | null;
  @ApiProperty({
    description:
      "true: the receipt is on its way to the supporter's email (the outbox sends it); false: no email on file, or receipts turned off",
  })
  receiptEmailed: boolean;
  @ApiProperty({
    type: 'integer',
    description:
      "the receipt's number, in the receipts' own sequence (not the ledger id); issued whether or not it is emailed",
    example: 1042,
  })
  receiptNumber: number;
}

/** POST /api/phone-donations, card: the Checkout link, emailed to the caller (recorded when paid). */
export class PhoneCardLinkDto {
  @ApiProperty({ description: 'the checkout' }) id: string;
  @ApiProperty({ enum: ['card'] }) method: 'card';
  @ApiProperty({ enum: ['open'], description: 'the link can be paid' }) status: 'open';
  @ApiProperty({ example: 'https://checkout.stripe.com/c/pay/cs_test_123' }) checkoutUrl: string;
  @ApiProperty({ example: 'caller@example.com', description: 'the address the link was emailed to' })
  emailedTo: string;
  @ApiMoney() amount: number;
  @ApiProperty({ example: 'AUD' }) currency: string;
}

/** POST /api/ledger-entries/:id/refund: the refund Stripe accepted (the ledger follows by webhook). */
export class RefundResultDto implements RefundResult {
  @ApiProperty({ example: 're_123' }) refundId: string;
  @ApiProperty({ type: String, nullable: true, example: 'succeeded', description: "Stripe's refund status" })
  status: string | null;
  @ApiMoney({ description: 'refunded (minor units)' }) amount: number;
  @ApiProperty({ example: 'AUD' }) currency: string;
  @ApiProperty({ example: '1042', description: 'the ledger entry of the payment refunded' }) payment: string;
}

/** One offline subscriber without an email whose subscription ends soon: a renewal letter by post. */
export class RenewalDueDto implements RenewalDue {
  @ApiProperty() subscriptionId: string;
  @ApiProperty({ format: 'uuid' }) supporterId: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ example: 'print' }) tier: string;
  @ApiProperty({ example: '2026-11-30', description: 'the last local day (REPORT_TIME_ZONE) paid for' })
  lastDay: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: { type: 'string' },
    description: 'the delivery address as stored: line1, line2, city, state, postalCode, country',
  })
  address: Record<string, string> | null;
}

/** GET /api/reports/renewals-due. */
export class RenewalsDueDto {
  @ApiProperty({ format: 'date-time' }) asOf: string;
  @ApiProperty({ type: 'integer', description: 'RENEWAL_REMINDER_DAYS: how far ahead' }) days: number;
  @ApiProperty({ type: [RenewalDueDto] }) renewals: RenewalDueDto[];
}
