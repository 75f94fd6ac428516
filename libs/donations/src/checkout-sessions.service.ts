import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { EntityManager, Repository } from 'typeorm';
import { AppConfig } from '@app/config';
import { LedgerEntry } from '@app/ledger';
import { CheckoutSessionCreateParams, StripeGateway } from '@app/stripe';
import { Supporter } from '@app/supporters';
import { Checkout } from './checkout.entity';
import { CheckoutCreatedDto } from './create-donation.dto';

export type NewCheckout = Omit<Checkout, 'id' | 'status' | 'stripeSessionId' | 'stripePaymentIntentId' | 'checkoutUrl' | 'failureReason' | 'createdAt' | 'updatedAt' | 'completedAt' | 'supporterId'>;

/** Called inside the transaction that records a checkout's payment (prepaid periods hook in here). */
export type CheckoutPaidListener = (manager: EntityManager, checkout: Checkout, supporter: Supporter, payment: LedgerEntry | null, session: Stripe.Checkout.Session) => Promise<string | void>;

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
    @InjectRepository(Checkout) private readonly checkouts: Repository<Checkout>,
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

  /** Writes the record, opens the session, and answers where to send the reader. */
  async open(record: NewCheckout, params: (checkout: Checkout) => CheckoutSessionCreateParams): Promise<CheckoutCreatedDto> {
    const checkout = await this.checkouts.save(this.checkouts.create({ ...record, id: randomUUID(), status: 'creating' }));
    try {
      const session = await this.stripe.createCheckoutSession(params(checkout), `checkout-session:${checkout.id}`);
      await this.checkouts.update({ id: checkout.id }, { status: 'open', stripeSessionId: session.id, checkoutUrl: session.url });
      return { id: checkout.id, checkoutUrl: session.url! };
    } catch (err) {
      await this.checkouts.update({ id: checkout.id }, { status: 'failed', failureReason: String((err as Error).message ?? err).slice(0, 500) });
      this.logger.error(`checkout ${checkout.id}: Stripe session not created: ${(err as Error).message}`);
      throw err;
    }
  }

  /** An open, unexpired checkout of this email for the same thing (a double click, a retry). */
  findOpen(email: string, purpose: Checkout['purpose'], frequency: Checkout['frequency'], tierCode: string | null): Promise<Checkout | null> {
    const qb = this.checkouts
      .createQueryBuilder('c')
      .where('lower(c.email) = lower(:email)', { email })
      .andWhere('c.purpose = :purpose', { purpose })
      .andWhere('c.frequency = :frequency', { frequency })
      .andWhere(`c.status = 'open'`)
      .andWhere(`c.created_at > now() - interval '23 hours'`)
      .orderBy('c.created_at', 'DESC');
    if (tierCode) qb.andWhere('c.tier_code = :tierCode', { tierCode });
    return qb.getOne();
  }
}
