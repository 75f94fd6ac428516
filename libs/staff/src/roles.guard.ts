import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import type { Actor } from './audit.service';
import { StaffMember, StaffRole } from './staff.entity';
import { StaffService } from './staff.service';

const ROLES = 'staff_roles';
const PUBLIC = 'public_route';
const WEBSITE_KEY = 'website_key';

/** Staff with one of these roles may call the route (bearer access token). */
export const Roles = (...roles: StaffRole[]) => SetMetadata(ROLES, roles);
/** Anyone may call the route. */
export const Public = () => SetMetadata(PUBLIC, true);
/** The website's server-to-server key (`X-Api-Key` or bearer), one of ENTITLEMENTS_API_KEYS (unset: nobody). */
export const WebsiteKey = () => SetMetadata(WEBSITE_KEY, true);

function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

type StaffRequest = FastifyRequest & { staff?: StaffMember };

/**
 * Deny by default: every route must say who may call it (`@Public()`, `@Roles(...)` or
 * `@WebsiteKey()`); a route that says nothing answers 403. A rule on a method wins over a
 * `@Public()` on its controller.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly staff: StaffService,
    private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<StaffRequest>();
    if (this.reflector.getAllAndOverride<boolean>(WEBSITE_KEY, targets)) return this.checkWebsiteKey(req);
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES, targets);
    if (!roles) {
      if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
      throw new DomainError('FORBIDDEN', 'this route has no access rule', undefined);
    }
    const token = bearer(req);
    if (!token) throw new DomainError('UNAUTHORIZED', 'sign in: a staff bearer token is required', 'Authorization');
    const member = await this.staff.authenticate(token);
    if (!member) throw new DomainError('UNAUTHORIZED', 'the access token is invalid or expired; sign in again', 'Authorization');
    if (!roles.includes(member.role)) throw new DomainError('FORBIDDEN', `this needs the ${roles.join(' or ')} role`, 'Authorization');
    req.staff = member;
    return true;
  }

  private checkWebsiteKey(req: FastifyRequest): boolean {
    const header = req.headers['x-api-key'];
    const key = (typeof header === 'string' ? header : undefined) ?? bearer(req);
    if (!key) throw new DomainError('UNAUTHORIZED', 'an API key is required (X-Api-Key)', 'X-Api-Key');
    const keys = (this.config.ENTITLEMENTS_API_KEYS ?? '').split(',').filter(Boolean);
    if (!keys.some((k) => sameSecret(key, k))) throw new DomainError('FORBIDDEN', 'unknown API key', 'X-Api-Key');
    return true;
  }
}

/** The signed-in staff member as an audit actor. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const req = context.switchToHttp().getRequest<StaffRequest>();
  return { staffId: req.staff?.id ?? null, label: req.staff?.email ?? 'anonymous', ip: req.ip ?? null, requestId: String(req.id) };
});
