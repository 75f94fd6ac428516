import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@app/config';
import { StripeGateway } from './stripe.gateway';

@Injectable()
class StripeGatewayCloser implements OnApplicationShutdown {
  constructor(@Inject(StripeGateway) private readonly gateway: StripeGateway) {}
  async onApplicationShutdown(): Promise<void> {
    await this.gateway.close();
  }
}

@Global()
@Module({
  providers: [{ provide: StripeGateway, inject: [AppConfig], useFactory: (config: AppConfig) => StripeGateway.create(config) }, StripeGatewayCloser],
  exports: [StripeGateway],
})
export class StripeModule {}
