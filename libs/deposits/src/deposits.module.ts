import { Module } from '@nestjs/common';
import { DepositReportsService } from './deposit-reports.service';
import { DepositsData } from './deposits.data-access';
import { DepositsService } from './deposits.service';

@Module({
  providers: [DepositsData, DepositsService, DepositReportsService],
  exports: [DepositsService, DepositReportsService],
})
export class DepositsModule {}
