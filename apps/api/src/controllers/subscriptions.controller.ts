import { Actor, AuditService, CurrentActor, Public, Roles, WebsiteKey } from '@app/staff';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '@app/config';
import { ApiProperty } from '@nestjs/swagger';
import { DomainError, EmailField, OptionalField } from '@app/common';
import { IsDefined, IsString } from 'class-validator';
import { RateLimit } from '../http/rate-limit';
import { continueToPortalPage, spentLinkPage } from '../http/self-service-pages';
import { ReaderCsrf } from '../reader/csrf';
import { seeOther, sendPage } from '../reader/send-page';
import {
  AddressDto,
  CreateSubscriptionDto,
  DeliveryAddressChangedDto,
  EntitlementsDto,
  LinkRequestedDto,
  SelfServiceService,
  SubscriptionCheckoutDto,
  SubscriptionsService,
  TierDto,
  TiersService,
  UpdateTierPriceDto,
} from '@app/subscriptions';

class SelfServiceLinkDto {
  @ApiProperty({ example: 'reader@example.com' })
  @EmailField()
  email: string;
}

/** 2026-11-29T10:00:00Z, with optional fraction and an offset: what `at` may be. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

class EntitlementsQueryDto {
  @ApiProperty({ example: 'reader@example.com' })
  @IsDefined({ message: 'email is required' })
  @IsString({ message: 'email must be a string' })
  email: string;

  @ApiProperty({
    required: false,
    description: 'ISO instant to answer for (default now)',
    example: '2026-11-29T10:00:00Z',
  })
  @OptionalField()
  @IsString({ message: 'at must be an ISO 8601 date-time such as 2026-11-29T10:00:00Z' })
  at?: string;
}

/** The reader and the instant an entitlements question is about, from the query (GET) or the body (POST): one check for both. */
function entitlementsQuestion(email: unknown, at: unknown): { email: string; when: Date } {
  if (typeof email !== 'string' || !/^[^\s@\u0000-\u001f]+@[^\s@\u0000-\u001f]+$/.test(email) || email.length > 254) {
    throw new DomainError('VALIDATION_FAILED', 'email must be one valid email address', 'email');
  }
  if (at !== undefined && (typeof at !== 'string' || !ISO_INSTANT.test(at))) {
    throw new DomainError('VALIDATION_FAILED', 'at must be an ISO 8601 date-time such as 2026-11-29T10:00:00Z', 'at');
  }
  const when = at === undefined ? new Date() : new Date(at);
  if (Number.isNaN(when.getTime())) {
    throw new DomainError('VALIDATION_FAILED', 'at must be an ISO 8601 date-time such as 2026-11-29T10:00:00Z', 'at');
  }
  return { email, when };
}

@ApiTags('subscriptions')
@Public()
@Controller('api')
export class SubscriptionsController {
  constructor(
    private readonly tiers: TiersService,
    private readonly subscriptions: SubscriptionsService,
    private readonly selfService: SelfServiceService,
    private readonly audit: AuditService,
    private readonly csrf: ReaderCsrf,
    private readonly config: AppConfig,
  ) {}

  @Get('tiers')
  @ApiOperation({ summary: 'The subscription tiers, their monthly prices and prepaid options' })
  @ApiOkResponse({ type: [TierDto] })
  listTiers(): Promise<TierDto[]> {
    return this.tiers.list();
  }

  @Put('admin/tiers/:code/price')
  @Roles('admin')
  @ApiOperation({ summary: "Change a tier's price for new sign-ups (existing subscribers keep theirs)" })
  @ApiOkResponse({ type: TierDto })
  async updateTierPrice(
    @Param('code') code: string,
    @Body() dto: UpdateTierPriceDto,
    @CurrentActor() actor: Actor,
  ): Promise<TierDto> {
    const { before, after } = await this.tiers.updatePrice(code, dto);
    await this.audit.record(actor, { action: 'tier.price_change', entityType: 'tier', entityId: code, before, after });
    return after;
  }

  @Post('subscriptions')
  @HttpCode(201)
  @RateLimit()
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: too many requests from this address (Retry-After)' })
  @ApiOperation({
    summary: 'Subscribe to a tier, monthly or for a prepaid period; answers the Checkout URL',
    description:
      'A repeat while the checkout is open answers it again (`outcome: reused`); a repeat with a corrected name or delivery address expires the open checkout on Stripe and opens a new one (`outcome: replaced`, `replaces`); 409 SUBSCRIPTION_ALREADY_ACTIVE if that checkout was paid meanwhile.',
  })
  @ApiCreatedResponse({ type: SubscriptionCheckoutDto })
  create(@Body() dto: CreateSubscriptionDto): Promise<SubscriptionCheckoutDto> {
    return this.subscriptions.create(dto);
  }

  @Post('entitlements')
  @HttpCode(200)
  @WebsiteKey()
  @ApiOperation({
    summary: 'Is this reader an active digital / print subscriber, and until when',
    description: 'The email is in the JSON body, so it stays out of URLs and the logs of every proxy on the way.',
  })
  @ApiOkResponse({ type: EntitlementsDto })
  entitlementsByBody(@Body() dto: EntitlementsQueryDto): Promise<EntitlementsDto> {
    const { email, when } = entitlementsQuestion(dto.email, dto.at);
    return this.subscriptions.entitlements(email, when);
  }

