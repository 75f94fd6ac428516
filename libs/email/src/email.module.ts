import { Global, Module } from '@nestjs/common';
import { EmailMailboxService } from './email-mailbox.service';
import { EmailOutboxWorker } from './email-outbox.worker';
import { EmailPrivacyService } from './email-privacy.service';
import { EmailService } from './email.service';
import { EmailTemplates } from './templates/email-templates';

@Global()
@Module({
  providers: [EmailService, EmailOutboxWorker, EmailPrivacyService, EmailMailboxService, EmailTemplates],
  exports: [EmailService, EmailOutboxWorker, EmailPrivacyService, EmailMailboxService, EmailTemplates],
})
export class EmailModule {}
