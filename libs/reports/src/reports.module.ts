import { Module } from '@nestjs/common';
import { ReconciliationService } from './reconciliation.service';
import { ReportSettings } from './report-settings.service';
import { ReportsService } from './reports.service';

@Module({
  providers: [ReportSettings, ReportsService, ReconciliationService],
  exports: [ReportSettings, ReportsService, ReconciliationService],
})
export class ReportsModule {}
