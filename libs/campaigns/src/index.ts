export * from './campaign.entity';
export * from './campaign.dto';
export * from './campaign-progress.dto';
export * from './campaigns.service';
export * from './progress-board.service';
export * from './progress-bar';
export * from './progress-http';
export * from './campaigns.module';
