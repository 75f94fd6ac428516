import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import type { Actor } from './audit.service';
import { AuditService } from './audit.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import type { AccessTokenDto, ChangePasswordDto } from './staff.dto';
import { StaffMember } from './staff.entity';
import { StaffService } from './staff.service';

/** The refresh cookie: HttpOnly (no script reads it), SameSite=Strict, sent to /api/auth only. */
export const REFRESH_COOKIE = 'staff_refresh';
export const REFRESH_COOKIE_PATH = '/api/auth';
/** OpenAPI security scheme of the refresh cookie (POST /api/auth/refresh). */
export const REFRESH_COOKIE_SCHEME = 'refresh_cookie';
/** A session unused this long ends (the next refresh is refused). */
export const REFRESH_IDLE_SECONDS = 8 * 3600;
/** A session ends this long after its sign-in, used or not: then the password again. */
export const REFRESH_MAX_SECONDS = 24 * 3600;
/**
 * A rotated token presented again this soon after its rotation is two requests racing (two tabs
 * refreshing at once, a retry): refused, but the family is not revoked. Later, it is a replay.
 */
export const REFRESH_RACE_SECONDS = 10;

export interface Session {
  access: AccessTokenDto;
  refreshToken: string;
  /** seconds until the refresh token expires (the cookie's Max-Age) */
  refreshMaxAge: number;
}

const signInAgain = () => new DomainError('UNAUTHORIZED', 'the session has ended; sign in again', REFRESH_COOKIE);

/** The `Set-Cookie` value carrying a refresh token (or clearing it: `token` null). */
export function refreshCookie(token: string | null, maxAgeSeconds: number, secure: boolean): string {
  return [
    `${REFRESH_COOKIE}=${token ?? ''}`,
    `Path=${REFRESH_COOKIE_PATH}`,
    `Max-Age=${token ? Math.max(0, Math.floor(maxAgeSeconds)) : 0}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

/** The refresh token in a `Cookie` header, if any (a plain token: base64url, no decoding needed). */
export function readRefreshCookie(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join('; ') : header;
  if (!value) return undefined;
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === REFRESH_COOKIE) {
      const token = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
    }
  }
  return undefined;
}

/**
 * Staff console sessions on top of the short-lived access tokens: a sign-in (or a password change)
 * starts a family of rotating refresh tokens; each refresh answers a new access token and the next
 * refresh token, and a replayed one ends the family. The account is re-read at every refresh, so
 * a new role, disabling, or a password change or reset (token_version) apply there too.
 */
@Injectable()
export class StaffSessionService {
  constructor(
    private readonly staff: StaffService,
    private readonly tokens: RefreshTokensRepository,
    private readonly audit: AuditService,
  ) {}

  /** Sign-in (throttled and audited by StaffService), plus a new session. */
  async login(email: string, password: string, ip: string | null, requestId: string | null): Promise<Session> {
    const { member, access } = await this.staff.signIn(email, password, ip, requestId);
    return this.start(member, access);
  }

  /** A new session for someone who just proved their password (sign-in, password change). */
  async start(member: Pick<StaffMember, 'id' | 'tokenVersion'>, access: AccessTokenDto): Promise<Session> {
    const m = this.tokens.manager;
    await this.tokens.deleteExpired(m, member.id);
    const { token, expiresAt } = await this.tokens.issue(m, member.id, member.tokenVersion, REFRESH_IDLE_SECONDS, {
      maxSeconds: REFRESH_MAX_SECONDS,
    });
    return { access, refreshToken: token, refreshMaxAge: (expiresAt.getTime() - Date.now()) / 1000 };
  }

  /** A new access token and the next refresh token, for the refresh token in the cookie. */
  async refresh(token: string | undefined, ip: string | null, requestId: string | null): Promise<Session> {
    if (!token) throw signInAgain();
    const outcome = await this.tokens.manager.transaction(async (m) => {
      const row = await this.tokens.findForUpdate(m, token);
      if (!row || row.revokedAt) return undefined;
      if (row.rotatedAt) {
        if (Date.now() - row.rotatedAt.getTime() > REFRESH_RACE_SECONDS * 1000) {
          await this.tokens.revokeFamily(m, row.familyId);
          await this.audit.record(
            { staffId: row.staffId, label: await this.label(m, row.staffId), ip, requestId },
            { action: 'auth.refresh_reuse', entityType: 'staff', entityId: row.staffId, after: { revoked: true } },
            m,
          );
        }
        return undefined;
      }
      const now = Date.now();
      if (row.expiresAt.getTime() <= now || row.familyExpiresAt.getTime() <= now) return undefined;
      const member = await m.findOneBy(StaffMember, { id: row.staffId });
      if (!member || member.disabledAt || member.tokenVersion !== row.tokenVersion) {
        await this.tokens.revokeFamily(m, row.familyId);
        return undefined;
      }
      await this.tokens.markRotated(m, row.id);
      const next = await this.tokens.issue(m, member.id, member.tokenVersion, REFRESH_IDLE_SECONDS, {
        id: row.familyId,
        expiresAt: row.familyExpiresAt,
      });
      return { member, next };
    });
    if (!outcome) throw signInAgain();
    return {
      access: this.staff.issueToken(outcome.member),
      refreshToken: outcome.next.token,
      refreshMaxAge: (outcome.next.expiresAt.getTime() - Date.now()) / 1000,
    };
  }

  /** Sign-out: the cookie's family ends (a token unknown or already ended: nothing to do). */
  async logout(token: string | undefined, ip: string | null, requestId: string | null): Promise<void> {
    if (!token) return;
    await this.tokens.manager.transaction(async (m) => {
      const row = await this.tokens.findForUpdate(m, token);
      if (!row || row.revokedAt) return;
      await this.tokens.revokeFamily(m, row.familyId);
      const actor: Actor = { staffId: row.staffId, label: await this.label(m, row.staffId), ip, requestId };
      await this.audit.record(actor, { action: 'auth.logout', entityType: 'staff', entityId: row.staffId }, m);
    });
  }

  /** Your own password changed (StaffService): every earlier session ended, a new one starts. */
  async changePassword(
    staffId: string,
    dto: ChangePasswordDto,
    ip: string | null,
    requestId: string | null,
  ): Promise<Session> {
    const { member, access } = await this.staff.changeOwnPassword(staffId, dto, ip, requestId);
    return this.start(member, access);
  }

  /** The audit log's actor label: the account's email. */
  private async label(m: EntityManager, staffId: string): Promise<string> {
    return (await m.findOneBy(StaffMember, { id: staffId }))?.email ?? 'unknown';
  }
}
