import { CanActivate, ExecutionContext, Injectable, SetMetadata, applyDecorators, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '@app/config';
import { DomainError } from './domain-error';

export type Access = 'entitlements_key';
const ACCESS = 'access';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function bearer(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/**
 * Server-to-server access: `entitlements_key` is the website's key (`X-Api-Key` or bearer), one
 * of ENTITLEMENTS_API_KEYS (unset: nobody). Staff routes use `@Roles` from @app/staff.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [context.getHandler(), context.getClass()]);
    if (!access) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const header = req.headers['x-api-key'];
    const key = (typeof header === 'string' ? header : undefined) ?? bearer(req);
    if (!key) throw new DomainError('UNAUTHORIZED', 'an API key is required (X-Api-Key)', 'X-Api-Key');
    const keys = (this.config.ENTITLEMENTS_API_KEYS ?? '').split(',').filter(Boolean);
    if (!keys.some((k) => sameSecret(key, k))) throw new DomainError('FORBIDDEN', 'unknown API key', 'X-Api-Key');
    return true;
  }
}

export function RequireAccess(access: Access) {
  return applyDecorators(SetMetadata(ACCESS, access), UseGuards(AccessGuard));
}

export const ACCESS_METADATA = ACCESS;
