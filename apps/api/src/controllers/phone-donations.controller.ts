import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiQuery,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  CardLinksService,
  CreatePhoneDonationDto,
  ListCardLinksQuery,
  PhoneDonationStatusDto,
  CreatePhoneSubscriptionDto,
  PhoneCardLinkDto,
  PhoneDonationRecordedDto,
  PhoneDonationsService,
  PhoneSubscriptionsService,
  UpdateSupporterDto,
} from '@app/phone';
import { Actor, CurrentActor, Roles } from '@app/staff';
import { SubscriptionCheckoutDto } from '@app/subscriptions';
import {
  MergeSupportersDto,
  SupporterDuplicateDto,
  SupporterMergeResultDto,
  SupporterRecordDto,
  SupporterRecordsService,
  SupporterSearchResultDto,
} from '@app/supporters';

@ApiTags('phone')
@Controller('api/phone-donations')
export class PhoneDonationsController {
  constructor(
    private readonly phone: PhoneDonationsService,
    private readonly cardLinks: CardLinksService,
  ) {}

  @Get()
  @Roles('phone', 'finance', 'admin')
  @ApiOperation({ summary: 'Card donations taken by phone, newest first: open (not paid yet), complete or expired' })
  @ApiOkResponse({ type: [PhoneDonationStatusDto] })
  list(@Query() q: ListCardLinksQuery, @CurrentActor() actor: Actor): Promise<PhoneDonationStatusDto[]> {
    return this.cardLinks.list(q, 'donation', actor);
  }

  @Get(':id')
  @Roles('phone', 'finance', 'admin')
  @ApiOperation({
    summary: 'A donation taken by phone: a card link (open, complete, expired) or a cash/cheque/transfer entry',
  })
  @ApiOkResponse({ type: PhoneDonationStatusDto })
  status(@Param('id') id: string): Promise<PhoneDonationStatusDto> {
    return this.cardLinks.donation(id);
  }

  @Post(':id/card-link')
  @HttpCode(200)
  @Roles('phone', 'admin')
  @ApiOperation({ summary: 'Email the caller the same card payment link again (audited; while it can be paid)' })
  @ApiOkResponse({ type: PhoneDonationStatusDto })
  @ApiConflictResponse({ description: '`CARD_LINK_CLOSED`: the caller has paid, or the link expired' })
  @ApiTooManyRequestsResponse({ description: '`CARD_LINK_SEND_LIMIT`: the link was emailed too many times' })
  resendLink(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<PhoneDonationStatusDto> {
    return this.cardLinks.resend(id, 'donation', actor);
  }

  @Post()
  @Roles('phone', 'admin')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'Unique per donation taken; a retry sends the same key',
  })
  @ApiOperation({
    summary: 'Record a donation taken on the phone line (cash, cheque, transfer), or send the caller a card link',
  })
  @ApiExtraModels(PhoneDonationRecordedDto, PhoneCardLinkDto)
  @ApiCreatedResponse({
    description:
      'Cash, cheque or transfer: the ledger entry recorded; card: the Checkout link to send the caller. A retry with the same key and body answers the first answer again (`Idempotent-Replayed: true`).',
    schema: { oneOf: [{ $ref: getSchemaPath(PhoneDonationRecordedDto) }, { $ref: getSchemaPath(PhoneCardLinkDto) }] },
  })
  @ApiConflictResponse({ description: 'The same key is still being processed: retry' })
  @ApiUnprocessableEntityResponse({ description: 'The key was used for a different request' })
  async create(
    @Headers('idempotency-key') key: string | undefined,
    @Body() dto: CreatePhoneDonationDto,
    @CurrentActor() actor: Actor,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const result = await this.phone.create(key, dto, actor);
    await reply.status(result.status).header('idempotent-replayed', String(result.replayed)).send(result.body);
  }
}

@ApiTags('supporters')
@Controller('api/supporters')
export class SupportersController {
  constructor(private readonly records: SupporterRecordsService) {}

