import { Injectable, Logger } from '@nestjs/common';
import type Stripe from 'stripe';
import { EntityManager } from 'typeorm';
import { AppConfig } from '@app/config';
import { LedgerEntry } from '@app/ledger';
import { CheckoutSessionCreateParams, StripeGateway } from '@app/stripe';
import { Supporter } from '@app/supporters';
import { Checkout } from './checkout.entity';
import { CheckoutsRepository, NewCheckout } from './checkouts.repository';
import { CheckoutCreatedDto } from './create-donation.dto';

export type { NewCheckout } from './checkouts.repository';

/** Called inside the transaction that records a checkout's payment (prepaid periods hook in here). */
export type CheckoutPaidListener = (
  manager: EntityManager,
  checkout: Checkout,
  supporter: Supporter,
  payment: LedgerEntry | null,
  session: Stripe.Checkout.Session,
) => Promise<string | void>;

/**
 * Checkout records and their Stripe Checkout sessions: the record is written first, then the
 * session is created with the record's id in its metadata (and an idempotency key), so every
 * payment can be traced back to what the reader asked for.
 */
@Injectable()
export class CheckoutSessionsService {
  private readonly logger = new Logger('Checkouts');
  private readonly paidListeners: CheckoutPaidListener[] = [];

  constructor(
    private readonly checkouts: CheckoutsRepository,
    private readonly stripe: StripeGateway,
    private readonly config: AppConfig,
  ) {}

  onPaid(listener: CheckoutPaidListener): void {
    this.paidListeners.push(listener);
  }

  async notifyPaid(...args: Parameters<CheckoutPaidListener>): Promise<string[]> {
    const outcomes: string[] = [];
    for (const listener of this.paidListeners) {
      const outcome = await listener(...args);
      if (outcome) outcomes.push(outcome);
    }
    return outcomes;
  }

  returnUrls(checkoutId: string): { success_url: string; cancel_url: string } {
    const base = this.config.PUBLIC_BASE_URL.replace(/\/$/, '');
    return {
      success_url: `${base}/checkout/complete?checkout=${checkoutId}&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${base}/checkout/cancelled?checkout=${checkoutId}`,
    };
  }

  /**
   * Writes the record, opens the session, and answers where to send the reader. With `manager`
   * (a transaction's, see `exclusively`), the record is written in that transaction.
   */
  async open(
    record: NewCheckout,
    params: (checkout: Checkout) => CheckoutSessionCreateParams,
    manager: EntityManager = this.checkouts.manager,
  ): Promise<CheckoutCreatedDto> {
    const checkout = await this.checkouts.create(record, manager);
    try {
      const session = await this.stripe.createCheckoutSession(params(checkout), `checkout-session:${checkout.id}`);
      await this.checkouts.markOpen(manager, checkout.id, session.id, session.url);
      return { id: checkout.id, checkoutUrl: session.url! };
    } catch (err) {
      await this.checkouts.markFailed(manager, checkout.id, String((err as Error).message ?? err));
      this.logger.error(`checkout ${checkout.id}: Stripe session not created: ${(err as Error).message}`);
      throw err;
    }
  }

  /**
   * Runs `work` in one transaction holding a lock on `key` (say, one reader's checkouts for one
   * tier): concurrent requests for the same key run one after another, so two of them never both
   * find "no open checkout" or both replace the same one. Everything inside uses the manager.
   */
  exclusively<T>(key: string, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.checkouts.manager.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`checkout:${key}`]);
      return work(manager);
    });
  }

  /**
   * Expires an open checkout's session on Stripe, so that its link can no longer be paid, and
   * marks it expired (`why` kept as its reason). Answers false, changing nothing, when the
   * session was paid meanwhile (its payment is on its way by webhook).
   */
  async expire(manager: EntityManager, checkout: Checkout, why: string): Promise<boolean> {
    if (checkout.stripeSessionId) {
      try {
        await this.stripe.expireCheckoutSession(checkout.stripeSessionId);
      } catch (err) {
        // Stripe refuses to expire a session that is no longer open: look at what it is now.
        const session = await this.stripe.retrieveCheckoutSession(checkout.stripeSessionId);
        if (session.status === 'complete') return false;
        if (session.status !== 'expired') throw err;
      }
    }
    await this.checkouts.expireOpen(manager, checkout.id, why);
    return true;
  }

  /** An open, unexpired checkout of this email for the same thing (a double click, a retry). */
  findOpen(...args: Parameters<CheckoutsRepository['findOpen']>): Promise<Checkout | null> {
    return this.checkouts.findOpen(...args);
  }
}
