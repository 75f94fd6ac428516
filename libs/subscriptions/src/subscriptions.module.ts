import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignsModule } from '@app/campaigns';
import { DonationsModule } from '@app/donations';
import { LedgerModule } from '@app/ledger';
import { SupportersModule } from '@app/supporters';
import { WebhooksModule } from '@app/webhooks';
import { Subscription } from './subscription.entity';
import { SubscriptionSyncHandler } from './subscription-sync.handler';
import { SubscriptionEmails } from './subscription-emails';
import { SelfServiceService } from './self-service.service';
import { ReaderAccountService } from './reader-account.service';
import { ReaderSessionsData } from './reader-sessions.data-access';
import { SubscriptionPrivacyService } from './subscription-privacy.service';
import { SubscriptionsService } from './subscriptions.service';
import { PurchasesService } from './purchases.service';
import { SubscriptionsRepository } from './subscriptions.repository';
import { Tier } from './tier.entity';
import { TiersService } from './tiers.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([Tier, Subscription]),
    CampaignsModule,
    DonationsModule,
    LedgerModule,
    SupportersModule,
    WebhooksModule,
  ],
  providers: [
    TiersService,
    SubscriptionsService,
    SubscriptionsRepository,
    SubscriptionSyncHandler,
    SelfServiceService,
    SubscriptionPrivacyService,
    ReaderAccountService,
    ReaderSessionsData,
    SubscriptionEmails,
    PurchasesService,
  ],
  exports: [
    TiersService,
    SubscriptionsService,
    SubscriptionsRepository,
    SelfServiceService,
    SubscriptionPrivacyService,
    ReaderAccountService,
    SubscriptionEmails,
    PurchasesService,
  ],
})
export class SubscriptionsModule {}
