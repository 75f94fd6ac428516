import { Module } from '@nestjs/common';
import { CampaignsModule } from '@app/campaigns';
import { DonationsModule } from '@app/donations';
import { LedgerModule } from '@app/ledger';
import { CorrectionsService } from './corrections.service';
import { PhoneDonationsService } from './phone-donations.service';
import { SupporterLookupService } from './supporter-lookup.service';

@Module({
  imports: [CampaignsModule, DonationsModule, LedgerModule],
  providers: [PhoneDonationsService, CorrectionsService, SupporterLookupService],
  exports: [PhoneDonationsService, CorrectionsService, SupporterLookupService],
})
export class PhoneModule {}
