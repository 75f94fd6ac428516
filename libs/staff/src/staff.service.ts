import { clientKey, isUuid } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { type EntityManager, Repository } from 'typeorm';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { signAccessToken, verifyAccessToken } from './access-token';
import { Actor, AuditService } from './audit.service';
import { LoginThrottle } from './login-throttle';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { hashPassword, passwordProblem, verifyPassword } from './password';
import {
  AccessTokenDto,
  ChangePasswordDto,
  CreatedStaffDto,
  CreateStaffDto,
  StaffDto,
  UpdateStaffDto,
} from './staff.dto';
import { StaffMember, StaffRole } from './staff.entity';

export function toStaffDto(s: StaffMember): StaffDto {
  return {
    id: s.id,
    email: s.email,
    name: s.name,
    role: s.role,
    disabled: s.disabledAt !== null,
    passwordChangeRequired: s.passwordMustChange,
    createdAt: s.createdAt.toISOString(),
  };
}

// A hash to compare against when the email is unknown, so both paths cost one scrypt.
let decoy: Promise<string> | undefined;
const decoyHash = () => (decoy ??= hashPassword(randomBytes(16).toString('hex')));

@Injectable()
export class StaffService {
  private readonly logger = new Logger('Staff');
  private readonly secret: Buffer;
  /** Failed sign-ins per account and per address (per process: with several instances, each counts its own); bounded. */
  readonly throttle: LoginThrottle;

  constructor(
    @InjectRepository(StaffMember) private readonly staff: Repository<StaffMember>,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly refreshTokens: RefreshTokensRepository,
  ) {
    this.secret = config.AUTH_TOKEN_SECRET ? Buffer.from(config.AUTH_TOKEN_SECRET) : randomBytes(32);
    // One address may try several accounts (a shared office), but not endlessly: 4× the per-account count.
    this.throttle = new LoginThrottle({
      accountMaxFailures: config.LOGIN_MAX_FAILURES,
      addressMaxFailures: config.LOGIN_MAX_FAILURES * 4,
      maxLockMs: config.LOGIN_LOCK_MINUTES * 60_000,
    });
  }

  /** `temporary`: the password was chosen for them (invitation, demo): it must be changed at first sign-in. */
  async create(dto: CreateStaffDto, password: string, actor: Actor, temporary = false): Promise<StaffDto> {
    const problem = passwordProblem(password);
    if (problem) throw new DomainError('VALIDATION_FAILED', problem, 'password');
    const taken = await this.staff
      .createQueryBuilder('s')
      .where('lower(s.email) = lower(:email)', { email: dto.email })
      .getExists();
    if (taken) throw new DomainError('STAFF_EMAIL_TAKEN', `a staff account for ${dto.email} already exists`, 'email');
    const member = this.staff.create({
      id: randomUUID(),
      email: dto.email,
      name: dto.name,
      role: dto.role,
      passwordHash: await hashPassword(password),
      disabledAt: null,
      passwordMustChange: temporary,
      tokenVersion: 0,
      passwordChangedAt: null,
    });
    try {
      await this.staff.manager.transaction(async (m) => {
        await m.insert(StaffMember, member);
        await this.audit.record(
          actor,
          {
            action: 'staff.create',
            entityType: 'staff',
            entityId: member.id,
            after: { email: member.email, name: member.name, role: member.role, passwordChangeRequired: temporary },
          },
          m,
        );
      });
    } catch (err) {
      // Two requests for one new email at once: the unique index decides, the loser is told so.
      if ((err as { code?: string }).code === '23505') {
        throw new DomainError('STAFF_EMAIL_TAKEN', `a staff account for ${dto.email} already exists`, 'email');
      }
      throw err;
    }
    return toStaffDto(await this.staff.findOneByOrFail({ id: member.id }));
  }

  /** An administrator adds someone: they get a temporary password, shown once, to change at first sign-in. */
  async invite(dto: CreateStaffDto, actor: Actor): Promise<CreatedStaffDto> {
    const temporaryPassword = randomBytes(12).toString('base64url');
    return { ...(await this.create(dto, temporaryPassword, actor, true)), temporaryPassword };
  }

