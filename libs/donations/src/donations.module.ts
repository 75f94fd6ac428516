import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CampaignsModule } from '@app/campaigns';
import { LedgerModule } from '@app/ledger';
import { SupportersModule } from '@app/supporters';
import { WebhooksModule } from '@app/webhooks';
import { Checkout } from './checkout.entity';
import { CheckoutPaymentHandler } from './checkout-payment.handler';
import { CheckoutPrivacyService } from './checkout-privacy.service';
import { CheckoutSessionsService } from './checkout-sessions.service';
import { CheckoutsRepository } from './checkouts.repository';
import { DonationsService } from './donations.service';
import { RecoveryService } from './recovery.service';

@Module({
  imports: [TypeOrmModule.forFeature([Checkout]), CampaignsModule, LedgerModule, SupportersModule, WebhooksModule],
  providers: [
    DonationsService,
    CheckoutPaymentHandler,
    CheckoutSessionsService,
    CheckoutsRepository,
    RecoveryService,
    CheckoutPrivacyService,
  ],
  exports: [
    DonationsService,
    CheckoutSessionsService,
    CheckoutsRepository,
    RecoveryService,
    CheckoutPrivacyService,
    TypeOrmModule,
  ],
})
export class DonationsModule {}
