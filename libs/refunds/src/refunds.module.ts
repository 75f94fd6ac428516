import { Module } from '@nestjs/common';
import { LedgerModule } from '@app/ledger';
import { WebhooksModule } from '@app/webhooks';
import { RefundsAndDisputesHandler } from './refunds-and-disputes.handler';

@Module({
  imports: [LedgerModule, WebhooksModule],
  providers: [RefundsAndDisputesHandler],
})
export class RefundsModule {}
