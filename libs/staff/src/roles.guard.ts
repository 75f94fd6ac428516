import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ACCESS_METADATA, DomainError } from '@app/common';
import type { Actor } from './audit.service';
import { StaffMember, StaffRole } from './staff.entity';
import { StaffService } from './staff.service';

const ROLES = 'staff_roles';
const PUBLIC = 'public_route';

/** Staff with one of these roles may call the route (bearer access token). */
export const Roles = (...roles: StaffRole[]) => SetMetadata(ROLES, roles);
/** Anyone may call the route. */
export const Public = () => SetMetadata(PUBLIC, true);

type StaffRequest = FastifyRequest & { staff?: StaffMember };

/**
 * Deny by default: every route must say who may call it (`@Public()`, `@Roles(...)`, or a
 * server-to-server key); a route that says nothing answers 403. Roles on a method win over a
 * `@Public()` on its controller.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly staff: StaffService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const roles = this.reflector.getAllAndOverride<StaffRole[] | undefined>(ROLES, targets);
    if (!roles) {
      if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets) || this.reflector.getAllAndOverride(ACCESS_METADATA, targets)) return true;
      throw new DomainError('FORBIDDEN', 'this route has no access rule', undefined);
    }
    const req = context.switchToHttp().getRequest<StaffRequest>();
    const header = req.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    if (!token) throw new DomainError('UNAUTHORIZED', 'sign in: a staff bearer token is required', 'Authorization');
    const member = await this.staff.authenticate(token);
    if (!member) throw new DomainError('UNAUTHORIZED', 'the access token is invalid or expired; sign in again', 'Authorization');
    if (!roles.includes(member.role)) throw new DomainError('FORBIDDEN', `this needs the ${roles.join(' or ')} role`, 'Authorization');
    req.staff = member;
    return true;
  }
}

/** The signed-in staff member as an audit actor. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const req = context.switchToHttp().getRequest<StaffRequest>();
  return { staffId: req.staff?.id ?? null, label: req.staff?.email ?? 'anonymous', ip: req.ip ?? null, requestId: String(req.id) };
});
