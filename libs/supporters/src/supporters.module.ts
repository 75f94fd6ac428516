import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Supporter } from './supporter.entity';
import { SupporterPrivacyService } from './supporter-privacy.service';
import { SupporterRecordsService } from './supporter-records.service';
import { SupportersService } from './supporters.service';

@Module({
  imports: [TypeOrmModule.forFeature([Supporter])],
  providers: [SupportersService, SupporterPrivacyService, SupporterRecordsService],
  exports: [SupportersService, SupporterPrivacyService, SupporterRecordsService],
})
export class SupportersModule {}
