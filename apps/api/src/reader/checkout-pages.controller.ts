import { Controller, UseFilters, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '@app/config';
import { Public } from '@app/staff';
import { type PurchaseSummary, PurchasesService } from '@app/subscriptions';
import { escapeHtml } from './html';
import { ReaderPageErrorsFilter } from './page-errors.filter';
import { readerPage } from './layout';
import { purchaseText } from './purchase-text';
import { sendPage } from './send-page';

/**
 * Where Stripe Checkout sends the reader back to (the paths are in every Checkout session's
 * return URLs, including sessions still open: they stay). The thank-you page says what was
 * bought; while the payment's webhook is on its way it says so, and with JavaScript asks again
 * until it is recorded. The cancelled page leads back to the form it came from, prefilled.
 */
@ApiExcludeController()
@UseFilters(ReaderPageErrorsFilter)
@Public()
@Controller('checkout')
export class CheckoutPagesController {
  constructor(
    private readonly purchases: PurchasesService,
    private readonly config: AppConfig,
  ) {}

  @Get('complete')
  async complete(@Query('checkout') id: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const org = this.config.organisation;
    const purchase = typeof id === 'string' ? await this.purchases.summary(id) : null;
    const back = `<p><a class="button" href="${escapeHtml(org.siteUrl)}">Back to ${escapeHtml(org.name)}</a></p>`;
    if (!purchase) {
      const body = `<h1>Thank you</h1><p>We could not find this payment, but if you paid, it will be recorded and your receipt emailed to you.</p>${back}`;
      sendPage(reply, this.config, 200, readerPage(org, { title: 'Thank you', body }));
      return;
    }
    const text = purchaseText(purchase, this.config.REPORT_TIME_ZONE);
    const lines = text.lines.map((l, i) =>
      text.pending && i === text.lines.length - 1
        ? `<p role="status" data-pending-checkout="${escapeHtml(purchase.id)}">${escapeHtml(l)}</p>`
        : `<p>${escapeHtml(l)}</p>`,
    );
    const receipt = text.pending ? '' : '<p>Your receipt is on its way to your email.</p>';
    const body = `<h1>${escapeHtml(text.headline)}</h1>\n${lines.join('\n')}\n${receipt}${back}`;
    sendPage(reply, this.config, 200, readerPage(org, { title: 'Thank you', body, script: text.pending }));
  }

  @Get('cancelled')
  async cancelled(@Query('checkout') id: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const org = this.config.organisation;
    const purchase = typeof id === 'string' ? await this.purchases.summary(id) : null;
    const again = purchase ? this.formAgain(purchase) : { href: '/give', text: 'Go to the donation form' };
    const body = `<h1>No payment was made</h1>
<p>You left the payment page, so nothing was charged. Your details are not saved with us until you pay.</p>
<p><a class="button" href="${escapeHtml(again.href)}">${escapeHtml(again.text)}</a>
<a class="button secondary" href="${escapeHtml(org.siteUrl)}">Back to ${escapeHtml(org.name)}</a></p>`;
    sendPage(reply, this.config, 200, readerPage(org, { title: 'Payment cancelled', body }));
  }

  /** The form the checkout came from, prefilled with what can go in a link (never the email). */
  private formAgain(p: PurchaseSummary): { href: string; text: string } {
    if (p.purpose === 'subscription') {
      const tier = p.tier?.code === 'print' ? 'print' : 'digital';
      const billing = p.frequency === 'prepaid' ? 'prepaid' : 'monthly';
      return { href: `/subscribe?tier=${tier}&billing=${billing}`, text: 'Back to the subscription form' };
    }
    const path = p.campaign && !p.campaign.current ? `/give/${encodeURIComponent(p.campaign.slug)}` : '/give';
    const frequency = p.frequency === 'monthly' ? 'monthly' : 'one_off';
    return { href: `${path}?amount=${p.amount}&frequency=${frequency}`, text: 'Back to the donation form' };
  }
}
