import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { Public } from '@app/staff';
import { StatementsService } from '@app/statements';
import { ReceiptsService } from '@app/receipts';
import { ReaderAccountService, SESSION_ABSOLUTE_SECONDS, SpentLinkError } from '@app/subscriptions';
import { RateLimit } from '../../http/rate-limit';
import { ReaderCsrf } from '../csrf';
import { seeOther, sendPage } from '../send-page';
import { cookie, readCookie } from '../html';
import {
  ACCOUNT_PATHS,
  type AccountPageState,
  accountPage,
  checkEmailPage,
  continueLinkPage,
  refusedPage,
  signInPage,
  spentLinkPage,
} from './account-pages';
import { australianAddress } from './address-form';

/** The reader's session cookie (HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS). */
export const SESSION_COOKIE = 'reader_session';

type Form = Record<string, unknown>;
const field = (body: unknown, name: string): string | undefined => {
  const v = body && typeof body === 'object' ? (body as Form)[name] : undefined;
  return typeof v === 'string' ? v : undefined;
};

/**
 * The reader account, server-rendered: sign-in by an emailed single-use link, then payments,
 * subscriptions and access, delivery addresses, early renewal, card and cancellation (Stripe's
 * portal) and email choices. Every form is an ordinary urlencoded POST with the CSRF token; every
 * change needs the session. Thin: each handler checks the form and calls one service method.
 */
@ApiExcludeController()
@Public()
@Controller()
export class AccountController {
  constructor(
    private readonly account: ReaderAccountService,
    private readonly csrf: ReaderCsrf,
    private readonly config: AppConfig,
    private readonly statements: StatementsService,
    private readonly receipts: ReceiptsService,
  ) {}

  @Get('account')
  async show(@Req() req: FastifyRequest, @Res() reply: FastifyReply, @Query('saved') saved?: string): Promise<void> {
    const supporterId = await this.session(req);
    const token = this.csrf.token(req, reply);
    if (!supporterId) return this.html(reply, 200, signInPage(this.config.organisation, token));
    const state: AccountPageState =
      saved === 'preferences' || saved === 'address' || saved === 'statement' ? { saved } : {};
    await this.renderAccount(reply, 200, supporterId, token, state);
  }

  @Post('account/sign-in')
  @RateLimit()
  async requestSignIn(@Req() req: FastifyRequest, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    if (!this.csrf.valid(req, field(body, '_csrf'))) return this.refuse(reply, 403, 'csrf');
    const email = (field(body, 'email') ?? '').trim();
    if (!email || email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) {
      const page = signInPage(this.config.organisation, this.csrf.token(req, reply), {
        error: 'Enter the email address you used when you gave, like name@example.com.',
      });
      return this.html(reply, 400, page);
    }
    await this.account.requestSignIn(email);
    this.html(reply, 200, checkEmailPage(this.config.organisation));
  }

  /** The emailed sign-in link: a "Continue" page (nothing used: mail scanners fetch links too). */
  @Get('account/sign-in')
  async signIn(@Req() req: FastifyRequest, @Query('token') token: string | undefined, @Res() reply: FastifyReply) {
    await this.continuePage(req, reply, token, () => this.account.checkSignInLink(token), ACCOUNT_PATHS.signInContinue);
  }

  /** That page's button: uses the sign-in link, starts the session, then to the account. */
  @Post('account/sign-in/continue')
  async signInContinue(@Req() req: FastifyRequest, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const token = field(body, 'token');
    await this.startSession(
      req,
      reply,
      body,
      () => this.account.checkSignInLink(token),
      () => this.account.signIn(token),
      ACCOUNT_PATHS.signInContinue,
      ACCOUNT_PATHS.account,
    );
  }

  /** The emailed "give us your delivery address" link: a "Continue" page (nothing used). */
  @Get('account/delivery-address')
  async deliveryAddressLink(
    @Req() req: FastifyRequest,
    @Query('token') token: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.continuePage(
      req,
      reply,
      token,
      () => this.account.checkSelfServiceLink(token),
      ACCOUNT_PATHS.deliveryAddressContinue,
    );
  }

  /** That page's button: uses the link, signs the reader in, then to the address form. */
  @Post('account/delivery-address/continue')
  async deliveryAddressContinue(
    @Req() req: FastifyRequest,
    @Body() body: unknown,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const token = field(body, 'token');
    await this.startSession(
      req,
      reply,
      body,
      () => this.account.checkSelfServiceLink(token),
      () => this.account.signInWithSelfServiceLink(token),
      ACCOUNT_PATHS.deliveryAddressContinue,
      `${ACCOUNT_PATHS.account}#delivery`,
    );
  }

