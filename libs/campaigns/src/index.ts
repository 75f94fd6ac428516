export * from './campaign.entity';
export * from './campaign-progress.dto';
export * from './campaigns.service';
export * from './campaigns.module';
