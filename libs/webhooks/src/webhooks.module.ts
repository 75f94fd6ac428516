import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StripeEventRecord } from './stripe-event.entity';
import { WebhookInboxService } from './webhook-inbox.service';

@Module({
  imports: [TypeOrmModule.forFeature([StripeEventRecord])],
  providers: [WebhookInboxService],
  exports: [WebhookInboxService],
})
export class WebhooksModule {}