  /** Links emailed before the account existed pointed here: they lead to the account's address form. */
  @Get('delivery-address')
  legacyDeliveryAddressLink(@Req() req: FastifyRequest, @Res() reply: FastifyReply): void {
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    void reply
      .status(303)
      .header('location', `${ACCOUNT_PATHS.deliveryAddress}${query}`)
      .header('cache-control', 'no-store')
      .send();
  }

  @Post('account/new-link')
  @RateLimit()
  async newLink(@Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    await this.account.requestFreshLink(field(body, 'token'));
    this.html(reply, 200, checkEmailPage(this.config.organisation));
  }

  @Post('account/sign-out')
  async signOut(@Req() req: FastifyRequest, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    if (!this.csrf.valid(req, field(body, '_csrf'))) return this.refuse(reply, 403, 'csrf');
    await this.account.signOut(readCookie(req.headers.cookie, SESSION_COOKIE));
    reply.header('set-cookie', cookie(SESSION_COOKIE, '', { ...this.cookieOptions(req), maxAgeSeconds: 0 }));
    this.redirect(reply, ACCOUNT_PATHS.account);
  }

  @Post('account/preferences')
  async preferences(@Req() req: FastifyRequest, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const supporterId = await this.signedInForm(req, body, reply);
    if (!supporterId) return;
    await this.account.setEmailUpdates(supporterId, field(body, 'emailUpdates') === 'on');
    this.redirect(reply, `${ACCOUNT_PATHS.account}?saved=preferences#preferences`);
  }

  @Post('account/delivery-address')
  async changeAddress(@Req() req: FastifyRequest, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const supporterId = await this.signedInForm(req, body, reply);
    if (!supporterId) return;
    const subscription = field(body, 'subscription') ?? '';
    const checked = australianAddress((body ?? {}) as Form);
    if (checked.errors) {
      const values: Record<string, string> = {};
      for (const k of ['line1', 'line2', 'city', 'state', 'postalCode']) values[k] = field(body, k) ?? '';
      return this.renderAccount(reply, 400, supporterId, this.csrf.token(req, reply), {
        addressErrors: { subscription, values, errors: checked.errors },
      });
    }
    try {
      await this.account.changeDeliveryAddress(supporterId, subscription, checked.address);
    } catch (err) {
      if (err instanceof DomainError && (err.code === 'NOT_FOUND' || err.code === 'SUBSCRIPTION_NOT_POSTED')) {
        return this.html(reply, 404, refusedPage(this.config.organisation, 'not-yours'));
      }
      throw err;
    }
    this.redirect(reply, `${ACCOUNT_PATHS.account}?saved=address#delivery-${subscription}`);
  }

  /** "Extend by a year": a Checkout for the prepaid option, whose period starts at the current end. */
  @Post('account/extend')
  async extend(@Req() req: FastifyRequest, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const supporterId = await this.signedInForm(req, body, reply);
    if (!supporterId) return;
    this.redirect(reply, await this.account.extend(supporterId, field(body, 'subscription') ?? ''));
  }

  /** "Email me my giving statement": the PDF of one financial year, by email (whatever the email choices). */
  @Post('account/statement')
  async statement(@Req() req: FastifyRequest, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const supporterId = await this.signedInForm(req, body, reply);
    if (!supporterId) return;
    const year = Number(field(body, 'year'));
    if (!(await this.statements.years(supporterId)).includes(year)) {
      return this.html(reply, 400, refusedPage(this.config.organisation, 'no-statement'));
    }
    await this.statements.sendOne(supporterId, year);
    this.redirect(reply, `${ACCOUNT_PATHS.account}?saved=statement#statement`);
  }

  /**
   * One of the reader's receipts, as issued (number, date, amount, the organisation's details and
   * tax statement), to print or save; `?download=1` saves it as a file. Only the reader's own.
   */
  @Get('account/receipts/:number')
  async receipt(
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
    @Param('number') number: string,
    @Query('download') download?: string,
  ): Promise<void> {
    const supporterId = await this.session(req);
    if (!supporterId) return this.redirect(reply, ACCOUNT_PATHS.account);
    const n = /^[1-9]\d{0,15}$/.test(number) ? Number(number) : NaN;
    const overview = Number.isSafeInteger(n) ? await this.account.overview(supporterId) : null;
    const mine = overview ? await this.receipts.forSupporters(overview.supporter.recordIds) : [];
    const rendered = mine.some((r) => r.number === n) ? await this.receipts.render(n) : null;
    if (!rendered) return this.html(reply, 404, refusedPage(this.config.organisation, 'no-receipt'));
    reply.header('content-disposition', `${download === '1' ? 'attachment' : 'inline'}; filename="receipt-${n}.html"`);
    this.html(reply, 200, rendered.html);
  }

