import { Module } from '@nestjs/common';
import { ReportsModule } from '@app/reports';
import { DonationsModule } from '@app/donations';
import { LedgerModule } from '@app/ledger';
import { ReceiptsModule } from '@app/receipts';
import { SubscriptionsModule } from '@app/subscriptions';
import { SupportersModule } from '@app/supporters';
import { PrivacyService } from './privacy.service';

/** Export and erasure of a supporter's data; email and the audit log come from global modules. */
@Module({
  imports: [SupportersModule, LedgerModule, SubscriptionsModule, DonationsModule, ReceiptsModule, ReportsModule],
  providers: [PrivacyService],
  exports: [PrivacyService],
})
export class PrivacyModule {}
