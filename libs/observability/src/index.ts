export * from './metrics.service';
export * from './metrics.module';
