import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@app/config';
import { StripePriceCatalog } from './stripe-price-catalog.service';
import { StripePriceRecord } from './stripe-price.entity';
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
  imports: [TypeOrmModule.forFeature([StripePriceRecord])],
  providers: [
    { provide: StripeGateway, inject: [AppConfig], useFactory: (config: AppConfig) => StripeGateway.create(config) },
    StripeGatewayCloser,
    StripePriceCatalog,
  ],
  exports: [StripeGateway, StripePriceCatalog],
})
export class StripeModule {}
