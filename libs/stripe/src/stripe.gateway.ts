import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import Stripe from 'stripe';
import { type AppConfig } from '@app/config';
import { DomainError } from '@app/common';
import { startStripeSimulator, type StripeSimulator } from '@app/stripe-simulator';

/** The id of an expandable Stripe field, whether it arrived as an id or as the expanded object. */
export function stripeId(value: string | { id: string } | null | undefined): string | null {
  if (!value) return null;
  return typeof value === 'string' ? value : value.id;
}

export type StripeMode = 'live' | 'test' | 'simulator';

export type CheckoutSessionCreateParams = Stripe.Checkout.SessionCreateParams;

/**
 * The one seam to Stripe: the only place that constructs the `stripe` client.
 * - STRIPE_SECRET_KEY set: Stripe itself (or STRIPE_API_URL, a Stripe-compatible endpoint).
 * - unset: an in-process Stripe simulator; no real money moves, and start-up says so loudly.
 * Everything else asks this class; tests swap the endpoint (a simulator), never this class.
 */
export class StripeGateway {
  private readonly logger = new Logger('Stripe');

  private constructor(
    private readonly stripe: Stripe,
    readonly webhookSecret: string,
    readonly mode: StripeMode,
    readonly simulator?: StripeSimulator,
  ) {}

  static async create(config: AppConfig): Promise<StripeGateway> {
    const logger = new Logger('Stripe');
    if (config.STRIPE_SECRET_KEY) {
      const stripe = new Stripe(config.STRIPE_SECRET_KEY, {
        ...endpointOptions(config.STRIPE_API_URL),
        maxNetworkRetries: 2,
        timeout: 20000,
        telemetry: false,
        appInfo: { name: 'supporter-funding' },
      });
      const mode: StripeMode = config.STRIPE_SECRET_KEY.includes('_live_') ? 'live' : 'test';
      logger.log(`Stripe ${mode} mode${config.STRIPE_API_URL ? ` via ${config.STRIPE_API_URL}` : ''}`);
      return new StripeGateway(stripe, config.STRIPE_WEBHOOK_SECRET!, mode);
    }
    const webhookSecret = config.STRIPE_WEBHOOK_SECRET ?? `whsec_${randomBytes(24).toString('hex')}`;
    const stateFile = simulatorStateFile(config);
    const simulator = await startStripeSimulator({
      port: config.STRIPE_SIMULATOR_PORT,
      webhookSecret,
      stateFile,
      logger: (m: string) => logger.debug(m),
    });
    const stripe = new Stripe(`sk_test_simulator${randomBytes(8).toString('hex')}`, {
      ...endpointOptions(simulator.url),
      maxNetworkRetries: 2,
      timeout: 20000,
      telemetry: false,
    });
    const banner = '*'.repeat(78);
    logger.warn(
      `\n${banner}\n  NO STRIPE KEY CONFIGURED: using the local Stripe simulator at ${simulator.url}\n  NO REAL MONEY MOVES. Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET for production.\n  Simulator state: ${stateFile ?? 'in memory (EMBEDDED_DB_DIR=memory), gone when the service stops'}\n${banner}`,
    );
    return new StripeGateway(stripe, webhookSecret, 'simulator', simulator);
  }

  /** Verifies the signature on the raw body; throws a 400 DomainError when it does not hold. */
  constructEvent(rawBody: Buffer | string, signature: string | string[] | undefined): Stripe.Event {
    if (!signature || Array.isArray(signature)) {
      throw new DomainError('WEBHOOK_SIGNATURE_INVALID', 'missing Stripe-Signature header', 'Stripe-Signature');
    }
    try {
      return this.stripe.webhooks.constructEvent(rawBody, signature, this.webhookSecret);
    } catch (err) {
      throw new DomainError(
        'WEBHOOK_SIGNATURE_INVALID',
        `webhook signature verification failed: ${(err as Error).message}`,
        'Stripe-Signature',
      );
    }
  }

