export * from './ledger.types';
export * from './ledger-entry.entity';
export * from './ledger.service';
export * from './ledger-privacy.service';
export * from './ledger.module';
