export * from './stripe-event.entity';
export * from './webhook-handler';
export * from './webhook-inbox.service';
export * from './webhooks.module';
