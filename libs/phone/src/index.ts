export * from './phone-donation.dto';
export * from './phone-donations.service';
export * from './phone.module';
export * from './corrections.dto';
export * from './corrections.service';
export * from './supporter-lookup.service';
