import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics.service';

/** Global: any module may inject `Metrics` to record what it does. */
@Global()
@Module({
  providers: [Metrics],
  exports: [Metrics],
})
export class MetricsModule {}
