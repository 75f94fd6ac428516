import { Module } from '@nestjs/common';
import { SubscriptionsModule } from '@app/subscriptions';
import { PrintRunsData } from './print-runs.data-access';
import { PrintRunsService } from './print-runs.service';
import { ReconciliationService } from './reconciliation.service';
import { ReportSettings } from './report-settings.service';
import { ReportsService } from './reports.service';

@Module({
  imports: [SubscriptionsModule],
  providers: [ReportSettings, ReportsService, ReconciliationService, PrintRunsData, PrintRunsService],
  exports: [ReportSettings, ReportsService, ReconciliationService, PrintRunsData, PrintRunsService],
})
export class ReportsModule {}
