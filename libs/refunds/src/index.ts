export * from './refunds-and-disputes.handler';
export * from './refunds.module';
export * from './charge-fees.handler';
