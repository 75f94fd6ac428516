import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LedgerEntry } from './ledger-entry.entity';
import { LedgerPrivacyService } from './ledger-privacy.service';
import { LedgerService } from './ledger.service';

@Module({
  imports: [TypeOrmModule.forFeature([LedgerEntry])],
  providers: [LedgerService, LedgerPrivacyService],
  exports: [LedgerService, LedgerPrivacyService],
})
export class LedgerModule {}
