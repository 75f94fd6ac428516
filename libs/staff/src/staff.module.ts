import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditPrivacyService } from './audit-privacy.service';
import { AuditService } from './audit.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { RolesGuard } from './roles.guard';
import { StaffMember } from './staff.entity';
import { StaffSessionService } from './staff-session.service';
import { StaffService } from './staff.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([StaffMember])],
  providers: [
    StaffService,
    StaffSessionService,
    RefreshTokensRepository,
    AuditService,
    AuditPrivacyService,
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [StaffService, StaffSessionService, AuditService, AuditPrivacyService],
})
export class StaffModule {}
