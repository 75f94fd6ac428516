export * from './refunds-and-disputes.handler';
export * from './refunds.module';
