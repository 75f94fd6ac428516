import { InitialSchema1764390000000 } from './1764390000000-initial-schema';
import { SeedDefaultCampaign1764390000001 } from './1764390000001-seed-default-campaign';
import { Recurring1764400000000 } from './1764400000000-recurring';
import { Staff1764410000000 } from './1764410000000-staff';
import { PhoneLine1764420000000 } from './1764420000000-phone-line';
import { Corrections1764430000000 } from './1764430000000-corrections';
import { Rollups1764440000000 } from './1764440000000-rollups';
import { WebhookWorker1764450000000 } from './1764450000000-webhook-worker';
import { LedgerChargeIndex1764460000000 } from './1764460000000-ledger-charge-index';
import { EventPayloadJson1764470000000 } from './1764470000000-event-payload-json';
import { RollupSlots1764480000000 } from './1764480000000-rollup-slots';
import { EventPayloadLz41764490000000 } from './1764490000000-event-payload-lz4';
import { DropEventTypeIndex1764500000000 } from './1764500000000-drop-event-type-index';
import { SelfServiceLinkUses1764510300000 } from './1764510300000-self-service-link-uses';
import { StaffCredentials1764512000000 } from './1764512000000-staff-credentials';
import { PhoneKeysPerStaff1764512000001 } from './1764512000001-phone-keys-per-staff';
import { RefundFailures1764515000000 } from './1764515000000-refund-failures';
import { LedgerExchangeRate1764516000000 } from './1764516000000-ledger-exchange-rate';
import { SupportersNet1764517000000 } from './1764517000000-supporters-net';
import { LedgerProtection1764517000001 } from './1764517000001-ledger-protection';
import { EmailOutbox1764520007000 } from './1764520007000-email-outbox';
import { StaffRefundRequests1764526000000 } from './1764526000000-staff-refund-requests';
import { SupporterRecords1764530000000 } from './1764530000000-supporter-records';
import { Deposits1764532000000 } from './1764532000000-deposits';
import { PrivacyErasure1764533000000 } from './1764533000000-privacy-erasure';
import { CardLinkSends1764534500000 } from './1764534500000-card-link-sends';
import { OfflineSubscriptions1764535000000 } from './1764535000000-offline-subscriptions';
import { StaffRefreshTokens1764538000000 } from './1764538000000-staff-refresh-tokens';
import { ReaderEmailPreferences1764539000000 } from './1764539000000-reader-email-preferences';
import { ReceiptsAndEmailHtml1764540000000 } from './1764540000000-receipts-and-email-html';
import { EmailAttachments1764541000000 } from './1764541000000-email-attachments';
import { GivingStatementsSent1764541000001 } from './1764541000001-giving-statements-sent';
import { ReaderAccount1764543000000 } from './1764543000000-reader-account';
import { PrintRuns1764544000000 } from './1764544000000-print-runs';
import { MergedSupporterContact1765020000000 } from './1765020000000-merged-supporter-contact';

/** Every migration, in order. A new migration is added here as well as in its file. */
export const migrations = [
  InitialSchema1764390000000,
  SeedDefaultCampaign1764390000001,
  Recurring1764400000000,
  Staff1764410000000,
  PhoneLine1764420000000,
  Corrections1764430000000,
  Rollups1764440000000,
  WebhookWorker1764450000000,
  LedgerChargeIndex1764460000000,
  EventPayloadJson1764470000000,
  RollupSlots1764480000000,
  EventPayloadLz41764490000000,
  DropEventTypeIndex1764500000000,
  SelfServiceLinkUses1764510300000,
  StaffCredentials1764512000000,
  PhoneKeysPerStaff1764512000001,
  RefundFailures1764515000000,
  LedgerExchangeRate1764516000000,
  SupportersNet1764517000000,
  LedgerProtection1764517000001,
  EmailOutbox1764520007000,
  StaffRefundRequests1764526000000,
  SupporterRecords1764530000000,
  Deposits1764532000000,
  PrivacyErasure1764533000000,
  CardLinkSends1764534500000,
  OfflineSubscriptions1764535000000,
  StaffRefreshTokens1764538000000,
  ReaderEmailPreferences1764539000000,
  ReceiptsAndEmailHtml1764540000000,
  EmailAttachments1764541000000,
  GivingStatementsSent1764541000001,
  ReaderAccount1764543000000,
  PrintRuns1764544000000,
  MergedSupporterContact1765020000000,
];
