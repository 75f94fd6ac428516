import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Campaign } from './campaign.entity';
import { CampaignsService } from './campaigns.service';
import { ProgressBoard } from './progress-board.service';

@Module({
  imports: [TypeOrmModule.forFeature([Campaign])],
  providers: [CampaignsService, ProgressBoard],
  exports: [CampaignsService, ProgressBoard],
})
export class CampaignsModule {}
