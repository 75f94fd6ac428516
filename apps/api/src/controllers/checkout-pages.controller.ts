import { Public } from '@app/staff';
import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { formatMoney } from '@app/common';
import { DonationsService } from '@app/donations';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#1a1a1a}h1{font-size:1.6rem}</style>
</head><body>${body}</body></html>`;

/** Where Stripe Checkout sends the reader back to; a website would usually host its own. */
@ApiExcludeController()
@Public()
@Controller('checkout')
export class CheckoutPagesController {
  constructor(private readonly donations: DonationsService) {}

  @Get('complete')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  async complete(@Query('checkout') id?: string): Promise<string> {
    const status = id ? await this.donations.status(id).catch(() => null) : null;
    if (!status) return page('Thank you', '<h1>Thank you</h1><p>We could not find this donation, but if you paid, it will be recorded.</p>');
    const amount = formatMoney({ amount: status.amount, currency: status.currency });
    const state = status.status === 'complete' ? 'Your payment is recorded.' : 'Your payment is being confirmed; it will be recorded in a moment.';
    return page('Thank you', `<h1>Thank you for your donation of ${escape(amount)} ${escape(status.currency)}</h1><p>${state}</p>`);
  }

  @Get('cancelled')
  @Header('content-type', 'text/html; charset=utf-8')
  cancelled(): string {
    return page('Donation cancelled', '<h1>No payment was made</h1><p>You can start again whenever you like.</p>');
  }
}
