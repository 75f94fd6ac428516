export * from './stripe.gateway';
export * from './stripe.module';
