import { Body, Controller, UseFilters, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, textProblem } from '@app/common';
import { AppConfig } from '@app/config';
import { Public } from '@app/staff';
import { SubscriptionsService, TiersService } from '@app/subscriptions';
import { RateLimit } from '../http/rate-limit';
import { ReaderCsrf } from './csrf';
import { ReaderPageErrorsFilter } from './page-errors.filter';
import { addressProblems, emailProblem, type FieldErrors, formText } from './forms';
import { expiredFormPage } from './give-page';
import { seeOther, sendPage } from './send-page';
import { alreadySubscribedPage, type SubscribeForm, subscribePage } from './subscribe-page';

/**
 * The subscribe page: digital or print, monthly or the prepaid period, prices from the tiers;
 * print asks for an Australian delivery address (state and postcode checked together). Posts
 * back as an ordinary HTML form (CSRF, rate limit); 303 to Checkout, or the page again with the
 * reader's values and the problems named; a reader who already has the access gets a page
 * offering a sign-in link to their account instead of a second charge.
 */
@ApiExcludeController()
@UseFilters(ReaderPageErrorsFilter)
@Public()
@Controller('subscribe')
export class SubscribeController {
  constructor(
    private readonly tiers: TiersService,
    private readonly subscriptions: SubscriptionsService,
    private readonly csrf: ReaderCsrf,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async show(
    @Query() query: Record<string, unknown>,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const form: SubscribeForm = {
      tier: query.tier === 'print' ? 'print' : 'digital',
      billing: query.billing === 'prepaid' ? 'prepaid' : 'monthly',
      name: '',
      email: '',
      line1: '',
      line2: '',
      city: '',
      state: '',
      postalCode: '',
    };
    await this.render(form, {}, req, reply, 200);
  }

  @Post()
  @RateLimit()
  async submit(@Body() body: unknown, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const form: SubscribeForm = {
      tier: formText(body, 'tier'),
      billing: formText(body, 'billing'),
      name: formText(body, 'name'),
      email: formText(body, 'email'),
      line1: formText(body, 'address.line1'),
      line2: formText(body, 'address.line2'),
      city: formText(body, 'address.city'),
      state: formText(body, 'address.state'),
      postalCode: formText(body, 'address.postalCode'),
    };
    if (!this.csrf.valid(req, (body as Record<string, unknown> | null)?._csrf)) {
      sendPage(reply, this.config, 403, expiredFormPage(this.config.organisation, '/subscribe'));
      return;
    }
    const tiers = await this.tiers.list();
    const tier = tiers.find((t) => t.code === form.tier);
    const errors: FieldErrors = {};
    if (!tier) errors.tier = 'Choose the digital or the print edition';
    if (form.billing !== 'monthly' && form.billing !== 'prepaid') errors.billing = 'Choose monthly or up front';
    if (!form.name) errors.name = 'Enter your name';
    else if (form.name.length > 200) errors.name = 'Your name must be at most 200 characters';
    else if (textProblem(form.name)) errors.name = `Your name ${textProblem(form.name)}`;
    const emailError =
      emailProblem(form.email) ?? (textProblem(form.email) ? 'Enter a valid email address' : undefined);
    if (emailError) errors.email = emailError;
    const needsAddress = !!tier?.requiresDeliveryAddress;
    if (needsAddress) {
      Object.assign(errors, addressProblems(form));
      for (const [field, value] of [
        ['address.line1', form.line1],
        ['address.line2', form.line2],
        ['address.city', form.city],
      ] as const) {
        const problem = textProblem(value);
        if (problem && !errors[field]) errors[field] = `This ${problem}`;
      }
    }
    if (Object.keys(errors).length || !tier) {
      await this.render(form, errors, req, reply, 400, tiers);
      return;
    }
    try {
      const created = await this.subscriptions.create({
        tier: tier.code,
        billing: form.billing as 'monthly' | 'prepaid',
        email: form.email,
        name: form.name,
        ...(needsAddress
          ? {
              deliveryAddress: {
                line1: form.line1,
                ...(form.line2 ? { line2: form.line2 } : {}),
                city: form.city,
                state: form.state,
                postalCode: form.postalCode,
                country: 'AU',
              },
            }
          : {}),
      });
      seeOther(reply, created.checkoutUrl);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'SUBSCRIPTION_ALREADY_ACTIVE') {
        sendPage(
          reply,
          this.config,
          409,
          alreadySubscribedPage(this.config.organisation, form.email, this.csrf.token(req, reply)),
        );
        return;
      }
      throw err;
    }
  }

  private async render(
    form: SubscribeForm,
    errors: FieldErrors,
    req: FastifyRequest,
    reply: FastifyReply,
    status: number,
    tiers?: Awaited<ReturnType<TiersService['list']>>,
  ): Promise<void> {
    sendPage(
      reply,
      this.config,
      status,
      subscribePage({
        org: this.config.organisation,
        tiers: tiers ?? (await this.tiers.list()),
        csrf: this.csrf.token(req, reply),
        form,
        errors,
      }),
    );
  }
}
