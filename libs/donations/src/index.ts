export * from './checkout.entity';
export * from './create-donation.dto';
export * from './donations.service';
export * from './checkout-payment.handler';
export * from './donations.module';
export * from './checkout-sessions.service';
export * from './recovery.service';