  @Get()
  @Roles('phone', 'finance', 'admin')
  @ApiQuery({ name: 'q', required: true, description: 'name, email, phone (any format), street or postcode' })
  @ApiOperation({ summary: 'Find a supporter before creating a duplicate: exact email or phone first' })
  @ApiOkResponse({ type: [SupporterSearchResultDto] })
  search(@Query('q') q?: string): Promise<SupporterSearchResultDto[]> {
    return this.records.search(q);
  }

  @Get(':id')
  @Roles('phone', 'finance', 'admin')
  @ApiOperation({ summary: 'A supporter: details, payments, subscriptions, former emails, merged records' })
  @ApiOkResponse({ type: SupporterRecordDto })
  record(@Param('id') id: string): Promise<SupporterRecordDto> {
    return this.records.record(id);
  }

  @Patch(':id')
  @Roles('phone', 'finance', 'admin')
  @ApiOperation({ summary: "Change a supporter's name, email, phones, address, notes or receipts (audited)" })
  @ApiOkResponse({ type: SupporterRecordDto })
  update(
    @Param('id') id: string,
    @Body() dto: UpdateSupporterDto,
    @CurrentActor() actor: Actor,
  ): Promise<SupporterRecordDto> {
    return this.records.update(id, { ...dto, address: dto.address ? { ...dto.address } : dto.address }, actor);
  }

  @Get(':id/duplicates')
  @Roles('phone', 'finance', 'admin')
  @ApiOperation({ summary: 'Likely duplicates: the same phone, the same email, or the same name and postcode' })
  @ApiOkResponse({ type: [SupporterDuplicateDto] })
  duplicates(@Param('id') id: string): Promise<SupporterDuplicateDto[]> {
    return this.records.duplicates(id);
  }

  @Post(':id/merge')
  @HttpCode(200)
  @Roles('finance', 'admin')
  @ApiOperation({ summary: 'Merge another supporter into this one (audited; the ledger is unchanged)' })
  @ApiOkResponse({ type: SupporterMergeResultDto })
  merge(
    @Param('id') id: string,
    @Body() dto: MergeSupportersDto,
    @CurrentActor() actor: Actor,
  ): Promise<SupporterMergeResultDto> {
    return this.records.merge(id, dto.from, actor);
  }
}

@ApiTags('phone')
@Controller('api/phone-subscriptions')
export class PhoneSubscriptionsController {
  constructor(
    private readonly phone: PhoneSubscriptionsService,
    private readonly cardLinks: CardLinksService,
  ) {}

  @Get(':id')
  @Roles('phone', 'finance', 'admin')
  @ApiOperation({ summary: 'A subscription taken by phone: its card link (open, complete, expired)' })
  @ApiOkResponse({ type: PhoneDonationStatusDto })
  status(@Param('id') id: string): Promise<PhoneDonationStatusDto> {
    return this.cardLinks.status(id, 'subscription');
  }

  @Post(':id/card-link')
  @HttpCode(200)
  @Roles('phone', 'admin')
  @ApiOperation({
    summary: 'Email the caller the same subscription payment link again (audited; while it can be paid)',
  })
  @ApiOkResponse({ type: PhoneDonationStatusDto })
  @ApiConflictResponse({ description: '`CARD_LINK_CLOSED`: the caller has paid, or the link expired' })
  @ApiTooManyRequestsResponse({ description: '`CARD_LINK_SEND_LIMIT`: the link was emailed too many times' })
  resendLink(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<PhoneDonationStatusDto> {
    return this.cardLinks.resend(id, 'subscription', actor);
  }

  /** A caller subscribes: the same rules as online (address for print, no doubles), a Checkout link for them, channel `phone`. */
  @Post()
  @Roles('phone', 'admin')
  @ApiOperation({ summary: 'Start a digital/print subscription for a caller: a Checkout link, emailed to them' })
  @ApiCreatedResponse({ type: SubscriptionCheckoutDto })
  create(@Body() dto: CreatePhoneSubscriptionDto, @CurrentActor() actor: Actor): Promise<SubscriptionCheckoutDto> {
    return this.phone.create(dto, actor);
  }
}
