import { ApiMoney } from '@app/common';
import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { INTERVALS, type Interval, type Period } from './periods';
import {
  type Difference,
  type MatchedTransaction,
  type PayoutReconciliation,
  type Problem,
  type ReconciliationReport,
} from './reconciliation.service';
import { type SummaryPeriod, type SummaryReport } from './reports.service';
import { type Figures, type SummaryFigures } from './summary';

/*
 * The reports' answers as the OpenAPI document describes them. Each class implements the shape
 * its service builds (or the controller's return type names it), so the compiler keeps the two
 * together; test/openapi.e2e-spec.ts checks real answers against the generated schemas.
 * Money is integer minor units of the report's `currency`.
 */

const DATE = { example: '2026-03-01', description: 'a local date (REPORT_TIME_ZONE), YYYY-MM-DD' };
const INSTANT = { format: 'date-time', example: '2026-03-14T03:00:00.000Z' };

export class FiguresDto implements Figures {
  @ApiMoney({ description: 'payments received, less corrections (minor units)' }) gross: number;
  @ApiMoney({ description: 'Stripe fees (minor units; returned fees negative)' }) fees: number;
  @ApiMoney({ description: 'gross − refunds − disputes − fees (minor units)' }) net: number;
  @ApiMoney({ description: 'refunded, a positive amount (minor units)' }) refunds: number;
  @ApiMoney({ description: 'entries reversed by staff, a positive amount (minor units)' }) corrections: number;
  @ApiMoney({ description: 'lost to disputes less won back, a positive amount (minor units)' }) disputes: number;
  @ApiProperty({ type: 'integer', description: 'number of payments' }) payments: number;
  @ApiProperty({ type: 'integer' }) refundCount: number;
  @ApiProperty({ type: 'integer' }) disputeCount: number;
  @ApiProperty({ type: 'integer' }) correctionCount: number;
}

const FIGURES_BY = (what: string) => ({
  type: 'object' as const,
  additionalProperties: { $ref: getSchemaPath(FiguresDto) },
  description: `the same figures ${what}`,
});

@ApiExtraModels(FiguresDto)
export class SummaryFiguresDto extends FiguresDto implements SummaryFigures {
  @ApiProperty(FIGURES_BY('per ledger type (donation, subscription, …)'))
  byType: Record<string, FiguresDto>;
  @ApiProperty(FIGURES_BY('per channel (online, phone, …)'))
  byChannel: Record<string, FiguresDto>;
}

export class SummaryPeriodDto extends SummaryFiguresDto implements SummaryPeriod {
  @ApiProperty({ example: '2026-03', description: '2026-03-14 (day), 2026-03-09 (week: its Monday), 2026-03 (month)' })
  period: string;
  @ApiProperty({ ...DATE, description: 'first local day of the period (clipped to the range)' }) start: string;
  @ApiProperty({ ...DATE, description: 'last local day of the period, included (clipped to the range)' }) end: string;
}

export class SummaryReportDto implements SummaryReport {
  @ApiProperty(DATE) from: string;
  @ApiProperty(DATE) to: string;
  @ApiProperty({ enum: INTERVALS }) interval: Interval;
  @ApiProperty({ example: 'Australia/Sydney' }) timeZone: string;
  @ApiProperty({ example: 'AUD' }) currency: string;
  @ApiProperty({ type: [SummaryPeriodDto] }) periods: SummaryPeriodDto[];
  @ApiProperty({ type: SummaryFiguresDto }) totals: SummaryFiguresDto;
}

// ----- recurring ------------------------------------------------------------------------------

export class TierSubscribersDto {
  @ApiProperty({ example: 'digital' }) tier: string;
  @ApiProperty({ type: 'integer', description: 'billed monthly' }) monthly: number;
  @ApiProperty({ type: 'integer', description: 'prepaid, in their paid period' }) prepaid: number;
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiMoney({ description: 'monthly equivalent (minor units)' }) mrr: number;
}

export class SubscribersNowDto {
  @ApiProperty({ type: [TierSubscribersDto] }) byTier: TierSubscribersDto[];
  @ApiProperty({ type: 'integer' }) total: number;
}

export class MonthlyDonorsDto {
  @ApiProperty({ type: 'integer' }) total: number;
  @ApiMoney({ description: 'monthly (minor units)' }) mrr: number;
}

export class RecurringRevenueDto {
  @ApiMoney({ description: 'subscriptions, monthly equivalent (minor units)' }) subscriptions: number;
  @ApiMoney({ description: 'monthly donations (minor units)' }) monthlyDonations: number;
  @ApiMoney({ description: 'minor units' }) total: number;
}

