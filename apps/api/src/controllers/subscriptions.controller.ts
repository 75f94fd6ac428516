import { Actor, AuditService, CurrentActor, Public, Roles, WebsiteKey } from '@app/staff';
import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiQuery, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProperty } from '@nestjs/swagger';
import { DomainError, EmailField } from '@app/common';
import { CheckoutCreatedDto } from '@app/donations';
import { RateLimit } from '../http/rate-limit';
import { AddressDto, CreateSubscriptionDto, EntitlementsDto, SelfServiceService, SubscriptionsService, TierDto, TiersService, UpdateTierPriceDto } from '@app/subscriptions';

class SelfServiceLinkDto {
  @ApiProperty({ example: 'reader@example.com' })
  @EmailField()
  email: string;
}

/** 2026-11-29T10:00:00Z, with optional fraction and an offset: what `at` may be. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

@ApiTags('subscriptions')
@Public()
@Controller('api')
export class SubscriptionsController {
  constructor(
    private readonly tiers: TiersService,
    private readonly subscriptions: SubscriptionsService,
    private readonly selfService: SelfServiceService,
    private readonly audit: AuditService,
  ) {}

  @Get('tiers')
  @ApiOperation({ summary: 'The subscription tiers, their monthly prices and prepaid options' })
  @ApiOkResponse({ type: [TierDto] })
  listTiers(): Promise<TierDto[]> {
    return this.tiers.list();
  }

  @Put('admin/tiers/:code/price')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change a tier\'s price for new sign-ups (existing subscribers keep theirs)' })
  @ApiOkResponse({ type: TierDto })
  async updateTierPrice(@Param('code') code: string, @Body() dto: UpdateTierPriceDto, @CurrentActor() actor: Actor): Promise<TierDto> {
    const { before, after } = await this.tiers.updatePrice(code, dto);
    await this.audit.record(actor, { action: 'tier.price_change', entityType: 'tier', entityId: code, before, after });
    return after;
  }

  @Post('subscriptions')
  @HttpCode(201)
  @RateLimit()
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: too many requests from this address (Retry-After)' })
  @ApiOperation({ summary: 'Subscribe to a tier, monthly or for a prepaid period; answers the Checkout URL' })
  @ApiCreatedResponse({ type: CheckoutCreatedDto })
  create(@Body() dto: CreateSubscriptionDto): Promise<CheckoutCreatedDto> {
    return this.subscriptions.create(dto);
  }

  @Get('entitlements')
  @WebsiteKey()
  @ApiHeader({ name: 'X-Api-Key', required: true, description: 'The website\'s server-to-server key' })
  @ApiQuery({ name: 'email', required: true })
  @ApiQuery({ name: 'at', required: false, description: 'ISO instant to answer for (default now)' })
  @ApiOperation({ summary: 'Is this reader an active digital / print subscriber, and until when' })
  @ApiOkResponse({ type: EntitlementsDto })
  entitlements(@Query('email') email?: string, @Query('at') at?: string): Promise<EntitlementsDto> {
    if (typeof email !== 'string' || !/^[^\s@\u0000-\u001f]+@[^\s@\u0000-\u001f]+$/.test(email) || email.length > 254) throw new DomainError('VALIDATION_FAILED', 'email must be one valid email address', 'email');
    if (at !== undefined && (typeof at !== 'string' || !ISO_INSTANT.test(at))) throw new DomainError('VALIDATION_FAILED', 'at must be an ISO 8601 date-time such as 2026-11-29T10:00:00Z', 'at');
    const when = at === undefined ? new Date() : new Date(at);
    if (Number.isNaN(when.getTime())) throw new DomainError('VALIDATION_FAILED', 'at must be an ISO 8601 date-time such as 2026-11-29T10:00:00Z', 'at');
    return this.subscriptions.entitlements(email, when);
  }

  @Post('self-service/links')
  @HttpCode(202)
  @RateLimit()
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: too many requests from this address (Retry-After)' })
  @ApiOperation({ summary: 'Email the supporter a signed, short-lived link to manage card and cancellation' })
  async requestLink(@Body() dto: SelfServiceLinkDto): Promise<{ message: string }> {
    await this.selfService.requestLink(dto.email);
    return { message: 'If we hold this email address, a link to manage your support is on its way.' };
  }

  @Put('self-service/subscriptions/:id/delivery-address')
  @ApiOperation({ summary: 'Change where a print subscription is posted; `token` is the one from the emailed link' })
  @ApiQuery({ name: 'token', required: true })
  changeAddress(@Param('id') id: string, @Query('token') token: string | undefined, @Body() address: AddressDto) {
    return this.subscriptions.changeDeliveryAddress(this.selfService.supporterIdFrom(token), id, address);
  }

  @Get('self-service/portal')
  @ApiOperation({ summary: 'Follow an emailed link: redirects to the Stripe customer portal' })
  async portal(@Query('token') token: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const url = await this.selfService.portalUrl(token);
    await reply.status(303).header('location', url).header('cache-control', 'no-store').send();
  }
}
