import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Supporter } from './supporter.entity';
import { SupportersService } from './supporters.service';

@Module({
  imports: [TypeOrmModule.forFeature([Supporter])],
  providers: [SupportersService],
  exports: [SupportersService],
})
export class SupportersModule {}
