import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, isUuid } from '@app/common';
import { AppConfig } from '@app/config';
import type { PostalAddress } from '@app/donations';
import { EmailService, EmailTemplates } from '@app/email';
import { LedgerService, type ReaderLedgerLine } from '@app/ledger';
import { StripeGateway } from '@app/stripe';
import { Supporter, SupportersService } from '@app/supporters';
import { type EntitlementGrant, grantsAt, OPEN_ENDED } from './entitlements';
import { ReaderSessionsData, type SpentLink } from './reader-sessions.data-access';
import { SelfServiceService } from './self-service.service';
import type { Subscription } from './subscription.entity';
import { SubscriptionsRepository } from './subscriptions.repository';
import { SubscriptionsService } from './subscriptions.service';
import { TiersService } from './tiers.service';

/** How long an emailed sign-in link works. */
export const SIGN_IN_LINK_TTL_SECONDS = 15 * 60;
/** A session ends after this long without use… */
export const SESSION_IDLE_SECONDS = 30 * 24 * 3600;
/** …and this long after it started, whatever happens. */
export const SESSION_ABSOLUTE_SECONDS = 90 * 24 * 3600;
/** The answer to "email me a link" never comes sooner than this, known address or not. */
export const SIGN_IN_ANSWER_MS = 250;
/** How long after its expiry a link may still ask for a fresh one to be emailed. */
const FRESH_LINK_GRACE_SECONDS = 7 * 24 * 3600;
const PURGE_INTERVAL_MS = 60_000;

const hashOf = (token: string) => createHash('sha256').update(token).digest();
const newToken = () => randomBytes(32).toString('base64url');
/** A token as we issue them (32 random bytes, base64url); anything else is not looked up. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A link that opens nothing, and why. */
export class SpentLinkError extends Error {
  constructor(readonly reason: SpentLink) {
    super(`sign-in link ${reason}`);
  }
}

/** A self-service link's DomainError as the SpentLinkError it means (anything else unchanged). */
function spentOf(err: unknown): unknown {
  if (err instanceof DomainError && err.code === 'LINK_USED') return new SpentLinkError('used');
  if (err instanceof DomainError && err.code === 'LINK_EXPIRED') return new SpentLinkError('expired');
  if (err instanceof DomainError && err.code === 'LINK_INVALID') return new SpentLinkError('invalid');
  return err;
}

export interface AccountSubscription {
  id: string;
  kind: Subscription['kind'];
  tier: string | null;
  tierName: string | null;
  billing: Subscription['billing'];
  origin: Subscription['origin'];
  status: Subscription['status'];
  /** Minor units: a month's price (monthly) or the period's (prepaid). */
  amount: number;
  currency: string;
  start: Date | null;
  end: Date | null;
  cancelAtPeriodEnd: boolean;
  deliveryAddress: PostalAddress | null;
  /** A posted edition still running: its address can be changed. */
  posted: boolean;
  /** The running prepaid or offline period of a tier that ends last: it can be extended from its end. */
  extendable: boolean;
}

export interface AccountOverview {
  supporter: {
    id: string;
    /** This record and the records merged into it (whose payments and receipts are the reader's too). */
    recordIds: string[];
    name: string | null;
    email: string | null;
    emailUpdates: boolean;
    canManageCard: boolean;
  };
  payments: ReaderLedgerLine[];
  subscriptions: AccountSubscription[];
  /** `until` null: without an end. */
  entitlements: Array<Omit<EntitlementGrant, 'until'> & { until: Date | null }>;
  /** Each tier's name and prepaid option, by code. */
  tiers: Map<string, { name: string; prepaidMonths: number; prepaidAmount: number; currency: string }>;
}

/**
 * The reader account (`/account`): signing in by an emailed single-use link, browser sessions,
 * and what the signed-in reader sees and changes. Every read and write here is for the reader the
 * session speaks for: a merged record's survivor, with the records merged into it.
 */
@Injectable()
export class ReaderAccountService {
  private lastPurge = 0;

