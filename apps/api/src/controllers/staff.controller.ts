import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiCookieAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { RateLimit } from '../http/rate-limit';
import {
  AccessTokenDto,
  Actor,
  type AuditFilter,
  AuditLogEntryDto,
  AuditService,
  ChangePasswordDto,
  CreatedStaffDto,
  CreateStaffDto,
  CurrentActor,
  LoginDto,
  PasswordChangeRoute,
  Public,
  readRefreshCookie,
  REFRESH_COOKIE,
  REFRESH_COOKIE_PATH,
  REFRESH_COOKIE_SCHEME,
  refreshCookie,
  Roles,
  type Session,
  StaffDto,
  StaffService,
  StaffSessionService,
  UpdateStaffDto,
} from '@app/staff';

const SESSION_NOTE = `Also sets the ${REFRESH_COOKIE} cookie (HttpOnly, SameSite=Strict, Path=${REFRESH_COOKIE_PATH}): the staff console's session, for POST /api/auth/refresh.`;

@ApiTags('staff')
@Controller('api')
export class StaffController {
  constructor(
    private readonly staff: StaffService,
    private readonly audit: AuditService,
    private readonly sessions: StaffSessionService,
    private readonly config: AppConfig,
  ) {}

  /** The access token in the body, the next refresh token in the cookie; never cached. */
  private answer(req: FastifyRequest, reply: FastifyReply, session: Session): AccessTokenDto {
    reply
      .header('cache-control', 'no-store')
      .header('set-cookie', refreshCookie(session.refreshToken, session.refreshMaxAge, this.secure(req)));
    return session.access;
  }

  /** Secure cookies when the service is reached over HTTPS (directly, or through a trusted proxy). */
  private secure(req: FastifyRequest): boolean {
    return req.protocol === 'https' || this.config.PUBLIC_BASE_URL.startsWith('https:');
  }

