import { ClockModule } from '@app/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { loadConfig } from '@app/config';
import { ConfigModule } from '@app/config';
import { DatabaseModule, sql } from '@app/database';
import { DonationsModule } from '@app/donations';
import { EmailModule } from '@app/email';
import { RefundsModule } from '@app/refunds';
import { StaffModule } from '@app/staff';
import { StripeGateway, StripeModule } from '@app/stripe';
import { SubscriptionsModule } from '@app/subscriptions';
import type { StripeWebhookHandler } from '@app/webhooks';
import { WebhooksModule } from '@app/webhooks';
import { createTestDatabase } from './test-database';

/** Stripe's answer for an object it does not have (what `permanentOutcome` settles on). */
function missing(what: string): Error {
  return Object.assign(new Error(`No such ${what}`), {
    type: 'StripeInvalidRequestError',
    code: 'resource_missing',
    statusCode: 404,
  });
}

/**
 * The Stripe seam for the database-level specs only: the few gateway methods the webhook handlers
 * call, answered from objects the spec puts in. The end-to-end suites use the real gateway and
 * the simulator; here the point is our SQL, not Stripe's HTTP.
 */
export class FakeStripeGateway {
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly sessions = new Map<string, Stripe.Checkout.Session>();
  readonly subscriptions = new Map<string, Stripe.Subscription>();
  readonly invoices = new Map<string, Stripe.Invoice>();
  readonly invoicePaymentIntents = new Map<string, string[]>();
  readonly refundsByCharge = new Map<string, Stripe.Refund[]>();
  readonly disputes = new Map<string, Stripe.Dispute>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly checkoutIdsByCharge = new Map<string, string[]>();
  /** Every call, by method name. */
  readonly calls: string[] = [];

  private get<T>(map: Map<string, T>, id: string, what: string, method: string): Promise<T> {
    this.calls.push(method);
    const found = map.get(id);
    return found ? Promise.resolve(structuredClone(found)) : Promise.reject(missing(`${what}: ${id}`));
  }

  retrievePaymentIntentWithCharge(id: string) {
    return this.get(this.paymentIntents, id, 'payment_intent', 'retrievePaymentIntentWithCharge');
  }
  retrieveCheckoutSession(id: string) {
    return this.get(this.sessions, id, 'checkout.session', 'retrieveCheckoutSession');
  }
  retrieveSubscription(id: string) {
    return this.get(this.subscriptions, id, 'subscription', 'retrieveSubscription');
  }
  retrieveInvoice(id: string) {
    return this.get(this.invoices, id, 'invoice', 'retrieveInvoice');
  }
  invoicePaymentIntentIds(id: string) {
    this.calls.push('invoicePaymentIntentIds');
    return Promise.resolve(this.invoicePaymentIntents.get(id) ?? []);
  }
  listRefundsForCharge(chargeId: string) {
    this.calls.push('listRefundsForCharge');
    return Promise.resolve(structuredClone(this.refundsByCharge.get(chargeId) ?? []));
  }
  retrieveDispute(id: string) {
    return this.get(this.disputes, id, 'dispute', 'retrieveDispute');
  }
  retrieveChargeWithBalance(id: string) {
    return this.get(this.charges, id, 'charge', 'retrieveChargeWithBalance');
  }
  retrieveBalanceTransaction(id: string): Promise<Stripe.BalanceTransaction> {
    return Promise.reject(missing(`balance_transaction: ${id}`));
  }
  checkoutIdsOfCharge(chargeId: string) {
    this.calls.push('checkoutIdsOfCharge');
    return Promise.resolve(this.checkoutIdsByCharge.get(chargeId) ?? []);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export interface DbContext {
  module: TestingModule;
  db: DataSource;
  stripe: FakeStripeGateway;
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * The feature modules on a clean, migrated database, without HTTP and without the simulator:
 * the webhook worker, email worker and recovery are off, and the Stripe gateway is the fake above.
 */
export async function startDbModule(): Promise<DbContext> {
  const database = await createTestDatabase();
  const config = loadConfig({
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    EMBEDDED_DB_DIR: 'memory',
    STRIPE_SECRET_KEY: 'sk_test_db',
    STRIPE_WEBHOOK_SECRET: 'whsec_db',
    STRIPE_API_URL: 'http://127.0.0.1:9',
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    WEBHOOK_WORKER_CONCURRENCY: '0',
    WEBHOOK_RETRY_INTERVAL_MS: '0',
    WEBHOOK_RECOVERY_INTERVAL_MS: '0',
    EMAIL_POLL_INTERVAL_MS: '0',
    PORT: '0',
  });
  const stripe = new FakeStripeGateway();
  const module = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      DatabaseModule.forRoot(),
      ClockModule,
      StripeModule,
      WebhooksModule,
      EmailModule,
      StaffModule,
      DonationsModule,
      SubscriptionsModule,
      RefundsModule,
    ],
  })
    .overrideProvider(StripeGateway)
    .useValue(stripe)
    .compile();
  await module.init();
  const db = module.get(DataSource);
  return {
    module,
    db,
    stripe,
    query: (text, params) => db.query(text, params),
    async close() {
      await module.close();
      await database.drop();
    },
  };
}

/**
 * Processes one event with one handler as the inbox does, without the inbox: `prepare`, then its
 * effects in one transaction whose opening statements (row locks) run first, their first rows
 * passed as `opened`. Answers the outcome; rejects with whatever the handler threw.
 */
export async function applyEvent(db: DataSource, handler: StripeWebhookHandler, event: Stripe.Event): Promise<string> {
  const apply = await handler.prepare(event);
  if (apply.outcome !== undefined) return apply.outcome;
  return db.transaction(async (manager) => {
    if (!apply.opening) return apply(manager);
    const [first, ...rest] = apply.opening.split('; ');
    const opened = await sql(manager, first);
    for (const statement of rest) await sql(manager, statement);
    return apply(manager, [...opened]);
  });
}
