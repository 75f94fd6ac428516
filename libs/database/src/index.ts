export * from './bigint.transformer';
export * from './embedded-postgres';
export * from './data-source';
export * from './database.module';
export * from './raw';
export * from './embedded-lock';
export * from './service-role';