  @Post('auth/login')
  @Public()
  @RateLimit()
  @ApiTooManyRequestsResponse({
    description:
      'TOO_MANY_ATTEMPTS after repeated failures for the account or address; RATE_LIMITED past the per-address request limit (Retry-After)',
  })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Staff sign-in: a short-lived bearer token (throttled after repeated failures)',
    description: SESSION_NOTE,
  })
  @ApiOkResponse({ type: AccessTokenDto })
  async login(
    @Body() dto: LoginDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccessTokenDto> {
    return this.answer(req, reply, await this.sessions.login(dto.email, dto.password, req.ip ?? null, String(req.id)));
  }

  @Post('auth/refresh')
  @Public()
  @ApiCookieAuth(REFRESH_COOKIE_SCHEME)
  @RateLimit()
  @HttpCode(200)
  @ApiOperation({
    summary: 'A new access token for the session in the refresh cookie (the staff console)',
    description: `Reads the ${REFRESH_COOKIE} cookie set by sign-in and answers a new access token with the account's current role; the cookie is replaced by the next one (rotation). A refresh token used twice ends its session (after a short grace for two tabs refreshing at once). A password change, a reset or disabling the account ends every session.`,
  })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiUnauthorizedResponse({ description: 'No session, or it has ended: sign in again' })
  async refresh(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<AccessTokenDto> {
    const token = readRefreshCookie(req.headers.cookie);
    try {
      return this.answer(req, reply, await this.sessions.refresh(token, req.ip ?? null, String(req.id)));
    } catch (err) {
      if (token) reply.header('set-cookie', refreshCookie(null, 0, this.secure(req)));
      throw err;
    }
  }

  @Post('auth/logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({
    summary: 'Sign out of the staff console: the session in the refresh cookie ends, the cookie is cleared',
  })
  @ApiNoContentResponse({ description: 'Signed out (also when there was no session)' })
  async logout(@Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.sessions.logout(readRefreshCookie(req.headers.cookie), req.ip ?? null, String(req.id));
    reply.header('cache-control', 'no-store').header('set-cookie', refreshCookie(null, 0, this.secure(req)));
  }

  @Post('auth/password')
  @Roles('phone', 'finance', 'admin')
  @PasswordChangeRoute()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Change your own password (the current one is required); every earlier token is refused, the answer is a new one',
    description: `Every earlier console session ends. ${SESSION_NOTE}`,
  })
  @ApiOkResponse({ type: AccessTokenDto })
  async changePassword(
    @Body() dto: ChangePasswordDto,
    @CurrentActor() actor: Actor,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccessTokenDto> {
    const session = await this.sessions.changePassword(actor.staffId!, dto, actor.ip ?? null, actor.requestId ?? null);
    return this.answer(req, reply, session);
  }

  @Get('staff')
  @Roles('admin')
  @ApiOkResponse({ type: [StaffDto] })
  list(): Promise<StaffDto[]> {
    return this.staff.list();
  }

  @Post('staff')
  @Roles('admin')
  @ApiOperation({ summary: 'Add a staff member; answers a temporary password once' })
  @ApiCreatedResponse({ type: CreatedStaffDto })
  invite(@Body() dto: CreateStaffDto, @CurrentActor() actor: Actor): Promise<CreatedStaffDto> {
    return this.staff.invite(dto, actor);
  }

  @Patch('staff/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a role, or disable/enable an account' })
  @ApiOkResponse({ type: StaffDto })
  update(@Param('id') id: string, @Body() dto: UpdateStaffDto, @CurrentActor() actor: Actor): Promise<StaffDto> {
    return this.staff.update(id, dto, actor);
  }

  @Post('staff/:id/password-reset')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: "Reset someone's password: answers a new temporary password once; their tokens are refused from now on",
  })
  @ApiOkResponse({ type: CreatedStaffDto })
  resetPassword(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<CreatedStaffDto> {
    return this.staff.resetPassword(id, actor);
  }

  @Get('audit-log')
  @Roles('admin')
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'before', required: false, description: 'id to page backwards from' })
  @ApiQuery({ name: 'staffId', required: false, description: "only this staff member's actions (their id)" })
  @ApiQuery({
    name: 'action',
    required: false,
    description:
      'only this action (`campaign.update`), or every action of a kind (a prefix ending in a dot: `campaign.`)',
  })
  @ApiQuery({ name: 'from', required: false, description: "YYYY-MM-DD, inclusive, in the organisation's time zone" })
  @ApiQuery({ name: 'to', required: false, description: "YYYY-MM-DD, inclusive, in the organisation's time zone" })
  @ApiOperation({ summary: 'The audit log, newest first; filtered by staff member, action and dates' })
  @ApiOkResponse({ type: [AuditLogEntryDto] })
  auditLog(
    @Query('limit') limit?: string,
    @Query('before') before?: string,
    @Query('staffId') staffId?: string,
    @Query('action') action?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<AuditLogEntryDto[]> {
    const n = limit === undefined ? 100 : typeof limit === 'string' && /^\d{1,4}$/.test(limit) ? Number(limit) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > 1000) {
      throw new DomainError('VALIDATION_FAILED', 'limit must be an integer from 1 to 1000', 'limit');
    }
    if (before !== undefined && !/^\d{1,18}$/.test(before)) {
      throw new DomainError('VALIDATION_FAILED', 'before must be an audit entry id', 'before');
    }
    const given = (v: unknown) => (v === undefined || v === '' ? undefined : v);
    const filter = { staffId: given(staffId), action: given(action), from: given(from), to: given(to) };
    if (
      filter.staffId !== undefined &&
      (typeof filter.staffId !== 'string' ||
        !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(filter.staffId))
    ) {
      throw new DomainError('VALIDATION_FAILED', 'staffId must be a staff member id (a UUID)', 'staffId');
    }
    if (
      filter.action !== undefined &&
      (typeof filter.action !== 'string' || !/^[a-z0-9_.-]{1,100}$/.test(filter.action))
    ) {
      throw new DomainError('VALIDATION_FAILED', 'action must be an action name such as campaign.update', 'action');
    }
    for (const [field, value] of [
      ['from', filter.from],
      ['to', filter.to],
    ] as const) {
      if (value !== undefined && (typeof value !== 'string' || !isCalendarDate(value))) {
        throw new DomainError('VALIDATION_FAILED', `${field} must be a date (YYYY-MM-DD)`, field);
      }
    }
    if (filter.from && filter.to && filter.from > filter.to) {
      throw new DomainError('VALIDATION_FAILED', 'from must be on or before to', 'from');
    }
    return this.audit.list(n, before, filter as AuditFilter, this.config.REPORT_TIME_ZONE);
  }
}

/** YYYY-MM-DD that names a real day (2026-02-30 does not). */
function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