export class SegmentMonthDto {
  @ApiProperty({ example: 'digital', description: 'a tier code, or monthly_donation' }) segment: string;
  @ApiProperty({ type: 'integer' }) activeAtStart: number;
  @ApiProperty({ type: 'integer' }) started: number;
  @ApiProperty({ type: 'integer' }) ended: number;
  @ApiProperty({ type: 'integer' }) activeAtEnd: number;
  @ApiProperty({ example: 2.5, description: 'ended ÷ active at the start, in percent (two decimals)' })
  churnRate: number;
  @ApiMoney({
    description:
      'MRR (monthly equivalent, minor units) of those active at the end of the month, or now for the current month',
  })
  mrrAtEnd: number;
}

export class RecurringMonthDto {
  @ApiProperty({ example: '2026-03' }) month: string;
  @ApiProperty(DATE) start: string;
  @ApiProperty(DATE) end: string;
  @ApiProperty({ type: 'integer' }) activeAtStart: number;
  @ApiProperty({ type: 'integer' }) started: number;
  @ApiProperty({ type: 'integer' }) ended: number;
  @ApiProperty({ type: 'integer' }) activeAtEnd: number;
  @ApiProperty({ example: 2.5, description: 'percent (two decimals)' }) churnRate: number;
  @ApiMoney({
    description:
      'MRR (monthly equivalent, minor units) at the end of the month, or now for the current month: the MRR-over-time series',
  })
  mrrAtEnd: number;
  @ApiProperty({ type: [SegmentMonthDto] }) bySegment: SegmentMonthDto[];
}

export class ComplimentaryTierDto {
  @ApiProperty({ example: 'print' }) tier: string;
  @ApiProperty({ type: 'integer' }) total: number;
}

export class ComplimentaryNowDto {
  @ApiProperty({ type: [ComplimentaryTierDto] }) byTier: ComplimentaryTierDto[];
  @ApiProperty({ type: 'integer' }) total: number;
}

export class RecurringReportDto {
  @ApiProperty(DATE) from: string;
  @ApiProperty(DATE) to: string;
  @ApiProperty({ example: 'Australia/Sydney' }) timeZone: string;
  @ApiProperty({ example: 'AUD' }) currency: string;
  @ApiProperty(INSTANT) asOf: string;
  @ApiProperty({ type: SubscribersNowDto }) subscribers: SubscribersNowDto;
  @ApiProperty({ type: ComplimentaryNowDto, description: 'complimentary subscriptions, never in MRR or churn' })
  complimentary: ComplimentaryNowDto;
  @ApiProperty({ type: MonthlyDonorsDto }) monthlyDonors: MonthlyDonorsDto;
  @ApiProperty({ type: RecurringRevenueDto }) mrr: RecurringRevenueDto;
  @ApiProperty({ type: [RecurringMonthDto] }) months: RecurringMonthDto[];
}

// ----- supporters -----------------------------------------------------------------------------

export class SupportersPeriodDto implements Period {
  @ApiProperty({ example: '2026-03' }) period: string;
  @ApiProperty(DATE) start: string;
  @ApiProperty(DATE) end: string;
  @ApiProperty({ type: 'integer' }) givers: number;
  @ApiProperty({ type: 'integer', description: 'whose first gift ever is in the period' }) new: number;
  @ApiProperty({ type: 'integer' }) returning: number;
}

export class TopSupporterDto {
  @ApiProperty({ example: '7f1c…' }) supporterId: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiMoney({ description: 'given in the range, net of refunds (minor units of the report currency)' })
  given: number;
  @ApiProperty({ type: 'integer' }) payments: number;
  @ApiProperty({ ...INSTANT, type: String, nullable: true }) lastGiftAt: string | null;
}

export class LapsedCountDto {
  @ApiProperty({ type: 'integer', example: 2026 }) year: number;
  @ApiProperty({ type: 'integer' }) count: number;
  @ApiProperty({ type: 'integer', example: 2025 }) gaveIn: number;
}

export class SupportersReportDto {
  @ApiProperty(DATE) from: string;
  @ApiProperty(DATE) to: string;
  @ApiProperty({ enum: INTERVALS }) interval: Interval;
  @ApiProperty({ example: 'Australia/Sydney' }) timeZone: string;
  @ApiProperty({ example: 'AUD' }) currency: string;
  @ApiProperty({ type: [SupportersPeriodDto] }) periods: SupportersPeriodDto[];
  @ApiProperty({ type: [TopSupporterDto] }) top: TopSupporterDto[];
  @ApiProperty({ type: LapsedCountDto }) lapsed: LapsedCountDto;
}

export class LapsedSupporterDto {
  @ApiProperty() supporterId: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiMoney({ description: 'given the year before (minor units of the deployment currency)' })
  givenLastYear: number;
  @ApiProperty({ type: 'integer' }) gifts: number;
  @ApiProperty(INSTANT) lastGiftAt: string;
}

// ----- print mailing list ---------------------------------------------------------------------