  /**
   * An administrator resets someone's password: a new temporary password, shown once; every token
   * they hold is refused from now on, and their next sign-in must choose a new password.
   */
  async resetPassword(id: string, actor: Actor): Promise<CreatedStaffDto> {
    const member = isUuid(id) ? await this.staff.findOneBy({ id }) : null;
    if (!member) throw new DomainError('NOT_FOUND', `staff member ${id} does not exist`, 'id');
    if (member.id === actor.staffId) {
      throw new DomainError('FORBIDDEN', 'change your own password with POST /api/auth/password', 'id');
    }
    const temporaryPassword = randomBytes(12).toString('base64url');
    const passwordHash = await hashPassword(temporaryPassword);
    await this.staff.manager.transaction((m) => this.setTemporaryPassword(m, member, passwordHash, actor));
    this.throttle.reset(member.email);
    return { ...toStaffDto(await this.staff.findOneByOrFail({ id })), temporaryPassword };
  }

  /**
   * What `npm run staff:reset-password` does: the account with this email (case-insensitively)
   * gets `password` as a temporary password, as resetPassword gives one (tokens refused, audited).
   */
  async resetPasswordByEmail(
    email: string,
    password: string,
    actor: Actor,
  ): Promise<{ id: string; email: string; disabled: boolean }> {
    const problem = passwordProblem(password);
    if (problem) throw new DomainError('VALIDATION_FAILED', problem, 'password');
    const passwordHash = await hashPassword(password);
    const member = await this.staff.manager.transaction(async (m) => {
      const [row] = (await m.query(
        `SELECT id, email, disabled_at FROM staff WHERE lower(email) = lower($1) FOR UPDATE`,
        [email],
      )) as Array<{ id: string; email: string; disabled_at: Date | null }>;
      if (!row) throw new DomainError('NOT_FOUND', `no staff account for ${email}`, 'email');
      await this.setTemporaryPassword(m, row, passwordHash, actor);
      return row;
    });
    this.throttle.reset(member.email);
    return { id: member.id, email: member.email, disabled: member.disabled_at !== null };
  }

  /** A temporary password: to change at the next sign-in; every token the account holds refused from now on; audited. */
  private async setTemporaryPassword(
    m: EntityManager,
    member: { id: string; email: string },
    passwordHash: string,
    actor: Actor,
  ): Promise<void> {
    await m.query(
      `UPDATE staff SET password_hash = $2, password_must_change = true, token_version = token_version + 1, password_changed_at = now(), updated_at = now() WHERE id = $1`,
      [member.id, passwordHash],
    );
    await this.refreshTokens.revokeAllFor(m, member.id);
    await this.audit.record(
      actor,
      {
        action: 'staff.password_reset',
        entityType: 'staff',
        entityId: member.id,
        after: { email: member.email, passwordChangeRequired: true },
      },
      m,
    );
  }

  /**
   * Your own password, with the current one (the temporary one at first sign-in): every token
   * issued before is refused; the answer is a new token with full access. A wrong current
   * password counts as a failed sign-in for the throttle.
   */
  async changePassword(
    staffId: string,
    dto: ChangePasswordDto,
    ip: string | null,
    requestId: string | null,
  ): Promise<AccessTokenDto> {
    return (await this.changeOwnPassword(staffId, dto, ip, requestId)).access;
  }