  constructor(
    private readonly data: ReaderSessionsData,
    private readonly supporters: SupportersService,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly subscribing: SubscriptionsService,
    private readonly tiers: TiersService,
    private readonly ledger: LedgerService,
    private readonly selfService: SelfServiceService,
    private readonly email: EmailService,
    private readonly templates: EmailTemplates,
    private readonly stripe: StripeGateway,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  private get base(): string {
    return this.config.PUBLIC_BASE_URL.replace(/\/$/, '');
  }

  /**
   * Emails a sign-in link when we know the address. The same work either way (the lookup, a
   * link row written in a transaction; for an unknown address a decoy row no link can use), and
   * never answered sooner than SIGN_IN_ANSWER_MS, so neither the answer nor its time tells
   * whether the address is ours.
   */
  async requestSignIn(email: string): Promise<void> {
    const started = performance.now();
    try {
      const supporter = /^[^\s@]{1,64}@[^\s@]{1,190}$/.test(email.trim())
        ? await this.supporters.findByEmail(email)
        : null;
      await this.issueLink(supporter?.email && !supporter.erasedAt ? supporter : null);
    } finally {
      const left = SIGN_IN_ANSWER_MS - (performance.now() - started);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    }
  }

  /**
   * From the page a spent link shows: a fresh sign-in link to the address we hold for the reader
   * that link was for (an account sign-in link, or an emailed self-service link; up to a week
   * after it expired). Anything else is ignored, with the same answer.
   */
  async requestFreshLink(token: unknown): Promise<void> {
    let supporterId: string | null = null;
    if (typeof token === 'string' && TOKEN.test(token)) {
      supporterId = await this.data.linkOwner(hashOf(token), FRESH_LINK_GRACE_SECONDS);
    } else {
      try {
        supporterId = this.selfService.verify(token, Date.now(), FRESH_LINK_GRACE_SECONDS * 1000).s;
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
      }
    }
    const supporter = supporterId ? await this.survivor(supporterId) : null;
    if (supporter?.email && !supporter.erasedAt) await this.issueLink(supporter);
  }

  private async issueLink(supporter: Supporter | null): Promise<void> {
    const token = newToken();
    await this.dataSource.transaction(async (m) => {
      await this.data.insertLink(m, hashOf(token), supporter?.id ?? null, SIGN_IN_LINK_TTL_SECONDS);
      if (!supporter) return;
      const url = `${this.base}/account/sign-in?token=${token}`;
      await this.email.send(
        {
          to: supporter.email!,
          kind: 'account_sign_in',
          ...this.templates.render('account_sign_in', {
            name: supporter.name,
            url,
            ttl: SIGN_IN_LINK_TTL_SECONDS / 60,
          }),
        },
        m,
      );
    });
    this.purge();
  }

  /** Uses an emailed sign-in link (once) and starts a session: answers the session's cookie value. */
  async signIn(token: unknown): Promise<string> {
    if (typeof token !== 'string' || !TOKEN.test(token)) throw new SpentLinkError('invalid');
    return this.dataSource.transaction(async (m) => {
      const used = await this.data.useLink(m, hashOf(token));
      if ('spent' in used) throw new SpentLinkError(used.spent);
      return this.startSession(m, used.supporterId);
    });
  }

  /** Checks an emailed sign-in link without using it (a GET of the link): throws SpentLinkError if it would not open. */
  async checkSignInLink(token: unknown): Promise<void> {
    if (typeof token !== 'string' || !TOKEN.test(token)) throw new SpentLinkError('invalid');
    const spent = await this.data.checkLink(hashOf(token));
    if (spent) throw new SpentLinkError(spent);
  }

  /** Checks an emailed self-service link without using it (a GET of the link): throws SpentLinkError if it would not open. */
  async checkSelfServiceLink(token: unknown): Promise<void> {
    try {
      await this.selfService.checkLink(token);
    } catch (err) {
      throw spentOf(err);
    }
  }

  /**
   * Uses an emailed self-service link (the "give us your delivery address" email) once and starts
   * a session for its reader; answers the cookie value and the subscription it was about.
   */
  async signInWithSelfServiceLink(token: unknown): Promise<string> {
    try {
      return await this.selfService.useLink(token, (supporterId, m) => this.startSession(m, supporterId));
    } catch (err) {
      throw spentOf(err);
    }
  }

  private async startSession(m: EntityManager, supporterId: string): Promise<string> {
    const supporter = await this.survivor(supporterId, m);
    if (!supporter || supporter.erasedAt) throw new SpentLinkError('invalid');
    const value = newToken();
    await this.data.insertSession(m, hashOf(value), supporter.id, SESSION_ABSOLUTE_SECONDS);
    return value;
  }

  /** The reader a session cookie speaks for (the survivor, if their record was merged since), or null. */
  async session(cookieValue: string | undefined): Promise<string | null> {
    if (!cookieValue || !TOKEN.test(cookieValue)) return null;
    const id = await this.data.touchSession(hashOf(cookieValue), SESSION_IDLE_SECONDS);
    if (!id) return null;
    const supporter = await this.survivor(id);
    return supporter && !supporter.erasedAt ? supporter.id : null;
  }

  async signOut(cookieValue: string | undefined): Promise<void> {
    if (cookieValue && TOKEN.test(cookieValue)) await this.data.endSession(hashOf(cookieValue));
  }

  /** Everything the account page shows. */
  async overview(supporterId: string): Promise<AccountOverview> {
    const supporter = (await this.supporters.findById(supporterId))!;
    const group = await this.supporters.groupIds(supporterId);
    const [payments, subs, tierList, tierEntitlements] = await Promise.all([
      this.ledger.forSupporters(group),
      this.subscriptions.findForSupporters(group),
      this.tiers.list(),
      this.tiers.entitlementsByTier(),
    ]);
    const tiers = new Map(
      tierList.map((t) => [
        t.code,
        {
          name: t.name,
          prepaidMonths: t.prepaidOptions[0].months,
          prepaidAmount: t.prepaidOptions[0].amount,
          currency: t.currency,
        },
      ]),
    );
    const posted = new Set(tierList.filter((t) => t.requiresDeliveryAddress).map((t) => t.code));
    const now = new Date();
    const tierSubs = subs.filter((s) => s.kind === 'subscription');
    const grants = grantsAt(tierSubs, tierEntitlements, now, this.config.PAST_DUE_GRACE_DAYS);
    const monthlyTiers = new Set(
      tierSubs
        .filter((s) => s.billing === 'monthly' && ['active', 'trialing', 'past_due'].includes(s.status))
        .map((s) => s.tierCode),
    );
    // Only the period that ends last (per tier) offers "Extend": a renewal starts where it ends.
    const lastEnd = new Map<string, Subscription>();
    for (const s of tierSubs) {
      if (s.billing !== 'prepaid' || s.status !== 'active' || !s.tierCode || !s.currentPeriodEnd) continue;
      const seen = lastEnd.get(s.tierCode);
      if (!seen || seen.currentPeriodEnd! < s.currentPeriodEnd) lastEnd.set(s.tierCode, s);
    }
    const running = (s: Subscription) =>
      s.billing === 'monthly'
        ? ['active', 'trialing', 'past_due'].includes(s.status)
        : s.status === 'active' && (!s.currentPeriodEnd || s.currentPeriodEnd > now);
    return {
      supporter: {
        id: supporter.id,
        recordIds: group,
        name: supporter.name,
        email: supporter.email,
        emailUpdates: supporter.emailUpdates,
        canManageCard: !!(await this.customerOf(supporter, subs)),
      },
      payments,
      subscriptions: subs.map((s) => ({
        id: s.id,
        kind: s.kind,
        tier: s.tierCode,
        tierName: s.tierCode ? (tiers.get(s.tierCode)?.name ?? s.tierCode) : null,
        billing: s.billing,
        origin: s.origin,
        status: s.status,
        amount: s.amount,
        currency: s.currency,
        start: s.currentPeriodStart,
        end: s.currentPeriodEnd,
        cancelAtPeriodEnd: s.cancelAtPeriodEnd,
        deliveryAddress: s.deliveryAddress,
        posted: s.kind === 'subscription' && !!s.tierCode && posted.has(s.tierCode) && running(s),
        extendable:
          s.kind === 'subscription' &&
          s.billing === 'prepaid' &&
          !!s.tierCode &&
          tiers.has(s.tierCode) &&
          !monthlyTiers.has(s.tierCode) &&
          lastEnd.get(s.tierCode) === s &&
          running(s),
      })),
      entitlements: grants.map((g) => ({ ...g, until: g.until.getTime() === OPEN_ENDED.getTime() ? null : g.until })),
      tiers,
    };
  }

  /** The reader's choice about non-essential email. */
  async setEmailUpdates(supporterId: string, on: boolean): Promise<void> {
    await this.supporters.setEmailUpdates(supporterId, on);
  }

  /** Changes where one of the reader's posted subscriptions goes. */
  async changeDeliveryAddress(supporterId: string, subscriptionId: string, address: PostalAddress): Promise<void> {
    const sub = isUuid(subscriptionId) ? await this.subscriptions.findById(subscriptionId) : null;
    const group = await this.supporters.groupIds(supporterId);
    if (!sub || !group.includes(sub.supporterId) || sub.kind !== 'subscription') {
      throw new DomainError('NOT_FOUND', `subscription ${subscriptionId} does not exist`, 'subscription');
    }
    const tier = sub.tierCode ? await this.tiers.get(sub.tierCode) : null;
    if (!tier?.requiresDeliveryAddress) {
      throw new DomainError(
        'SUBSCRIPTION_NOT_POSTED',
        'this subscription is not posted: it has no delivery address',
        'subscription',
      );
    }
    await this.subscribing.changeDeliveryAddress(sub.supporterId, sub.id, address);
  }

  /**
   * An early renewal: a Checkout for the tier's prepaid option, whose period starts at the current
   * end once paid. Answers the Checkout URL.
   */
  async extend(supporterId: string, subscriptionId: string): Promise<string> {
    const overview = await this.overview(supporterId);
    const sub = overview.subscriptions.find((s) => s.id === subscriptionId && s.extendable);
    const supporter = overview.supporter;
    if (!sub || !supporter.email) {
      throw new DomainError('NOT_FOUND', `subscription ${subscriptionId} cannot be extended`, 'subscription');
    }
    const { checkoutUrl } = await this.subscribing.create({
      tier: sub.tier!,
      billing: 'prepaid',
      email: supporter.email,
      name: supporter.name ?? supporter.email,
      ...(sub.deliveryAddress ? { deliveryAddress: { ...sub.deliveryAddress } } : {}),
    });
    return checkoutUrl;
  }

  /** Stripe's customer portal (card, cancellation) for the reader, returning to the account. */
  async portalUrl(supporterId: string): Promise<string> {
    const supporter = (await this.supporters.findById(supporterId))!;
    const customer = await this.customerOf(
      supporter,
      await this.subscriptions.findForSupporters(await this.supporters.groupIds(supporterId)),
    );
    if (!customer) {
      throw new DomainError('NO_CARD_ON_FILE', 'there is no card to manage: nothing was paid online', 'supporter');
    }
    return (await this.stripe.createBillingPortalSession(customer, `${this.base}/account`)).url;
  }

  /** The reader's Stripe customer: their record's, else the newest of their subscriptions'. */
  private async customerOf(supporter: Supporter, subs: Subscription[]): Promise<string | null> {
    return supporter.stripeCustomerId ?? subs.find((s) => s.stripeCustomerId)?.stripeCustomerId ?? null;
  }

  private async survivor(id: string, manager?: EntityManager): Promise<Supporter | null> {
    const found = await this.supporters.findById(id, manager);
    return found?.mergedInto ? this.supporters.findById(found.mergedInto, manager) : found;
  }

  private purge(): void {
    const now = Date.now();
    if (now - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = now;
    this.data.purge().catch(() => undefined);
  }
}
