import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
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
const PASSWORD_CHANGE = 'password_change_route';

/** OpenAPI security scheme of staff access tokens (`Authorization: Bearer …` from POST /api/auth/login). */
export const STAFF_BEARER_SCHEME = 'bearer';
/** OpenAPI security scheme of the website's server-to-server key (`X-Api-Key`). */
export const WEBSITE_KEY_SCHEME = 'website_key';

/**
 * Staff with one of these roles may call the route (bearer access token). The OpenAPI document
 * says so too (derived here, so no route's security can be forgotten there).
 */
export const Roles = (...roles: StaffRole[]) =>
  applyDecorators(SetMetadata(ROLES, roles), ApiSecurity(STAFF_BEARER_SCHEME));
/** Anyone may call the route. */
export const Public = () => SetMetadata(PUBLIC, true);
/** The website's server-to-server key (`X-Api-Key` or bearer), one of ENTITLEMENTS_API_KEYS (unset: nobody); declared in the OpenAPI document. */
export const WebsiteKey = () => applyDecorators(SetMetadata(WEBSITE_KEY, true), ApiSecurity(WEBSITE_KEY_SCHEME));
/** The one route a token from a temporary password may call (with `@Roles(...)`): choosing a new password. */
export const PasswordChangeRoute = () => SetMetadata(PASSWORD_CHANGE, true);

/**
 * The credential a route asks for (the guard's rule, which the OpenAPI document must state):
 * the website key wins, then staff roles, then `@Public()`; a route that says nothing has none
 * and is refused. A rule on a method wins over one on its controller.
 */
export function accessRule(
  reflector: Reflector,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- what Nest's ExecutionContext gives
  handler: Function,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  controller: Function,
): 'website_key' | 'staff' | 'public' | 'none' {
  const targets = [handler, controller];
  if (reflector.getAllAndOverride<boolean>(WEBSITE_KEY, targets)) return 'website_key';
  if (reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES, targets)) return 'staff';
  if (reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return 'public';
  return 'none';
}

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
    const rule = accessRule(this.reflector, context.getHandler(), context.getClass());
    if (rule === 'website_key') return this.checkWebsiteKey(req);
    if (rule === 'public') return true;
    if (rule === 'none') throw new DomainError('FORBIDDEN', 'this route has no access rule', undefined);
    const roles = this.reflector.getAllAndOverride<StaffRole[]>(ROLES, targets);
    const token = bearer(req);
    if (!token) throw new DomainError('UNAUTHORIZED', 'sign in: a staff bearer token is required', 'Authorization');
    const member = await this.staff.authenticate(token);
    if (!member) {
      throw new DomainError('UNAUTHORIZED', 'the access token is invalid or expired; sign in again', 'Authorization');
    }
    if (member.passwordMustChange && !this.reflector.getAllAndOverride<boolean>(PASSWORD_CHANGE, targets)) {
      throw new DomainError(
        'PASSWORD_CHANGE_REQUIRED',
        'your password is temporary: choose your own with POST /api/auth/password first',
        'Authorization',
      );
    }
    if (!roles.includes(member.role)) {
      throw new DomainError('FORBIDDEN', `this needs the ${roles.join(' or ')} role`, 'Authorization');
    }
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
  return {
    staffId: req.staff?.id ?? null,
    label: req.staff?.email ?? 'anonymous',
    ip: req.ip ?? null,
    requestId: String(req.id),
  };
});
