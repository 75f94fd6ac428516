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

/** Every migration, in order. A new migration is added here as well as in its file. */
export const migrations = [InitialSchema1764390000000, SeedDefaultCampaign1764390000001, Recurring1764400000000, Staff1764410000000, PhoneLine1764420000000, Corrections1764430000000, Rollups1764440000000, WebhookWorker1764450000000, LedgerChargeIndex1764460000000, EventPayloadJson1764470000000, RollupSlots1764480000000, EventPayloadLz41764490000000, DropEventTypeIndex1764500000000];
