import { Actor, CurrentActor, Public, Roles } from '@app/staff';
import {
  BeforeApplicationShutdown,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Req,
  Res,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import {
  ApiCreatedResponse,
  ApiExcludeEndpoint,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import {
  CampaignDto,
  CampaignProgressDto,
  CampaignsService,
  CreateCampaignDto,
  PROGRESS_SCRIPT,
  ProgressBoard,
  progressHtml,
  progressSvg,
  ProgressSnapshot,
  sendSnapshot,
  UpdateCampaignDto,
} from '@app/campaigns';

const KEEPALIVE_MS = 20_000;
/** What a client refused for too many open streams is told to wait, in seconds. */
const STREAMS_FULL_RETRY_AFTER = 15;

@ApiTags('campaigns')
@Controller()
export class CampaignsController implements BeforeApplicationShutdown {
  private readonly frameAncestors: string;
  /** Open event streams, ended on shutdown so that the server can close (clients reconnect elsewhere). */
  private readonly streams = new Set<ServerResponse>();
  private readonly maxStreams: number;

  constructor(
    private readonly campaigns: CampaignsService,
    private readonly board: ProgressBoard,
    private readonly config: AppConfig,
  ) {
    this.frameAncestors = config.EMBED_ALLOWED_ORIGINS.trim() || '*';
    this.maxStreams = config.PROGRESS_STREAM_MAX_CLIENTS;
  }

  @Get('api/campaigns/:slug/progress')
  @Public()
  @ApiOperation({
    summary: "A campaign's progress toward its target",
    description:
      'Served from memory (refreshed from ledger roll-ups every PROGRESS_REFRESH_MS), with an ETag (If-None-Match → 304) and Cache-Control.',
  })
  @ApiParam({ name: 'slug', description: "Campaign slug, or `current` for the site's current campaign" })
  @ApiOkResponse({ type: CampaignProgressDto })
  @ApiNotFoundResponse({ description: 'No such campaign' })
  async progress(@Param('slug') slug: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const snapshot = await this.campaigns.snapshot(slug);
    sendSnapshot(req, reply, snapshot, 'application/json; charset=utf-8', () => snapshot.json);
  }

  @Get('api/campaigns/:slug/progress/stream')
  @Public()
  @ApiOperation({
    summary: 'Live progress as server-sent events',
    description:
      'An `event: progress` with the progress JSON on connect and after every change; a comment every 20 s keeps proxies from closing the stream. Each instance holds at most PROGRESS_STREAM_MAX_CLIENTS streams: past it, 503 TOO_MANY_STREAMS with Retry-After.',
  })
  @ApiOkResponse({
    description: '`event: progress` messages whose data is the progress JSON (CampaignProgressDto)',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiParam({ name: 'slug', description: 'Campaign slug, or `current`' })
  @ApiServiceUnavailableResponse({
    description: 'TOO_MANY_STREAMS: this instance holds as many streams as it may (Retry-After)',
  })
  async stream(@Param('slug') slug: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const first = await this.campaigns.snapshot(slug);
    // Counted from here (no await between the check and the add) until the connection closes.
    if (this.streams.size >= this.maxStreams) {
      throw new DomainError(
        'TOO_MANY_STREAMS',
        'too many live progress streams are open; try again shortly, or read /api/campaigns/:slug/progress',
        undefined,
        undefined,
        STREAMS_FULL_RETRY_AFTER,
      );
    }
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'access-control-allow-origin': '*',
      'x-request-id': String(req.id),
    });
    let lastEtag = '';
    const send = (s: ProgressSnapshot) => {
      if (s.etag === lastEtag) return;
      lastEtag = s.etag;
      out.write(`event: progress\nid: ${s.etag.replace(/"/g, '')}\ndata: ${s.json}\n\n`);
    };
    out.write('retry: 5000\n\n');
    send(first);
    const unsubscribe = this.board.subscribe(first.campaignId, send);
    const keepalive = setInterval(() => out.write(': keepalive\n\n'), KEEPALIVE_MS);
    const close = () => {
      clearInterval(keepalive);
      unsubscribe();
    };
    this.streams.add(out);
    req.raw.once('close', close);
    out.once('close', () => {
      close();
      this.streams.delete(out);
    });
  }

  beforeApplicationShutdown(): void {
    for (const out of this.streams) out.end();
  }

  @Get('embed/campaigns/:slug')
  @Public()
  @ApiOperation({ summary: 'The embeddable progress bar (HTML for an iframe; works without JavaScript)' })
  @ApiOkResponse({
    description: 'An HTML page (ETag, If-None-Match → 304)',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiParam({ name: 'slug', description: 'Campaign slug, or `current`' })
  async embedHtml(@Param('slug') slug: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const snapshot = await this.campaigns.snapshot(slug);
    // This page is meant to be framed by the publication's website.
    reply.header(
      'content-security-policy',
      `default-src 'self'; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors ${this.frameAncestors}`,
    );
    // helmet wrote its defaults on the raw response; this page replaces them.
    reply.raw.removeHeader('x-frame-options');
    reply.raw.removeHeader('content-security-policy');
    const path = encodeURIComponent(slug);
    sendSnapshot(req, reply, snapshot, 'text/html; charset=utf-8', () =>
      progressHtml(snapshot.progress, slug, `/api/campaigns/${path}/progress/stream`, '/embed/progress.js', {
        // Absolute: the frame's page is the service's, but the top window is the website's.
        href: `${this.config.PUBLIC_BASE_URL.replace(/\/$/, '')}/give${slug === 'current' ? '' : `/${path}`}`,
        colour: this.config.organisation.accentColour,
      }),
    );
  }

  @Get('embed/campaigns/:slug/progress.svg')
  @Public()
  @ApiOperation({
    summary: 'The progress bar as an SVG image (for an <img> tag), titled and described for screen readers',
  })
  @ApiOkResponse({
    description: 'An SVG image (ETag, If-None-Match → 304)',
    content: { 'image/svg+xml': { schema: { type: 'string' } } },
  })
  @ApiParam({ name: 'slug', description: 'Campaign slug, or `current`' })
  async embedSvg(@Param('slug') slug: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const snapshot = await this.campaigns.snapshot(slug);
    sendSnapshot(req, reply, snapshot, 'image/svg+xml; charset=utf-8', () => progressSvg(snapshot.progress));
  }

  @Get('embed/progress.js')
  @Public()
  @ApiExcludeEndpoint()
  script(@Res() reply: FastifyReply): void {
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(PROGRESS_SCRIPT);
  }

  @Get('api/campaigns')
  @Roles('admin', 'finance', 'phone')
  @ApiOperation({
    summary: 'Every campaign, newest first',
    description: 'The phone line lists them too, to offer the running campaigns for a donation.',
  })
  @ApiOkResponse({ type: [CampaignDto] })
  list(): Promise<CampaignDto[]> {
    return this.campaigns.list();
  }

  @Get('api/campaigns/:slug')
  @Roles('admin', 'finance')
  @ApiOperation({ summary: 'One campaign (slug or `current`)' })
  @ApiOkResponse({ type: CampaignDto })
  get(@Param('slug') slug: string): Promise<CampaignDto> {
    return this.campaigns.get(slug);
  }

  @Post('api/campaigns')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Create a campaign (optionally making it the current one)' })
  @ApiCreatedResponse({ type: CampaignDto })
  create(@Body() dto: CreateCampaignDto, @CurrentActor() actor: Actor): Promise<CampaignDto> {
    return this.campaigns.create(dto, actor);
  }

  @Patch('api/campaigns/:slug')
  @Roles('admin')
  @ApiOperation({ summary: "Change a campaign's title, target, dates, counted types, or make it current" })
  @ApiOkResponse({ type: CampaignDto })
  update(
    @Param('slug') slug: string,
    @Body() dto: UpdateCampaignDto,
    @CurrentActor() actor: Actor,
  ): Promise<CampaignDto> {
    return this.campaigns.update(slug, dto, actor);
  }
}