  /** {@link changePassword}, answering the account as well (a new console session starts from it). */
  async changeOwnPassword(
    staffId: string,
    dto: ChangePasswordDto,
    ip: string | null,
    requestId: string | null,
  ): Promise<{ member: StaffMember; access: AccessTokenDto }> {
    const member = await this.staff
      .createQueryBuilder('s')
      .addSelect('s.passwordHash')
      .where('s.id = :id', { id: staffId })
      .getOne();
    if (!member || member.disabledAt) {
      throw new DomainError('UNAUTHORIZED', 'the access token is invalid or expired; sign in again', 'Authorization');
    }
    const address = clientKey(ip); // an IPv6 address counts by its /64, as the rate limiter counts it
    const actor: Actor = { staffId: member.id, label: member.email, ip, requestId };
    const retryAfter = this.throttle.retryAfter(member.email, address);
    if (retryAfter > 0) {
      throw new DomainError(
        'TOO_MANY_ATTEMPTS',
        `too many failed attempts; try again in ${retryAfter} seconds`,
        'currentPassword',
        undefined,
        retryAfter,
      );
    }
    if (!(await verifyPassword(dto.currentPassword, member.passwordHash))) {
      this.throttle.failed(member.email, address);
      await this.audit.record(actor, {
        action: 'auth.password_change_failed',
        entityType: 'staff',
        entityId: member.id,
      });
      throw new DomainError(
        'CURRENT_PASSWORD_WRONG',
        'currentPassword is not your current password',
        'currentPassword',
      );
    }
    const problem = passwordProblem(dto.newPassword);
    if (problem) throw new DomainError('VALIDATION_FAILED', problem.replace(/^password/, 'newPassword'), 'newPassword');
    if (dto.newPassword === dto.currentPassword) {
      throw new DomainError('VALIDATION_FAILED', 'newPassword must differ from the current password', 'newPassword');
    }
    const passwordHash = await hashPassword(dto.newPassword);
    const [[row]] = await this.staff.manager.transaction(async (m) => {
      const updated = await m.query(
        `UPDATE staff SET password_hash = $2, password_must_change = false, token_version = token_version + 1, password_changed_at = now(), updated_at = now() WHERE id = $1 RETURNING token_version`,
        [member.id, passwordHash],
      );
      await this.refreshTokens.revokeAllFor(m, member.id);
      await this.audit.record(
        actor,
        {
          action: 'staff.password_change',
          entityType: 'staff',
          entityId: member.id,
          before: { passwordChangeRequired: member.passwordMustChange },
          after: { passwordChangeRequired: false },
        },
        m,
      );
      return updated as [Array<{ token_version: number }>, number];
    });
    this.throttle.succeeded(member.email, address);
    const changed = { ...member, passwordMustChange: false, tokenVersion: row.token_version } as StaffMember;
    return { member: changed, access: this.issueToken(changed) };
  }

  async list(): Promise<StaffDto[]> {
    return (await this.staff.find({ order: { createdAt: 'ASC' } })).map(toStaffDto);
  }

  async update(id: string, dto: UpdateStaffDto, actor: Actor): Promise<StaffDto> {
    const member = isUuid(id) ? await this.staff.findOneBy({ id }) : null;
    if (!member) throw new DomainError('NOT_FOUND', `staff member ${id} does not exist`, 'id');
    if (member.id === actor.staffId && (dto.disabled || (dto.role && dto.role !== 'admin'))) {
      throw new DomainError(
        'FORBIDDEN',
        'administrators cannot disable or demote themselves',
        dto.disabled ? 'disabled' : 'role',
      );
    }
    const before = toStaffDto(member);
    const changes: Partial<StaffMember> = {};
    if (dto.role) changes.role = dto.role;
    if (dto.disabled !== undefined) changes.disabledAt = dto.disabled ? (member.disabledAt ?? new Date()) : null;
    await this.staff.manager.transaction(async (m) => {
      await m.update(StaffMember, { id }, changes);
      // Disabling refuses every token issued before, also if the account is enabled again later.
      if (dto.disabled && !member.disabledAt) {
        await m.query(`UPDATE staff SET token_version = token_version + 1 WHERE id = $1`, [id]);
        await this.refreshTokens.revokeAllFor(m, id);
      }
      const after = toStaffDto(await m.findOneByOrFail(StaffMember, { id }));
      await this.audit.record(actor, { action: 'staff.update', entityType: 'staff', entityId: id, before, after }, m);
    });
    return toStaffDto(await this.staff.findOneByOrFail({ id }));
  }

  /** Sign-in, throttled per account and per address; every attempt is audited. */
  async login(email: string, password: string, ip: string | null, requestId: string | null): Promise<AccessTokenDto> {
    return (await this.signIn(email, password, ip, requestId)).access;
  }

