import { Module } from '@nestjs/common';
import { CampaignsModule } from '@app/campaigns';
import { DepositsModule } from '@app/deposits';
import { DonationsModule } from '@app/donations';
import { LedgerModule } from '@app/ledger';
import { ReceiptsModule } from '@app/receipts';
import { SubscriptionsModule } from '@app/subscriptions';
import { SupportersModule } from '@app/supporters';
import { CardLinksService } from './card-links.service';
import { CorrectionsService } from './corrections.service';
import { PhoneDonationsService } from './phone-donations.service';
import { PhoneSubscriptionsService } from './phone-subscriptions.service';
import { OfflineSubscriptionsService } from './offline-subscriptions.service';
import { RenewalRemindersService } from './renewal-reminders.service';
import { PhoneRequestsRepository } from './phone-requests.repository';

@Module({
  imports: [
    CampaignsModule,
    DonationsModule,
    LedgerModule,
    DepositsModule,
    SubscriptionsModule,
    SupportersModule,
    ReceiptsModule,
  ],
  providers: [
    PhoneDonationsService,
    PhoneSubscriptionsService,
    CorrectionsService,
    CardLinksService,
    OfflineSubscriptionsService,
    RenewalRemindersService,
    PhoneRequestsRepository,
  ],
  exports: [
    PhoneDonationsService,
    PhoneSubscriptionsService,
    CorrectionsService,
    CardLinksService,
    OfflineSubscriptionsService,
    RenewalRemindersService,
  ],
})
export class PhoneModule {}
