import { isUuid } from '@app/common';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { signAccessToken, verifyAccessToken } from './access-token';
import { Actor, AuditService } from './audit.service';
import { hashPassword, passwordProblem, verifyPassword } from './password';
import { AccessTokenDto, CreatedStaffDto, CreateStaffDto, StaffDto, UpdateStaffDto } from './staff.dto';
import { StaffMember, StaffRole } from './staff.entity';

export function toStaffDto(s: StaffMember): StaffDto {
  return { id: s.id, email: s.email, name: s.name, role: s.role, disabled: s.disabledAt !== null, createdAt: s.createdAt.toISOString() };
}

// A hash to compare against when the email is unknown, so both paths cost one scrypt.
let decoy: Promise<string> | undefined;
const decoyHash = () => (decoy ??= hashPassword(randomBytes(16).toString('hex')));

@Injectable()
export class StaffService {
  private readonly logger = new Logger('Staff');
  private readonly secret: Buffer;
  /** Recent failed sign-ins by `email:` and `ip:` key (per process: with several instances, each counts its own). */
  private readonly failures = new Map<string, number[]>();

  constructor(
    @InjectRepository(StaffMember) private readonly staff: Repository<StaffMember>,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {
    this.secret = config.AUTH_TOKEN_SECRET ? Buffer.from(config.AUTH_TOKEN_SECRET) : randomBytes(32);
  }

  async create(dto: CreateStaffDto, password: string, actor: Actor): Promise<StaffDto> {
    const problem = passwordProblem(password);
    if (problem) throw new DomainError('VALIDATION_FAILED', problem, 'password');
    const taken = await this.staff.createQueryBuilder('s').where('lower(s.email) = lower(:email)', { email: dto.email }).getExists();
    if (taken) throw new DomainError('STAFF_EMAIL_TAKEN', `a staff account for ${dto.email} already exists`, 'email');
    const member = this.staff.create({ id: randomUUID(), email: dto.email, name: dto.name, role: dto.role, passwordHash: await hashPassword(password), disabledAt: null });
    try {
      await this.staff.manager.transaction(async (m) => {
        await m.insert(StaffMember, member);
        await this.audit.record(actor, { action: 'staff.create', entityType: 'staff', entityId: member.id, after: { email: member.email, name: member.name, role: member.role } }, m);
      });
    } catch (err) {
      // Two requests for one new email at once: the unique index decides, the loser is told so.
      if ((err as { code?: string }).code === '23505') throw new DomainError('STAFF_EMAIL_TAKEN', `a staff account for ${dto.email} already exists`, 'email');
      throw err;
    }
    return toStaffDto((await this.staff.findOneByOrFail({ id: member.id })));
  }

  /** An administrator adds someone: they get a temporary password, shown once. */
  async invite(dto: CreateStaffDto, actor: Actor): Promise<CreatedStaffDto> {
    const temporaryPassword = randomBytes(12).toString('base64url');
    return { ...(await this.create(dto, temporaryPassword, actor)), temporaryPassword };
  }

  async list(): Promise<StaffDto[]> {
    return (await this.staff.find({ order: { createdAt: 'ASC' } })).map(toStaffDto);
  }

  async update(id: string, dto: UpdateStaffDto, actor: Actor): Promise<StaffDto> {
    const member = isUuid(id) ? await this.staff.findOneBy({ id }) : null;
    if (!member) throw new DomainError('NOT_FOUND', `staff member ${id} does not exist`, 'id');
    if (member.id === actor.staffId && (dto.disabled || (dto.role && dto.role !== 'admin'))) {
      throw new DomainError('FORBIDDEN', 'administrators cannot disable or demote themselves', dto.disabled ? 'disabled' : 'role');
    }
    const before = toStaffDto(member);
    const changes: Partial<StaffMember> = {};
    if (dto.role) changes.role = dto.role;
    if (dto.disabled !== undefined) changes.disabledAt = dto.disabled ? (member.disabledAt ?? new Date()) : null;
    await this.staff.manager.transaction(async (m) => {
      await m.update(StaffMember, { id }, changes);
      const after = toStaffDto(await m.findOneByOrFail(StaffMember, { id }));
      await this.audit.record(actor, { action: 'staff.update', entityType: 'staff', entityId: id, before, after }, m);
    });
    return toStaffDto(await this.staff.findOneByOrFail({ id }));
  }

  /** Sign-in, throttled per account and per address; every attempt is audited. */
  async login(email: string, password: string, ip: string | null, requestId: string | null): Promise<AccessTokenDto> {
    const keys = [`email:${email.toLowerCase()}`, `ip:${ip ?? '?'}`];
    const retryAfter = this.lockedFor(keys);
    if (retryAfter > 0) {
      throw new DomainError('TOO_MANY_ATTEMPTS', `too many failed sign-ins; try again in ${Math.ceil(retryAfter / 60)} minute(s)`, 'email', undefined, retryAfter);
    }
    const member = await this.staff.createQueryBuilder('s').addSelect('s.passwordHash').where('lower(s.email) = lower(:email)', { email }).getOne();
    const ok = await verifyPassword(password, member?.passwordHash ?? (await decoyHash()));
    const actor: Actor = { staffId: member?.id ?? null, label: email.toLowerCase(), ip, requestId };
    if (!member || !ok || member.disabledAt) {
      for (const key of keys) this.failures.set(key, [...(this.failures.get(key) ?? []), Date.now()]);
      await this.audit.record(actor, { action: 'auth.login_failed', entityType: 'staff', entityId: member?.id });
      throw new DomainError('UNAUTHORIZED', 'wrong email or password', 'password');
    }
    this.failures.delete(keys[0]);
    await this.audit.record(actor, { action: 'auth.login', entityType: 'staff', entityId: member.id });
    const now = Math.floor(Date.now() / 1000);
    const ttl = this.config.AUTH_TOKEN_TTL_MINUTES * 60;
    return { accessToken: signAccessToken({ sub: member.id, role: member.role, iat: now, exp: now + ttl }, this.secret), expiresIn: ttl };
  }

  private lockedFor(keys: string[]): number {
    const windowMs = this.config.LOGIN_LOCK_MINUTES * 60_000;
    const now = Date.now();
    let wait = 0;
    for (const key of keys) {
      const recent = (this.failures.get(key) ?? []).filter((t) => now - t < windowMs);
      this.failures.set(key, recent);
      // One address may try several accounts (a shared office), but not endlessly.
      const limit = key.startsWith('ip:') ? this.config.LOGIN_MAX_FAILURES * 4 : this.config.LOGIN_MAX_FAILURES;
      if (recent.length >= limit) wait = Math.max(wait, Math.ceil((recent[0] + windowMs - now) / 1000));
    }
    return wait;
  }

  /** The account behind a bearer token, re-read so that a disabled account or a new role applies at once. */
  async authenticate(token: string): Promise<StaffMember | null> {
    const claims = verifyAccessToken(token, this.secret);
    if (!claims) return null;
    const member = await this.staff.findOneBy({ id: claims.sub });
    return member && !member.disabledAt ? member : null;
  }

  /**
   * The no-configuration default (`npm start` on a laptop, Stripe simulator): with no staff yet,
   * a demo administrator with a random password printed once. Never with a real Stripe key.
   */
  async ensureDemoAdmin(): Promise<void> {
    if (!this.config.usesSimulator || (await this.staff.count()) > 0) return;
    const password = randomBytes(12).toString('base64url');
    await this.create({ email: 'admin@localhost.test', name: 'Demo administrator', role: 'admin' }, password, { staffId: null, label: 'system' });
    this.logger.warn(`demo administrator created: admin@localhost.test / ${password} (shown once; the simulator default only)`);
  }
}

export type { StaffRole };
