import { Module } from '@nestjs/common';
import { StatementsData } from './statements.data-access';
import { StatementsService } from './statements.service';

@Module({
  providers: [StatementsData, StatementsService],
  exports: [StatementsService],
})
export class StatementsModule {}
