import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { clientKey, DomainError } from '@app/common';
import { AppConfig } from '@app/config';

const RATE_LIMITED = 'rate_limited';

/**
 * The route is limited per client address to RATE_LIMIT_PER_MINUTE requests a minute (in this
 * instance's memory). For the public POST endpoints bots hit first (card testing).
 */
export const RateLimit = () => SetMetadata(RATE_LIMITED, true);

/**
 * An exact sliding window per key: a key may have at most `limit` hits in any `windowMs`.
 * Each key keeps the times of its hits within the window (at most `limit` numbers). Keys are
 * kept least recently used first, so idle ones are evicted from the front as requests come in
 * (no timer), and at most `maxKeys` are kept however many addresses call.
 */
export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
    readonly maxKeys = 100_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts a hit for `key`: 0 when allowed, else the seconds until the next hit would be (nothing counted). */
  hit(key: string): number {
    const now = this.now();
    const cutoff = now - this.windowMs;
    this.evictIdle(cutoff);
    let times = this.hits.get(key);
    if (times) {
      this.hits.delete(key);
      let expired = 0;
      while (expired < times.length && times[expired] <= cutoff) expired++;
      if (expired) times.splice(0, expired);
    } else {
      times = [];
    }
    this.hits.set(key, times);
    if (times.length >= this.limit) return Math.max(1, Math.ceil((times[0] + this.windowMs - now) / 1000));
    times.push(now);
    if (this.hits.size > this.maxKeys) this.hits.delete(this.hits.keys().next().value!);
    return 0;
  }

  /** Keys currently held (for tests and curiosity). */
  get size(): number {
    return this.hits.size;
  }

  /** Drops keys (least recently used first) whose newest hit left the window; at most 1,000 a call. */
  private evictIdle(cutoff: number): void {
    let budget = 1000;
    for (const [key, times] of this.hits) {
      if (budget-- === 0) return;
      if (times.length && times[times.length - 1] > cutoff) return;
      this.hits.delete(key);
    }
  }
}

/** Global guard: answers 429 RATE_LIMITED with Retry-After on `@RateLimit()` routes past the limit, before the handler runs. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter?: SlidingWindowLimiter;

  constructor(
    private readonly reflector: Reflector,
    config: AppConfig,
  ) {
    if (config.RATE_LIMIT_PER_MINUTE > 0) this.limiter = new SlidingWindowLimiter(config.RATE_LIMIT_PER_MINUTE);
  }

  canActivate(context: ExecutionContext): boolean {
    if (
      !this.limiter ||
      !this.reflector.getAllAndOverride<boolean>(RATE_LIMITED, [context.getHandler(), context.getClass()])
    ) {
      return true;
    }
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const wait = this.limiter.hit(`${req.method} ${req.routeOptions.url} ${clientKey(req.ip)}`);
    if (wait > 0) {
      throw new DomainError(
        'RATE_LIMITED',
        `Too many requests from your address; try again in ${wait} s.`,
        undefined,
        undefined,
        wait,
      );
    }
    return true;
  }
}
