/**
 * The response shapes the console reads, by the names the screens use: each one is the API's DTO
 * from the generated OpenAPI types (`npm run openapi`), never written by hand.
 */
import type { Schemas } from './api';

export type StaffRole = Schemas['SignedInStaffDto']['role'];
export type SignedInStaff = Schemas['SignedInStaffDto'];
export type AccessToken = Schemas['AccessTokenDto'];
export type StaffMember = Schemas['StaffDto'];
export type CreatedStaffMember = Schemas['CreatedStaffDto'];
export type Campaign = Schemas['CampaignDto'];
export type CampaignProgress = Schemas['CampaignProgressDto'];
export type SummaryFigures = Schemas['SummaryFiguresDto'];
export type SummaryReport = Schemas['SummaryReportDto'];
export type SupporterSearchResult = Schemas['SupporterSearchResultDto'];
export type RecurringReport = Schemas['RecurringReportDto'];
export type SupportersReport = Schemas['SupportersReportDto'];
export type Deposit = Schemas['DepositDto'];
export type DepositSummary = Schemas['DepositSummaryDto'];
export type DepositEntry = Schemas['DepositEntryDto'];
export type ReconciliationReport = Schemas['ReconciliationReportDto'];
export type ReconciliationDifference = Schemas['ReconciliationDifferenceDto'];
export type MatchedTransaction = Schemas['MatchedTransactionDto'];
