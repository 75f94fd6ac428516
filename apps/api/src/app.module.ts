import { ClockModule } from '@app/common';
import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig, ConfigModule } from '@app/config';
import { CampaignsModule } from '@app/campaigns';
import { DatabaseModule } from '@app/database';
import { DonationsModule } from '@app/donations';
import { RefundsModule } from '@app/refunds';
import { EmailModule } from '@app/email';
import { SubscriptionsModule } from '@app/subscriptions';
import { StaffModule } from '@app/staff';
import { PhoneModule } from '@app/phone';
import { PrivacyModule } from '@app/privacy';
import { SupportersModule } from '@app/supporters';
import { ReportsModule } from '@app/reports';
import { DepositsModule } from '@app/deposits';
import { StatementsModule } from '@app/statements';
import { ReceiptsModule } from '@app/receipts';
import { MetricsModule } from '@app/observability';
import { ReportsController } from './controllers/reports.controller';
import { PrintRunsController } from './controllers/print-runs.controller';
import {
  PhoneDonationsController,
  PhoneSubscriptionsController,
  SupportersController,
} from './controllers/phone-donations.controller';
import { CorrectionsController } from './controllers/corrections.controller';
import {
  ComplimentarySubscriptionsController,
  OfflineSubscriptionsController,
  RenewalsDueController,
} from './controllers/offline-subscriptions.controller';
import { DepositReportsController, DepositsController } from './controllers/deposits.controller';
import { DevMailboxController } from './controllers/dev-mailbox.controller';
import { PrivacyController } from './controllers/privacy.controller';
import { StaffController } from './controllers/staff.controller';
import { StatementsController } from './controllers/statements.controller';
import { StripeModule } from '@app/stripe';
import { WebhooksModule } from '@app/webhooks';
import { CampaignsController } from './controllers/campaigns.controller';
import { DonationsController } from './controllers/donations.controller';
import { HealthController } from './controllers/health.controller';
import { SubscriptionsController } from './controllers/subscriptions.controller';
import { MetricsController } from './controllers/metrics.controller';
import { SelfServicePagesController } from './controllers/self-service-pages.controller';
import { WebhooksAdminController } from './controllers/webhooks-admin.controller';
import { RateLimitGuard } from './http/rate-limit';
import {
  CheckoutPagesController,
  GiveController,
  ReaderAssetsController,
  ReaderCsrf,
  SubscribeController,
} from './reader';
import { AccountController } from './reader/account/account.controller';

@Module({})
export class AppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(),
        ClockModule,
        StripeModule,
        WebhooksModule,
        CampaignsModule,
        DonationsModule,
        RefundsModule,
        EmailModule,
        ReceiptsModule,
        SubscriptionsModule,
        StaffModule,
        PhoneModule,
        PrivacyModule,
        SupportersModule,
        ReportsModule,
        DepositsModule,
        StatementsModule,
        MetricsModule,
      ],
      controllers: [
        HealthController,
        DonationsController,
        CampaignsController,
        CheckoutPagesController,
        SubscriptionsController,
        StaffController,
        PhoneDonationsController,
        CorrectionsController,
        SupportersController,
        PrivacyController,
        PhoneSubscriptionsController,
        ReportsController,
        PrintRunsController,
        OfflineSubscriptionsController,
        ComplimentarySubscriptionsController,
        RenewalsDueController,
        DepositsController,
        DepositReportsController,
        StatementsController,
        MetricsController,
        SelfServicePagesController,
        WebhooksAdminController,
        ReaderAssetsController,
        AccountController,
        DevMailboxController,
        GiveController,
        SubscribeController,
      ],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }, ReaderCsrf],
    };
  }
}
