import { Body, Controller, UseFilters, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CampaignsService, isSlug, ProgressBoard } from '@app/campaigns';
import { DomainError, formatMoney, textProblem } from '@app/common';
import { AppConfig } from '@app/config';
import { DonationsService } from '@app/donations';
import { Public } from '@app/staff';
import { RateLimit } from '../http/rate-limit';
import { ReaderCsrf } from './csrf';
import { ReaderPageErrorsFilter } from './page-errors.filter';
import { amountInput, emailProblem, type FieldErrors, formText, parseAmount } from './forms';
import { DEFAULT_AMOUNT, expiredFormPage, type GiveForm, givePage, messagePage, SUGGESTED_AMOUNTS } from './give-page';
import { seeOther, sendPage } from './send-page';

type Campaign = { slug: string; title: string } | null;

/**
 * The donate page (`/give`, or `/give/<campaign>` for a named campaign): one-off or monthly,
 * suggested amounts or any amount typed, the campaign's progress bar from memory. The form posts
 * back here as an ordinary HTML form (CSRF token, rate limit); bad input comes back as the same
 * page with the reader's values and each problem next to its field; a good one is 303 to Checkout.
 */
@ApiExcludeController()
@UseFilters(ReaderPageErrorsFilter)
@Public()
@Controller('give')
export class GiveController {
  constructor(
    private readonly donations: DonationsService,
    private readonly campaigns: CampaignsService,
    private readonly board: ProgressBoard,
    private readonly csrf: ReaderCsrf,
    private readonly config: AppConfig,
  ) {}

  @Get()
  give(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.show(null, query, req, reply);
  }

  @Get(':campaign')
  giveTo(
    @Param('campaign') slug: string,
    @Query() query: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.show(slug, query, req, reply);
  }

  @Post()
  @RateLimit()
  submit(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.post(null, body, req, reply);
  }

  @Post(':campaign')
  @RateLimit()
  submitTo(
    @Param('campaign') slug: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    return this.post(slug, body, req, reply);
  }

  private async show(
    slug: string | null,
    query: Record<string, unknown>,
    req: FastifyRequest,
    reply: FastifyReply,
  ): Promise<void> {
    const campaign = await this.campaignOrPage(slug, reply);
    if (campaign === undefined) return;
    // Prefill from the link (the cancelled page, a website's own buttons): an amount in cents, a frequency.
    const amount = typeof query.amount === 'string' && /^\d{1,9}$/.test(query.amount) ? Number(query.amount) : null;
    const form: GiveForm = {
      frequency: query.frequency === 'monthly' ? 'monthly' : 'one_off',
      amount: amount === null ? String(DEFAULT_AMOUNT) : SUGGESTED_AMOUNTS.includes(amount) ? String(amount) : 'other',
      otherAmount:
        amount !== null && !SUGGESTED_AMOUNTS.includes(amount) ? amountInput(amount, this.config.CURRENCY) : '',
      email: '',
      name: '',
    };
    await this.render(campaign, form, {}, req, reply, 200);
  }

  private async post(slug: string | null, body: unknown, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const campaign = await this.campaignOrPage(slug, reply);
    if (campaign === undefined) return;
    const form: GiveForm = {
      frequency: formText(body, 'frequency'),
      amount: formText(body, 'amount'),
      otherAmount: formText(body, 'otherAmount'),
      email: formText(body, 'email'),
      name: formText(body, 'name'),
    };
    if (!this.csrf.valid(req, (body as Record<string, unknown> | null)?._csrf)) {
      sendPage(reply, this.config, 403, expiredFormPage(this.config.organisation, this.path(campaign)));
      return;
    }
    const errors: FieldErrors = {};
    if (form.frequency !== 'one_off' && form.frequency !== 'monthly') errors.frequency = 'Choose once or monthly';
    let amount: number | undefined;
    const amountField = form.otherAmount || form.amount === 'other' ? 'otherAmount' : 'amount';
    if (amountField === 'otherAmount') {
      const parsed = parseAmount(form.otherAmount, this.config.CURRENCY);
      if ('problem' in parsed) errors.otherAmount = parsed.problem;
      else amount = parsed.amount;
    } else if (SUGGESTED_AMOUNTS.map(String).includes(form.amount)) {
      amount = Number(form.amount);
    } else {
      errors.amount = 'Choose an amount, or type one';
    }
    if (amount !== undefined) {
      try {
        this.donations.assertAmountInBounds(amount);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        errors[amountField] = this.boundsMessage(amount);
      }
    }
    const emailError =
      emailProblem(form.email) ?? (textProblem(form.email) ? 'Enter a valid email address' : undefined);
    if (emailError) errors.email = emailError;
    const nameError = form.name.length > 200 ? 'Your name must be at most 200 characters' : textProblem(form.name);
    if (nameError) errors.name = nameError.startsWith('Your') ? nameError : `Your name ${nameError}`;
    if (Object.keys(errors).length || amount === undefined) {
      await this.render(campaign, form, errors, req, reply, 400);
      return;
    }
    try {
      const created = await this.donations.create({
        amount,
        frequency: form.frequency as 'one_off' | 'monthly',
        email: form.email,
        ...(form.name ? { name: form.name } : {}),
        ...(campaign ? { campaign: campaign.slug } : {}),
      });
      seeOther(reply, created.checkoutUrl);
    } catch (err) {
      if (err instanceof DomainError && err.field === 'amount') {
        await this.render(campaign, form, { [amountField]: err.message }, req, reply, err.status);
        return;
      }
      if (err instanceof DomainError && (err.code === 'CAMPAIGN_ENDED' || err.code === 'CAMPAIGN_NOT_STARTED')) {
        this.campaignClosedPage(reply, err.code);
        return;
      }
      throw err;
    }
  }

