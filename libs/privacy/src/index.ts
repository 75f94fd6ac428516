export * from './privacy.dto';
export * from './privacy.service';
export * from './privacy.module';
