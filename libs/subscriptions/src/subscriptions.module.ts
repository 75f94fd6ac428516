import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignsModule } from '@app/campaigns';
import { DonationsModule } from '@app/donations';
import { LedgerModule } from '@app/ledger';
import { SupportersModule } from '@app/supporters';
import { WebhooksModule } from '@app/webhooks';
import { Subscription } from './subscription.entity';
import { SubscriptionSyncHandler } from './subscription-sync.handler';
import { SelfServiceService } from './self-service.service';
import { SubscriptionsService } from './subscriptions.service';
import { Tier } from './tier.entity';
import { TiersService } from './tiers.service';

@Module({
  imports: [TypeOrmModule.forFeature([Tier, Subscription]), CampaignsModule, DonationsModule, LedgerModule, SupportersModule, WebhooksModule],
  providers: [TiersService, SubscriptionsService, SubscriptionSyncHandler, SelfServiceService],
  exports: [TiersService, SubscriptionsService, SelfServiceService],
})
export class SubscriptionsModule {}
