export * from './csv';
export * from './periods';
export * from './summary';
export * from './report-query.dto';
export * from './report-settings.service';
export * from './reports.service';
export * from './reconciliation.service';
export * from './reports.module';