  /** Card and cancellation: Stripe's customer portal, which returns to the account. */
  @Post('account/portal')
  async portal(@Req() req: FastifyRequest, @Body() body: unknown, @Res() reply: FastifyReply): Promise<void> {
    const supporterId = await this.signedInForm(req, body, reply);
    if (!supporterId) return;
    this.redirect(reply, await this.account.portalUrl(supporterId));
  }

  // ---- helpers ----

  /** The "Continue" page of an emailed link whose check passes; the used/expired/invalid page (410) otherwise. */
  private async continuePage(
    req: FastifyRequest,
    reply: FastifyReply,
    token: string | undefined,
    check: () => Promise<void>,
    action: string,
    status = 200,
  ): Promise<void> {
    if (await this.spent(reply, token, check)) return;
    const page = continueLinkPage(
      this.config.organisation,
      action,
      token ?? '',
      this.csrf.token(req, reply),
      status !== 200,
    );
    this.html(reply, status, page);
  }

  /**
   * A "Continue" post: with a valid CSRF token, uses the link and starts the session (the cookie,
   * then 303 to `then`); without, the page again (403, nothing used).
   */
  private async startSession(
    req: FastifyRequest,
    reply: FastifyReply,
    body: unknown,
    check: () => Promise<void>,
    use: () => Promise<string>,
    action: string,
    then: string,
  ): Promise<void> {
    const token = field(body, 'token');
    if (!this.csrf.valid(req, field(body, '_csrf'))) return this.continuePage(req, reply, token, check, action, 403);
    let value = '';
    if (await this.spent(reply, token, async () => void (value = await use()))) return;
    reply.header(
      'set-cookie',
      cookie(SESSION_COOKIE, value, { ...this.cookieOptions(req), maxAgeSeconds: SESSION_ABSOLUTE_SECONDS }),
    );
    this.redirect(reply, then);
  }

  /** Runs `f`; a SpentLinkError answers the used/expired/invalid page (410) and true. */
  private async spent(reply: FastifyReply, token: string | undefined, f: () => Promise<void>): Promise<boolean> {
    try {
      await f();
      return false;
    } catch (err) {
      if (!(err instanceof SpentLinkError)) throw err;
      this.html(reply, 410, spentLinkPage(this.config.organisation, err.reason, token ?? ''));
      return true;
    }
  }

  /** The session's reader for a form post with a valid CSRF token; otherwise answers the refusal and null. */
  private async signedInForm(req: FastifyRequest, body: unknown, reply: FastifyReply): Promise<string | null> {
    if (!this.csrf.valid(req, field(body, '_csrf'))) {
      this.refuse(reply, 403, 'csrf');
      return null;
    }
    const supporterId = await this.session(req);
    if (!supporterId) this.refuse(reply, 401, 'signed-out');
    return supporterId;
  }

  private session(req: FastifyRequest): Promise<string | null> {
    return this.account.session(readCookie(req.headers.cookie, SESSION_COOKIE));
  }

  private async renderAccount(
    reply: FastifyReply,
    status: number,
    supporterId: string,
    csrf: string,
    state: AccountPageState,
  ): Promise<void> {
    const [overview, statementYears] = await Promise.all([
      this.account.overview(supporterId),
      this.statements.years(supporterId),
    ]);
    const receipts = await this.receipts.forSupporters(overview.supporter.recordIds);
    const page = accountPage(this.config.organisation, this.config.REPORT_TIME_ZONE, csrf, overview, {
      ...state,
      statementYears,
      receipts: new Map(receipts.map((r) => [r.ledgerEntryId, r.number])),
    });
    this.html(reply, status, page);
  }

  private cookieOptions(req: FastifyRequest) {
    return {
      sameSite: 'Lax' as const,
      secure: req.protocol === 'https' || this.config.PUBLIC_BASE_URL.startsWith('https:'),
    };
  }

  private refuse(reply: FastifyReply, status: 401 | 403, why: 'csrf' | 'signed-out'): void {
    this.html(reply, status, refusedPage(this.config.organisation, why));
  }

  private redirect(reply: FastifyReply, location: string): void {
    seeOther(reply, location);
  }

  /** An HTML answer with the reader pages' CSP (whose form-action lets the forms lead on to Stripe), never cached. */
  private html(reply: FastifyReply, status: number, body: string): void {
    sendPage(reply, this.config, status, body);
  }
}
