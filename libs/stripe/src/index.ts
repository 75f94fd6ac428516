export * from './stripe.gateway';
export * from './stripe.module';
export * from './stripe-price.entity';
export * from './stripe-price-catalog.service';
export * from './bounded-cache';
export * from './stripe-event-shape';
export * from './stripe-errors';
