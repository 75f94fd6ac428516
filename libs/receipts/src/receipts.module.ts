import { Module } from '@nestjs/common';
import { LedgerModule } from '@app/ledger';
import { ReceiptIssuer } from './receipt-issuer';
import { ReceiptsRepository } from './receipts.repository';
import { ReceiptsService } from './receipts.service';

@Module({
  imports: [LedgerModule],
  providers: [ReceiptsRepository, ReceiptsService, ReceiptIssuer],
  exports: [ReceiptsService, ReceiptIssuer],
})
export class ReceiptsModule {}
