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
import { ReportsModule } from '@app/reports';
import { MetricsModule } from '@app/observability';
import { ReportsController } from './controllers/reports.controller';
import { PhoneDonationsController, PhoneSubscriptionsController, SupportersController } from './controllers/phone-donations.controller';
import { CorrectionsController } from './controllers/corrections.controller';
import { StaffController } from './controllers/staff.controller';
import { StripeModule } from '@app/stripe';
import { WebhooksModule } from '@app/webhooks';
import { CampaignsController } from './controllers/campaigns.controller';
import { CheckoutPagesController } from './controllers/checkout-pages.controller';
import { DonationsController } from './controllers/donations.controller';
import { HealthController } from './controllers/health.controller';
import { SubscriptionsController } from './controllers/subscriptions.controller';
import { MetricsController } from './controllers/metrics.controller';
import { RateLimitGuard } from './http/rate-limit';

@Module({})
export class AppModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(), StripeModule, WebhooksModule, CampaignsModule, DonationsModule, RefundsModule, EmailModule, SubscriptionsModule, StaffModule, PhoneModule, ReportsModule, MetricsModule],
      controllers: [HealthController, DonationsController, CampaignsController, CheckoutPagesController, SubscriptionsController, StaffController, PhoneDonationsController, CorrectionsController, SupportersController, PhoneSubscriptionsController, ReportsController, MetricsController],
      providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
    };
  }
}