  /** {@link login}, answering the account as well (a console session starts from it). */
  async signIn(
    email: string,
    password: string,
    ip: string | null,
    requestId: string | null,
  ): Promise<{ member: StaffMember; access: AccessTokenDto }> {
    const address = clientKey(ip); // an IPv6 address counts by its /64, as the rate limiter counts it
    const retryAfter = this.throttle.retryAfter(email, address);
    if (retryAfter > 0) {
      throw new DomainError(
        'TOO_MANY_ATTEMPTS',
        `too many failed sign-ins; try again in ${retryAfter < 90 ? `${retryAfter} seconds` : `${Math.ceil(retryAfter / 60)} minutes`}`,
        'email',
        undefined,
        retryAfter,
      );
    }
    const member = await this.staff
      .createQueryBuilder('s')
      .addSelect('s.passwordHash')
      .where('lower(s.email) = lower(:email)', { email })
      .getOne();
    const ok = await verifyPassword(password, member?.passwordHash ?? (await decoyHash()));
    const actor: Actor = { staffId: member?.id ?? null, label: email.toLowerCase(), ip, requestId };
    if (!member || !ok || member.disabledAt) {
      this.throttle.failed(email, address);
      await this.audit.record(actor, { action: 'auth.login_failed', entityType: 'staff', entityId: member?.id });
      throw new DomainError('UNAUTHORIZED', 'wrong email or password', 'password');
    }
    this.throttle.succeeded(email, address);
    await this.audit.record(actor, {
      action: 'auth.login',
      entityType: 'staff',
      entityId: member.id,
      after: member.passwordMustChange ? { passwordChangeRequired: true } : undefined,
    });
    return { member, access: this.issueToken(member) };
  }

  /** A short-lived access token for the account as it is now (its role, its token_version). */
  issueToken(
    member: Pick<StaffMember, 'id' | 'email' | 'name' | 'role' | 'tokenVersion' | 'passwordMustChange'>,
  ): AccessTokenDto {
    const now = Math.floor(Date.now() / 1000);
    const ttl = this.config.AUTH_TOKEN_TTL_MINUTES * 60;
    const accessToken = signAccessToken(
      { sub: member.id, role: member.role, iat: now, exp: now + ttl, ver: member.tokenVersion },
      this.secret,
    );
    return {
      accessToken,
      expiresIn: ttl,
      passwordChangeRequired: member.passwordMustChange,
      staff: { id: member.id, email: member.email, name: member.name, role: member.role },
    };
  }

  /**
   * The account behind a bearer token, re-read (one primary-key lookup per request, no cache, so
   * that it holds across instances at once): a disabled account, a new role, and a token issued
   * before a password change, reset or disable (its `ver` is not the account's) apply at once.
   * The caller refuses everything but a password change while `passwordMustChange` is set.
   */
  async authenticate(token: string): Promise<StaffMember | null> {
    const claims = verifyAccessToken(token, this.secret);
    if (!claims || !isUuid(claims.sub)) return null;
    const member = await this.staff.findOneBy({ id: claims.sub });
    if (!member || member.disabledAt || (claims.ver ?? 0) !== member.tokenVersion) return null;
    return member;
  }

  /**
   * The no-configuration default (`npm start` on a laptop, Stripe simulator): with no staff yet,
   * a demo administrator with a random password printed once. Never with a real Stripe key.
   * The password is temporary (it sits in a log that others may read): the first sign-in with it
   * must choose a new one.
   */
  async ensureDemoAdmin(): Promise<void> {
    if (!this.config.usesSimulator || (await this.staff.count()) > 0) return;
    const password = randomBytes(12).toString('base64url');
    await this.create(
      { email: 'admin@localhost.test', name: 'Demo administrator', role: 'admin' },
      password,
      { staffId: null, label: 'system' },
      true,
    );
    this.logger.warn(
      `demo administrator created: admin@localhost.test / ${password} (temporary, shown once: sign in, then choose a password with POST /api/auth/password; the simulator default only)`,
    );
  }
}

export type { StaffRole };
