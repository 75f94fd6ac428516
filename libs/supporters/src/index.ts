export * from './supporter.entity';
export * from './supporters.service';
export * from './supporter-privacy.service';
export * from './supporters.module';
export * from './phone-number';
export * from './supporter-record.dto';
export * from './supporter-records.service';
