import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '@app/common';
import { RateLimit } from '../http/rate-limit';
import { AccessTokenDto, Actor, AuditService, CreatedStaffDto, CreateStaffDto, CurrentActor, LoginDto, Public, Roles, StaffDto, StaffService, UpdateStaffDto } from '@app/staff';

@ApiTags('staff')
@Controller('api')
export class StaffController {
  constructor(
    private readonly staff: StaffService,
    private readonly audit: AuditService,
  ) {}

  @Post('auth/login')
  @Public()
  @RateLimit()
  @ApiTooManyRequestsResponse({ description: 'TOO_MANY_ATTEMPTS after repeated failures for the account or address; RATE_LIMITED past the per-address request limit (Retry-After)' })
  @HttpCode(200)
  @ApiOperation({ summary: 'Staff sign-in: a short-lived bearer token (throttled after repeated failures)' })
  @ApiOkResponse({ type: AccessTokenDto })
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest): Promise<AccessTokenDto> {
    return this.staff.login(dto.email, dto.password, req.ip ?? null, String(req.id));
  }

  @Get('staff')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOkResponse({ type: [StaffDto] })
  list(): Promise<StaffDto[]> {
    return this.staff.list();
  }

  @Post('staff')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Add a staff member; answers a temporary password once' })
  @ApiCreatedResponse({ type: CreatedStaffDto })
  invite(@Body() dto: CreateStaffDto, @CurrentActor() actor: Actor): Promise<CreatedStaffDto> {
    return this.staff.invite(dto, actor);
  }

  @Patch('staff/:id')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change a role, or disable/enable an account' })
  @ApiOkResponse({ type: StaffDto })
  update(@Param('id') id: string, @Body() dto: UpdateStaffDto, @CurrentActor() actor: Actor): Promise<StaffDto> {
    return this.staff.update(id, dto, actor);
  }

  @Get('audit-log')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'before', required: false, description: 'id to page backwards from' })
  @ApiOperation({ summary: 'The audit log, newest first' })
  auditLog(@Query('limit') limit?: string, @Query('before') before?: string): Promise<unknown[]> {
    const n = limit === undefined ? 100 : typeof limit === 'string' && /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new DomainError('VALIDATION_FAILED', 'limit must be an integer from 1 to 1000', 'limit');
    if (before !== undefined && !/^\d{1,18}$/.test(before)) throw new DomainError('VALIDATION_FAILED', 'before must be an audit entry id', 'before');
    return this.audit.list(n, before);
  }
}
