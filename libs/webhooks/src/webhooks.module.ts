import { Module } from '@nestjs/common';
import { InboxNotificationListener } from './inbox-notification-listener';
import { StoreBatcher } from './store-batcher';
import { WebhookAdminService } from './webhook-admin.service';
import { WebhookHandlerRegistry } from './webhook-handler-registry';
import { WebhookInboxRepository } from './webhook-inbox.repository';
import { WebhookInboxService } from './webhook-inbox.service';
import { WebhookWorker } from './webhook-worker';

@Module({
  providers: [
    WebhookInboxRepository,
    WebhookHandlerRegistry,
    WebhookWorker,
    StoreBatcher,
    InboxNotificationListener,
    WebhookInboxService,
    WebhookAdminService,
  ],
  exports: [WebhookInboxService, WebhookAdminService],
})
export class WebhooksModule {}
