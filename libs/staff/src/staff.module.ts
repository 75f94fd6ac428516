import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditService } from './audit.service';
import { RolesGuard } from './roles.guard';
import { StaffMember } from './staff.entity';
import { StaffService } from './staff.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([StaffMember])],
  providers: [StaffService, AuditService, { provide: APP_GUARD, useClass: RolesGuard }],
  exports: [StaffService, AuditService],
})
export class StaffModule {}
