import { Module } from '@nestjs/common';
import { LedgerModule } from '@app/ledger';
import { WebhooksModule } from '@app/webhooks';
import { ChargeFeesHandler } from './charge-fees.handler';
import { RefundsAndDisputesHandler } from './refunds-and-disputes.handler';

@Module({
  imports: [LedgerModule, WebhooksModule],
  providers: [RefundsAndDisputesHandler, ChargeFeesHandler],
})
export class RefundsModule {}