export class MailingListEntryDto {
  @ApiProperty() subscriptionId: string;
  @ApiProperty({ example: 'print' }) tier: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: { type: 'string' },
    description: 'the delivery address as stored: line1, line2, city, state, postalCode, country',
    example: { line1: '1 Example St', city: 'Sydney', state: 'NSW', postalCode: '2000', country: 'AU' },
  })
  address: Record<string, string> | null;
  @ApiProperty({ example: 'active' }) status: string;
  @ApiProperty({ example: 'monthly', enum: ['monthly', 'prepaid', 'complimentary'] }) billing: string;
  @ApiProperty({
    example: 'online',
    description: 'where the subscription came from (online, phone, offline, complimentary)',
  })
  origin: string;
  @ApiProperty({ ...INSTANT, type: String, nullable: true }) paidUntil: string | null;
  @ApiProperty(INSTANT) since: string;
}

// ----- reconciliation -------------------------------------------------------------------------

const PROBLEMS: Problem[] = [
  'missing_in_ledger',
  'missing_in_stripe',
  'amount_mismatch',
  'fee_mismatch',
  'payout_total_mismatch',
];
const nullableMoney = (description: string) => ({ type: 'integer' as const, nullable: true, description });

export class ReconciliationDifferenceDto implements Difference {
  @ApiProperty({ enum: PROBLEMS }) problem: Problem;
  @ApiProperty({ type: String, nullable: true, example: 'po_123' }) payoutId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'txn_123' }) balanceTransactionId: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'ch_123', description: 'ch_…, re_…, du_…' })
  source: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'charge' }) type: string | null;
  @ApiProperty(nullableMoney("Stripe's amount (minor units)")) stripeAmount: number | null;
  @ApiProperty(nullableMoney("the ledger's amount (minor units)")) ledgerAmount: number | null;
  @ApiProperty(nullableMoney("Stripe's fee (minor units)")) stripeFee: number | null;
  @ApiProperty(nullableMoney("the ledger's fee (minor units)")) ledgerFee: number | null;
  @ApiProperty({ type: [String] }) ledgerEntryIds: string[];
  @ApiProperty({ type: String, nullable: true, description: 'the supporter of the ledger entries, when known' })
  supporterId: string | null;
  @ApiProperty() note: string;
}

export class MatchedTransactionDto implements MatchedTransaction {
  @ApiProperty({ example: 'txn_123' }) balanceTransactionId: string;
  @ApiProperty({ type: String, nullable: true, example: 'ch_123', description: 'ch_…, re_…, du_…' })
  source: string | null;
  @ApiProperty({ example: 'charge' }) type: string;
  @ApiMoney({ description: "Stripe's amount, equal to the ledger's (minor units)" }) amount: number;
  @ApiMoney({ description: "Stripe's fee, equal to the ledger's (minor units)" }) fee: number;
  @ApiProperty({
    example: '1042',
    description:
      "the ledger entry whose amount matched: a charge's payment (refunds are asked against it), a refund's refund",
  })
  entryId: string;
  @ApiProperty({ type: [String] }) ledgerEntryIds: string[];
  @ApiProperty({ type: String, nullable: true, description: 'the supporter of the ledger entries, when known' })
  supporterId: string | null;
}

export class PayoutSumsDto {
  @ApiMoney() amount: number;
  @ApiMoney() fee: number;
  @ApiMoney() net: number;
}

export class PayoutReconciliationDto implements PayoutReconciliation {
  @ApiProperty({ example: 'po_123' }) payoutId: string;
  @ApiProperty({ example: 'paid' }) status: string;
  @ApiProperty(DATE) arrivalDate: string;
  @ApiProperty({ example: 'AUD' }) currency: string;
  @ApiMoney({ description: 'the payout amount (minor units)' }) amount: number;
  @ApiProperty({ type: 'integer' }) transactions: number;
  @ApiProperty({ type: 'integer' }) matched: number;
  @ApiProperty({ type: PayoutSumsDto, description: "sums over the payout's transactions (minor units)" })
  stripe: PayoutSumsDto;
  @ApiProperty({ type: [MatchedTransactionDto], description: 'the transactions that agree with the ledger' })
  matchedTransactions: MatchedTransactionDto[];
  @ApiProperty({ type: [ReconciliationDifferenceDto] }) differences: ReconciliationDifferenceDto[];
}

export class ReconciliationReportDto implements ReconciliationReport {
  @ApiProperty({ ...DATE, type: String, nullable: true }) from: string | null;
  @ApiProperty({ ...DATE, type: String, nullable: true }) to: string | null;
  @ApiProperty({ example: 'Australia/Sydney' }) timeZone: string;
  @ApiProperty({ type: [PayoutReconciliationDto] }) payouts: PayoutReconciliationDto[];
  @ApiProperty({ type: [ReconciliationDifferenceDto] }) unmatchedLedgerEntries: ReconciliationDifferenceDto[];
  @ApiProperty({ type: 'integer' }) uncheckedLedgerEntries: number;
  @ApiProperty({ type: 'integer' }) differences: number;
}
