export * from './email.service';
export * from './email.module';