  /**
   * Every session is priced in the service's own currency, with Adaptive Pricing off whatever the
   * account's setting: a reader abroad pays the AUD amount (their card converts it), so every gift
   * counts in progress and the summary in `CURRENCY`, and the ledger holds what was asked for.
   */
  createCheckoutSession(params: CheckoutSessionCreateParams, idempotencyKey: string): Promise<Stripe.Checkout.Session> {
    return this.call(() =>
      this.stripe.checkout.sessions.create({ ...params, adaptive_pricing: { enabled: false } }, { idempotencyKey }),
    );
  }

  retrieveCheckoutSession(id: string): Promise<Stripe.Checkout.Session> {
    return this.call(() => this.stripe.checkout.sessions.retrieve(id));
  }

  /** Expires an open Checkout session (an abandoned one): nobody can pay it afterwards. */
  expireCheckoutSession(id: string): Promise<Stripe.Checkout.Session> {
    return this.call(() => this.stripe.checkout.sessions.expire(id));
  }

  /** Every event of these types created at or after `createdGte` (unix seconds), all pages. */
  async listEventsSince(createdGte: number, types: string[]): Promise<Stripe.Event[]> {
    return this.call(async () => {
      const events: Stripe.Event[] = [];
      for await (const e of this.stripe.events.list({ created: { gte: createdGte }, types, limit: 100 })) {
        events.push(e);
      }
      return events;
    });
  }

