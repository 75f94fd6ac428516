/**
 * The fuzz suite's table: every endpoint that takes input, in the order they are fuzzed (one test
 * each). To fuzz a new endpoint, define it with `fuzzCase` in the module of its concern (or a new
 * one) and list it here; an endpoint that writes declares the tables it may write (`writes`).
 *
 * The order matters for the database each one sees (campaigns and staff that earlier ones made),
 * not for its inputs (each endpoint's seed comes from its name). Sign-in stays last: failed
 * sign-ins lock this address out.
 */
import type { FuzzCase } from './case';
import {
  auditLog,
  entitlementsGet,
  entitlementsPost,
  idsAndSlugs,
  progressSlugs,
  selfServiceTokens,
  supporterSearch,
} from './lookups';
import { donations, selfServiceLinks, subscriptions } from './public';
import { formBodies, rawBodies, tooLarge } from './raw-bodies';
import {
  lapsedSupportersReport,
  ledgerCsvReport,
  printRuns,
  reconciliationReport,
  recurringReport,
  reportCsvs,
  summaryReport,
  supportersReport,
} from './reports';
import { signIn } from './sign-in';
import { bulkStatements } from './statements';
import {
  createCampaign,
  createStaff,
  phoneDonations,
  phoneSubscriptions,
  refund,
  reversal,
  tierPrice,
  updateCampaign,
  updateStaff,
} from './staff';
import { webhookReplay, webhookSignedJunk, webhookUnsigned } from './webhooks';

export const FUZZ_CASES: FuzzCase[] = [
  // public writes
  donations,
  subscriptions,
  selfServiceLinks,
  // staff: the phone line
  phoneDonations,
  phoneSubscriptions,
  // staff: corrections
  reversal,
  refund,
  // staff: administration
  createStaff,
  updateStaff,
  createCampaign,
  updateCampaign,
  tierPrice,
  // staff: finance
  bulkStatements,
  printRuns,
  // query strings
  summaryReport,
  ledgerCsvReport,
  recurringReport,
  supportersReport,
  lapsedSupportersReport,
  reconciliationReport,
  entitlementsGet,
  entitlementsPost,
  supporterSearch,
  progressSlugs,
  // the Stripe webhook
  webhookUnsigned,
  webhookSignedJunk,
  webhookReplay,
  // the other inputs: ids and slugs in paths, tokens and paging in query strings
  idsAndSlugs,
  auditLog,
  selfServiceTokens,
  reportCsvs,
  // bodies that are not JSON at all, and too large
  rawBodies,
  formBodies,
  tooLarge,
  // sign-in last: failed sign-ins lock this address out
  signIn,
];
