export * from './deposits.dto';
export * from './deposits.service';
export * from './deposit-reports.service';
export * from './deposits.module';
