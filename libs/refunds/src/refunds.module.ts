import { Module } from '@nestjs/common';
import { DonationsModule } from '@app/donations';
import { LedgerModule } from '@app/ledger';
import { ReceiptsModule } from '@app/receipts';
import { SubscriptionsModule } from '@app/subscriptions';
import { WebhooksModule } from '@app/webhooks';
import { ChargeFeesHandler } from './charge-fees.handler';
import { RefundsAndDisputesHandler } from './refunds-and-disputes.handler';

@Module({
  imports: [DonationsModule, LedgerModule, ReceiptsModule, SubscriptionsModule, WebhooksModule],
  providers: [RefundsAndDisputesHandler, ChargeFeesHandler],
})
export class RefundsModule {}