  @Get('entitlements')
  @WebsiteKey()
  @ApiQuery({ name: 'email', required: true })
  @ApiQuery({ name: 'at', required: false, description: 'ISO instant to answer for (default now)' })
  @ApiOperation({
    deprecated: true,
    summary: 'Deprecated: use POST /api/entitlements (an email in a URL ends up in proxy logs). Same answer.',
  })
  @ApiOkResponse({ type: EntitlementsDto })
  entitlements(@Query('email') email?: string, @Query('at') at?: string): Promise<EntitlementsDto> {
    const question = entitlementsQuestion(email, at);
    return this.subscriptions.entitlements(question.email, question.when);
  }

  @Post('self-service/links')
  @HttpCode(202)
  @RateLimit()
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: too many requests from this address (Retry-After)' })
  @ApiOperation({ summary: 'Email the supporter a signed, short-lived link to manage card and cancellation' })
  @ApiAcceptedResponse({ type: LinkRequestedDto })
  async requestLink(@Body() dto: SelfServiceLinkDto): Promise<LinkRequestedDto> {
    await this.selfService.requestLink(dto.email);
    return { message: 'If we hold this email address, a link to manage your support is on its way.' };
  }

  @Put('self-service/subscriptions/:id/delivery-address')
  @ApiOperation({
    summary:
      'Change where a print subscription is posted; `token` is the one from the emailed link, which works once (410 LINK_USED after)',
  })
  @ApiQuery({ name: 'token', required: true })
  @ApiOkResponse({ type: DeliveryAddressChangedDto })
  changeAddress(
    @Param('id') id: string,
    @Query('token') token: string | undefined,
    @Body() address: AddressDto,
  ): Promise<DeliveryAddressChangedDto> {
    return this.selfService.useLink(token, (supporterId, manager) =>
      this.subscriptions.changeDeliveryAddress(supporterId, id, address, manager),
    );
  }

  @Get('self-service/portal')
  @ApiOperation({
    summary:
      'Follow an emailed link: a page with a "Continue to your billing portal" button, which posts the link (only the post uses it, so a mail scanner fetching the link spends nothing). Used or expired, it answers a page (410) offering a fresh one by email',
  })
  @ApiQuery({ name: 'token', required: true, description: 'The signed token of the emailed link (its credential)' })
  @ApiOkResponse({
    description: 'A page whose form posts the token to POST /api/self-service/portal (the link is not used by this)',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiGoneResponse({
    description: 'The link was used or has expired: a page offering a fresh one by email',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  async portalPage(
    @Req() req: FastifyRequest,
    @Query('token') token: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      await this.selfService.checkPortalLink(token);
    } catch (err) {
      if (await this.spentLink(err, token, reply)) return;
      throw err;
    }
    sendPage(
      reply,
      this.config,
      200,
      continueToPortalPage(this.config.organisation, token!, this.csrf.token(req, reply)),
    );
  }

  @Post('self-service/portal')
  @ApiOperation({
    summary:
      "The emailed link's page posts here: redirects to the Stripe customer portal. A link works once: used or expired, it answers a page (410) offering a fresh one by email",
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['token', '_csrf'],
      properties: {
        token: { type: 'string', description: 'The signed token of the emailed link (its credential)' },
        _csrf: { type: 'string', description: "The page's CSRF token (goes with its reader_csrf cookie)" },
      },
    },
  })
  @ApiResponse({
    status: 303,
    description: 'To the Stripe customer portal (a link works once: it is used by this)',
    headers: { Location: { description: "the portal session's URL", schema: { type: 'string', format: 'uri' } } },
  })
  @ApiForbiddenResponse({
    description:
      "The CSRF token does not match the browser's cookie: the page again, with a fresh one (the link is not used)",
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  @ApiGoneResponse({
    description: 'The link was used or has expired: a page offering a fresh one by email',
    content: { 'text/html': { schema: { type: 'string' } } },
  })
  async portal(@Req() req: FastifyRequest, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const form = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    const token = typeof form.token === 'string' ? form.token : undefined;
    const csrfValid = this.csrf.valid(req, form._csrf);
    let url: string;
    try {
      if (!csrfValid) {
        // Not used: the page again (a used, expired or forged link answers as it would anyway).
        await this.selfService.checkPortalLink(token);
        const page = continueToPortalPage(this.config.organisation, token!, this.csrf.token(req, reply), true);
        return sendPage(reply, this.config, 403, page);
      }
      url = await this.selfService.portalUrl(token);
    } catch (err) {
      if (await this.spentLink(err, token, reply)) return;
      throw err;
    }
    seeOther(reply, url);
  }

  /** Answers the "used or expired, email me a fresh one" page (410) for LINK_USED and LINK_EXPIRED; false for anything else. */
  private async spentLink(err: unknown, token: string | undefined, reply: FastifyReply): Promise<boolean> {
    if (!(err instanceof DomainError && (err.code === 'LINK_USED' || err.code === 'LINK_EXPIRED'))) return false;
    await reply
      .status(410)
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(spentLinkPage(err.code === 'LINK_USED' ? 'used' : 'expired', token!));
    return true;
  }
}
