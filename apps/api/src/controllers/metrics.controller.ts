import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { Metrics } from '@app/observability';
import { Public } from '@app/staff';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Prometheus scrape endpoint. Open (it sits behind the firewall in production) unless
 * METRICS_TOKEN is set, then `Authorization: Bearer <METRICS_TOKEN>` is required.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly token?: Buffer;

  constructor(
    private readonly metrics: Metrics,
    config: AppConfig,
  ) {
    if (config.METRICS_TOKEN) this.token = digest(config.METRICS_TOKEN);
  }

  @Get()
  async scrape(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (this.token) {
      const header = req.headers.authorization;
      const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      if (!given || !timingSafeEqual(digest(given), this.token)) {
        reply.header('www-authenticate', 'Bearer');
        throw new DomainError('UNAUTHORIZED', 'a bearer token (METRICS_TOKEN) is required', 'Authorization');
      }
    }
    const body = await this.metrics.scrape();
    await reply.header('content-type', this.metrics.contentType).header('cache-control', 'no-store').send(body);
  }
}
