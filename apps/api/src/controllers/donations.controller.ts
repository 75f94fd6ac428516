import { Public } from '@app/staff';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiTooManyRequestsResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CheckoutCreatedDto, CheckoutStatusDto, CreateDonationDto, DonationsService } from '@app/donations';
import { RateLimit } from '../http/rate-limit';

@ApiTags('donations')
@Public()
@Controller('api/donations')
export class DonationsController {
  constructor(private readonly donations: DonationsService) {}

  @Post()
  @HttpCode(201)
  @RateLimit()
  @ApiOperation({ summary: 'Start a donation: answers the Stripe Checkout URL to send the reader to' })
  @ApiCreatedResponse({ type: CheckoutCreatedDto })
  @ApiBadRequestResponse({ description: 'Invalid body; `field` names the offending field' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: too many requests from this address (Retry-After)' })
  create(@Body() dto: CreateDonationDto): Promise<CheckoutCreatedDto> {
    return this.donations.create(dto);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Where a donation stands (for the thank-you page)' })
  @ApiOkResponse({ type: CheckoutStatusDto })
  status(@Param('id') id: string): Promise<CheckoutStatusDto> {
    return this.donations.status(id);
  }
}
