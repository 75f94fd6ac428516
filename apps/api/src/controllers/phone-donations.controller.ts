import { Body, Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
import { ApiQuery, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CreatePhoneDonationDto, PhoneDonationsService, SupporterLookupService } from '@app/phone';
import { Actor, AuditService, CurrentActor, Roles } from '@app/staff';
import { CreateSubscriptionDto, SubscriptionsService } from '@app/subscriptions';
import { CheckoutCreatedDto } from '@app/donations';

@ApiTags('phone')
@Controller('api/phone-donations')
export class PhoneDonationsController {
  constructor(private readonly phone: PhoneDonationsService) {}

  @Post()
  @Roles('phone', 'admin')
  @ApiBearerAuth()
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: 'Unique per donation taken; a retry sends the same key' })
  @ApiOperation({ summary: 'Record a donation taken on the phone line (cash, cheque, transfer), or send the caller a card link' })
  @ApiCreatedResponse({ description: '`{ id, method, status, amount, currency, … }`; card: `{ id, checkoutUrl, status: "awaiting_payment" }`' })
  @ApiConflictResponse({ description: 'The same key is still being processed: retry' })
  @ApiUnprocessableEntityResponse({ description: 'The key was used for a different request' })
  async create(@Headers('idempotency-key') key: string | undefined, @Body() dto: CreatePhoneDonationDto, @CurrentActor() actor: Actor, @Res() reply: FastifyReply): Promise<void> {
    const result = await this.phone.create(key, dto, actor);
    await reply.status(result.status).header('idempotent-replayed', String(result.replayed)).send(result.body);
  }
}

@ApiTags('supporters')
@Controller('api/supporters')
export class SupportersController {
  constructor(private readonly lookup: SupporterLookupService) {}

  @Get()
  @Roles('phone', 'finance', 'admin')
  @ApiBearerAuth()
  @ApiQuery({ name: 'q', required: true, description: 'name, email, phone or postcode' })
  @ApiOperation({ summary: 'Find a supporter before creating a duplicate' })
  search(@Query('q') q?: string) {
    return this.lookup.search(q);
  }

  @Get(':id')
  @Roles('phone', 'finance', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: "A supporter's payments and subscriptions" })
  history(@Param('id') id: string) {
    return this.lookup.history(id);
  }
}

@ApiTags('phone')
@Controller('api/phone-subscriptions')
export class PhoneSubscriptionsController {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly audit: AuditService,
  ) {}

  /** A caller subscribes: the same rules as online (address for print, no doubles), a Checkout link for them, channel `phone`. */
  @Post()
  @Roles('phone', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Start a digital/print subscription for a caller: answers a Checkout link to send them' })
  @ApiCreatedResponse({ type: CheckoutCreatedDto })
  async create(@Body() dto: CreateSubscriptionDto, @CurrentActor() actor: Actor): Promise<CheckoutCreatedDto> {
    const created = await this.subscriptions.create(dto, 'phone');
    await this.audit.record(actor, { action: 'phone_subscription.card_link', entityType: 'checkout', entityId: created.id, after: { ...dto, checkoutUrl: created.checkoutUrl } });
    return created;
  }
}
