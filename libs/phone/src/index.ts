export * from './phone-donation.dto';
export * from './phone-donations.service';
export * from './phone.module';
