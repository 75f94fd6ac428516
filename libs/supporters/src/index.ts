export * from './supporter.entity';
export * from './supporters.service';
export * from './supporters.module';