  /** A payout, or null when Stripe does not know it. */
  async retrievePayout(id: string): Promise<Stripe.Payout | null> {
    try {
      return await this.call(() => this.stripe.payouts.retrieve(id), { passInvalidRequests: true });
    } catch (err) {
      if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404) return null;
      throw err;
    }
  }

  /** Whether Stripe knows this charge (ch_), refund (re_) or dispute (du_/dp_). */
  async objectExists(id: string): Promise<boolean> {
    const retrieve: () => Promise<unknown> =
      id.startsWith('ch_') || id.startsWith('py_')
        ? () => this.stripe.charges.retrieve(id)
        : id.startsWith('re_') || id.startsWith('pyr_')
          ? () => this.stripe.refunds.retrieve(id)
          : () => this.stripe.disputes.retrieve(id);
    try {
      await this.call(retrieve, { passInvalidRequests: true });
      return true;
    } catch (err) {
      if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404) return false;
      throw err;
    }
  }

  /**
   * Deletes a customer (erasure): Stripe ends their subscriptions and forgets their details.
   * Idempotent: a customer already deleted, or unknown to Stripe, answers `false`; `true` when
   * this call deleted it.
   */
  async deleteCustomer(id: string): Promise<boolean> {
    try {
      const current = await this.call(() => this.stripe.customers.retrieve(id), { passInvalidRequests: true });
      if ('deleted' in current && current.deleted) return false;
      await this.call(() => this.stripe.customers.del(id), { passInvalidRequests: true });
      return true;
    } catch (err) {
      if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404) return false;
      throw err;
    }
  }

  /** Payouts arriving in [from, to) (unix seconds), oldest first. */
  async listPayoutsArriving(from: number, to: number): Promise<Stripe.Payout[]> {
    return this.call(async () => {
      const payouts: Stripe.Payout[] = [];
      for await (const p of this.stripe.payouts.list({ arrival_date: { gte: from, lt: to }, limit: 100 })) {
        payouts.push(p);
      }
      // Listed newest first; oldest first for people, ties kept in Stripe's order.
      return payouts.reverse().sort((a, b) => a.arrival_date - b.arrival_date || a.created - b.created);
    });
  }

  /** Everything a payout contains (its own `payout` transaction included), all pages. */
  async listPayoutBalanceTransactions(payoutId: string): Promise<Stripe.BalanceTransaction[]> {
    return this.call(async () => {
      const txns: Stripe.BalanceTransaction[] = [];
      for await (const t of this.stripe.balanceTransactions.list({ payout: payoutId, limit: 100 })) txns.push(t);
      return txns;
    });
  }

  /** Every refund of a charge as it is now, with balance transactions. */
  async listRefundsForCharge(chargeId: string): Promise<Stripe.Refund[]> {
    const refunds: Stripe.Refund[] = [];
    for await (const refund of this.stripe.refunds.list({
      charge: chargeId,
      limit: 100,
      expand: ['data.balance_transaction'],
    })) {
      refunds.push(refund);
    }
    return refunds;
  }

  retrieveBalanceTransaction(id: string): Promise<Stripe.BalanceTransaction> {
    return this.call(() => this.stripe.balanceTransactions.retrieve(id));
  }

  retrieveDispute(id: string): Promise<Stripe.Dispute> {
    return this.call(() => this.stripe.disputes.retrieve(id));
  }

  /** Stripe's refusals (amount too large, already refunded) are thrown as they are, for the caller to name. */
  /** The refund of this charge made for `request` (its metadata `request`), or null. */
  findRefundForRequest(chargeId: string, request: string): Promise<Stripe.Refund | null> {
    return this.call(async () => {
      for await (const refund of this.stripe.refunds.list({ charge: chargeId, limit: 100 })) {
        if (refund.metadata?.request === request) return refund;
      }
      return null;
    });
  }

  createRefund(params: Stripe.RefundCreateParams, idempotencyKey: string): Promise<Stripe.Refund> {
    return this.call(() => this.stripe.refunds.create(params, { idempotencyKey }), { passInvalidRequests: true });
  }

  async findPriceByLookupKey(lookupKey: string): Promise<Stripe.Price | null> {
    const list = await this.call(() => this.stripe.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 }));
    return list.data[0] ?? null;
  }

  createProduct(params: Stripe.ProductCreateParams, idempotencyKey: string): Promise<Stripe.Product> {
    return this.call(() => this.stripe.products.create(params, { idempotencyKey }));
  }

  createPrice(params: Stripe.PriceCreateParams, idempotencyKey: string): Promise<Stripe.Price> {
    return this.call(() => this.stripe.prices.create(params, { idempotencyKey }));
  }

  /** A product, or null when Stripe does not know it. */
  async retrieveProduct(id: string): Promise<Stripe.Product | null> {
    try {
      return await this.call(() => this.stripe.products.retrieve(id), { passInvalidRequests: true });
    } catch (err) {
      if (err instanceof Stripe.errors.StripeInvalidRequestError && err.statusCode === 404) return null;
      throw err;
    }
  }

  /** Creates a product with our own id; null when a product with that id exists already (a concurrent creator). */
  async createProductWithId(params: Stripe.ProductCreateParams & { id: string }): Promise<Stripe.Product | null> {
    try {
      return await this.call(() => this.stripe.products.create(params), { passInvalidRequests: true });
    } catch (err) {
      if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === 'resource_already_exists') return null;
      throw err;
    }
  }

  updateProduct(id: string, params: Stripe.ProductUpdateParams): Promise<Stripe.Product> {
    return this.call(() => this.stripe.products.update(id, params));
  }

  retrievePrice(id: string): Promise<Stripe.Price> {
    return this.call(() => this.stripe.prices.retrieve(id));
  }

  retrieveSubscription(id: string): Promise<Stripe.Subscription> {
    return this.call(() => this.stripe.subscriptions.retrieve(id));
  }

  retrieveInvoice(id: string): Promise<Stripe.Invoice> {
    return this.call(() => this.stripe.invoices.retrieve(id));
  }

  /** The payment intents that paid an invoice (the current API keeps them on invoice_payment objects). */
  async invoicePaymentIntentIds(invoiceId: string): Promise<string[]> {
    const list = await this.call(() => this.stripe.invoicePayments.list({ invoice: invoiceId, limit: 10 }));
    return list.data
      .filter((p) => p.status === 'paid' && p.payment?.type === 'payment_intent')
      .map((p) => stripeId(p.payment.payment_intent as string | { id: string } | null))
      .filter((id): id is string => !!id);
  }

  /** A payment intent with its latest charge and that charge's balance transaction (the fee). */
  retrievePaymentIntentWithCharge(id: string): Promise<Stripe.PaymentIntent> {
    return this.call(() => this.stripe.paymentIntents.retrieve(id, { expand: ['latest_charge.balance_transaction'] }));
  }

  /**
   * The `checkout_id` metadata a charge carries, wherever an integration puts it: on the charge,
   * on its payment intent (a payment-mode Checkout's `payment_intent_data.metadata`), or, for a
   * subscription's invoice, on the invoice's subscription (`parent.subscription_details.metadata`).
   * Asked only about a charge the ledger does not know (to tell "not yet" from "not ours").
   */
  async checkoutIdsOfCharge(chargeId: string): Promise<string[]> {
    return this.call(async () => {
      const charge = await this.stripe.charges.retrieve(chargeId, { expand: ['payment_intent'] });
      const pi = charge.payment_intent && typeof charge.payment_intent === 'object' ? charge.payment_intent : null;
      const ids: Array<string | undefined> = [charge.metadata?.checkout_id, pi?.metadata?.checkout_id];
      if (pi && !ids.some(Boolean)) {
        const payments = await this.stripe.invoicePayments.list({
          payment: { type: 'payment_intent', payment_intent: pi.id },
          limit: 3,
          expand: ['data.invoice'],
        });
        for (const p of payments.data) {
          const invoice = p.invoice && typeof p.invoice === 'object' ? (p.invoice as Stripe.Invoice) : null;
          ids.push(invoice?.parent?.subscription_details?.metadata?.checkout_id);
        }
      }
      return ids.filter((id): id is string => typeof id === 'string' && id.length > 0);
    });
  }

  retrieveChargeWithBalance(id: string): Promise<Stripe.Charge> {
    return this.call(() => this.stripe.charges.retrieve(id, { expand: ['balance_transaction'] }));
  }

  createBillingPortalSession(customer: string, returnUrl: string): Promise<Stripe.BillingPortal.Session> {
    return this.call(() => this.stripe.billingPortal.sessions.create({ customer, return_url: returnUrl }));
  }

  /**
   * Stripe's own errors never reach our clients as they are: an outage is a 502 to retry, and any
   * other refusal (a deleted customer, a revoked key…) is logged and answered as a 502 too, since
   * it is ours to fix, not the reader's. Webhook processing records the message and retries.
   */
  private async call<T>(fn: () => Promise<T>, opts: { passInvalidRequests?: boolean } = {}): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof Stripe.errors.StripeError)) throw err;
      if (
        opts.passInvalidRequests &&
        (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeIdempotencyError)
      ) {
        throw err;
      }
      const outage =
        err.type === 'StripeConnectionError' || err.type === 'StripeAPIError' || (err.statusCode ?? 0) >= 500;
      // An unknown id (a deleted object, another integration's, an event's object never made here)
      // is an answer, not a fault: the caller decides what it means.
      if (err.code === 'resource_missing') this.logger.warn(`Stripe: ${err.message}`);
      else {
        this.logger.error(
          `Stripe ${outage ? 'unavailable' : 'refused a request'}: ${err.type} ${err.code ?? ''} ${err.message}`,
        );
      }
      throw new DomainError(
        'PAYMENT_PROVIDER_UNAVAILABLE',
        outage
          ? 'the payment provider is unavailable, please try again shortly'
          : 'the payment provider refused the request; the team has been told',
        undefined,
        { stripeError: err.type, stripeCode: err.code ?? null, stripeMessage: err.message },
      );
    }
  }

  async close(): Promise<void> {
    await this.simulator?.close();
  }
}

/**
 * Where the in-process simulator keeps its state: beside the embedded database, in
 * `<EMBEDDED_DB_DIR>/stripe-simulator/`, so that what the database remembers (customers, charges,
 * subscriptions and their renewals) Stripe's stand-in remembers too. Also with DATABASE_URL set
 * (that database outlives the process as well); `memory` keeps it in memory.
 */
export function simulatorStateFile(config: Pick<AppConfig, 'EMBEDDED_DB_DIR'>): string | undefined {
  if (config.EMBEDDED_DB_DIR === 'memory') return undefined;
  return resolve(config.EMBEDDED_DB_DIR, 'stripe-simulator', 'state.json');
}

function endpointOptions(url: string | undefined): Stripe.StripeConfig {
  if (!url) return {};
  const u = new URL(url);
  const protocol = u.protocol === 'https:' ? 'https' : 'http';
  return { host: u.hostname, port: u.port ? Number(u.port) : protocol === 'https' ? 443 : 80, protocol };
}