  private boundsMessage(amount: number): string {
    const min = this.config.DONATION_MIN_AMOUNT;
    const max = this.config.DONATION_MAX_AMOUNT;
    const currency = this.config.CURRENCY;
    const fmt = (a: number) => formatMoneyShort(a, currency);
    return amount < min
      ? `The smallest gift we can take online is ${fmt(min)}`
      : `The largest gift we can take online is ${fmt(max)}`;
  }

  /**
   * The campaign of a `/give/<slug>` link (null for plain `/give` and `current`), or undefined after
   * answering a page: 404 for an unknown campaign, 422 for one that has ended or not started.
   */
  private async campaignOrPage(slug: string | null, reply: FastifyReply): Promise<Campaign | undefined> {
    if (slug === null || slug === 'current') return null;
    try {
      if (!isSlug(slug)) throw new DomainError('UNKNOWN_CAMPAIGN', 'no such campaign', 'campaign');
      const campaign = await this.campaigns.resolveForDonation(slug);
      return campaign ? { slug: campaign.slug, title: campaign.title } : null;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.code === 'UNKNOWN_CAMPAIGN') {
        sendPage(
          reply,
          this.config,
          404,
          messagePage(
            this.config.organisation,
            'We could not find this campaign',
            ['The link may be mistyped, or the campaign renamed. You can still give to our work.'],
            [
              { href: '/give', text: 'Give now' },
              { href: this.config.organisation.siteUrl, text: `Back to ${this.config.organisation.name}` },
            ],
          ),
        );
        return undefined;
      }
      if (err.code === 'CAMPAIGN_ENDED' || err.code === 'CAMPAIGN_NOT_STARTED') {
        this.campaignClosedPage(reply, err.code);
        return undefined;
      }
      throw err;
    }
  }

  private campaignClosedPage(reply: FastifyReply, code: 'CAMPAIGN_ENDED' | 'CAMPAIGN_NOT_STARTED'): void {
    const org = this.config.organisation;
    sendPage(
      reply,
      this.config,
      422,
      messagePage(
        org,
        code === 'CAMPAIGN_ENDED' ? 'This campaign has ended' : 'This campaign has not started yet',
        [
          code === 'CAMPAIGN_ENDED'
            ? 'Thank you for thinking of us. This campaign is closed, but you can still give to our current one.'
            : 'This campaign is not open for gifts yet. You can give to our current campaign now.',
        ],
        [
          { href: '/give', text: 'Give to our current campaign' },
          { href: org.siteUrl, text: `Back to ${org.name}` },
        ],
      ),
    );
  }

  private path(campaign: Campaign): string {
    return campaign ? `/give/${campaign.slug}` : '/give';
  }

  private async render(
    campaign: Campaign,
    form: GiveForm,
    errors: FieldErrors,
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
  ): Promise<void> {
    // The bar from the in-memory board (a first view on this instance loads it once).
    const snapshot = await this.board.get(campaign?.slug ?? 'current').catch(() => null);
    sendPage(
      reply,
      this.config,
      status,
      givePage({
        org: this.config.organisation,
        currency: this.config.CURRENCY,
        action: this.path(campaign),
        csrf: this.csrf.token(req, reply),
        form,
        errors,
        progress: snapshot?.progress ?? null,
        campaignTitle: campaign?.title ?? null,
      }),
    );
  }
}

/** "$1" for whole amounts, "$1.50" otherwise. */
function formatMoneyShort(amount: number, currency: string): string {
  return formatMoney({ amount, currency }).replace(/\.00$/, '');
}
