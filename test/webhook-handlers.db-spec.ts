import type Stripe from 'stripe';
import { CheckoutPaymentHandler, CheckoutsRepository } from '@app/donations';
import { ChargeFeesHandler, PaymentNotYetRecordedError, RefundsAndDisputesHandler } from '@app/refunds';
import { SubscriptionsRepository, SubscriptionSyncHandler } from '@app/subscriptions';
import { SupporterRecordsService } from '@app/supporters';
import { PermanentOutcome, RetryLaterError } from '@app/webhooks';
import { applyEvent, type DbContext, startDbModule } from './support/db-module';
import { newCheckout, newPayment, newSupporter, stripeEventWith, uniq } from './support/factory';
import type { CheckoutRow, LedgerRow, SubscriptionRow, SupporterRow } from './support/rows';

/**
 * The webhook handlers and the tables' owners on a real database, without HTTP or the simulator:
 * each event goes through the handler's `prepare` and its effects' transaction (as the inbox
 * runs them), with a fake Stripe gateway at the seam (see FakeStripeGateway).
 */
describe('webhook handlers on the database', () => {
  let t: DbContext;
  const now = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    t = await startDbModule();
  }, 120000);
  afterAll(async () => {
    await t?.close();
  });

  const ledgerOf = (checkoutId: string) =>
    t.query<LedgerRow>(`SELECT * FROM ledger_entries WHERE checkout_id = $1 ORDER BY id`, [checkoutId]);
  const checkoutRow = async (id: string) =>
    (await t.query<CheckoutRow>(`SELECT * FROM checkouts WHERE id = $1`, [id]))[0];

  /** A payment intent whose charge (and, with `fee`, its balance transaction) Stripe has. */
  function paymentIntent(amount: number, fee: number | null): { pi: string; charge: string } {
    const pi = `pi_${uniq()}`;
    const charge = `ch_${uniq()}`;
    t.stripe.paymentIntents.set(pi, {
      id: pi,
      latest_charge: {
        id: charge,
        amount,
        currency: 'aud',
        created: now,
        payment_method_details: { type: 'card' },
        balance_transaction:
          fee === null ? null : { id: `txn_${uniq()}`, fee, currency: 'aud', exchange_rate: null, created: now },
      },
    } as unknown as Stripe.PaymentIntent);
    return { pi, charge };
  }

  function paidSession(checkout: CheckoutRow, pi: string): Stripe.Checkout.Session {
    return {
      id: `cs_${uniq()}`,
      object: 'checkout.session',
      mode: 'payment',
      status: 'complete',
      payment_status: 'paid',
      payment_intent: pi,
      customer: `cus_${uniq()}`,
      customer_details: { name: 'Name On Card' },
      metadata: { checkout_id: checkout.id },
    } as unknown as Stripe.Checkout.Session;
  }

  describe('CheckoutPaymentHandler', () => {
    it('records a final paid session once: payment with its fee, supporter, checkout complete; a redelivery writes nothing', async () => {
      const handler = t.module.get(CheckoutPaymentHandler);
      const checkout = await newCheckout(t.db, { amount: 2500, name: 'Given Name' });
      const { pi, charge } = paymentIntent(2500, 95);
      const event = stripeEventWith('checkout.session.completed', { data: { object: paidSession(checkout, pi) } });

      const outcome = await applyEvent(t.db, handler, event);
      expect(outcome).toContain(`recorded payment payment:${charge} 2500 aud fee 95`);
      const [payment] = await ledgerOf(checkout.id);
      expect(payment).toMatchObject({ kind: 'payment', type: 'donation', gross: '2500', fee: '95', net: '2405' });
      const done = await checkoutRow(checkout.id);
      expect(done).toMatchObject({
        status: 'complete',
        supporter_id: payment.supporter_id,
        stripe_payment_intent_id: pi,
      });
      const [supporter] = await t.query<SupporterRow>(`SELECT * FROM supporters WHERE id = $1`, [payment.supporter_id]);
      expect(supporter).toMatchObject({ email: checkout.email, name: 'Given Name' });

      const calls = t.stripe.calls.length;
      expect(await applyEvent(t.db, handler, { ...event, id: `evt_${uniq()}` })).toBe(
        `checkout ${checkout.id} already recorded`,
      );
      expect(t.stripe.calls.length).toBe(calls);
      expect(await ledgerOf(checkout.id)).toHaveLength(1);
    });

    it('a paid session whose charge Stripe has not attached yet fails with RetryLaterError, writing nothing', async () => {
      const handler = t.module.get(CheckoutPaymentHandler);
      const checkout = await newCheckout(t.db);
      const pi = `pi_${uniq()}`;
      t.stripe.paymentIntents.set(pi, { id: pi, latest_charge: null } as unknown as Stripe.PaymentIntent);
      const event = stripeEventWith('checkout.session.completed', { data: { object: paidSession(checkout, pi) } });
      await expect(applyEvent(t.db, handler, event)).rejects.toBeInstanceOf(RetryLaterError);
      expect(await ledgerOf(checkout.id)).toEqual([]);
      expect((await checkoutRow(checkout.id)).status).toBe('open');
    });

    it('an expiry is read from Stripe as it is now and marks the checkout expired', async () => {
      const handler = t.module.get(CheckoutPaymentHandler);
      const checkout = await newCheckout(t.db);
      const session = {
        ...paidSession(checkout, ''),
        status: 'expired',
        payment_status: 'unpaid',
        payment_intent: null,
      };
      t.stripe.sessions.set(session.id, session as Stripe.Checkout.Session);
      const event = stripeEventWith('checkout.session.expired', { data: { object: session } });
      expect(await applyEvent(t.db, handler, event)).toBe(`checkout ${checkout.id} expired`);
      expect((await checkoutRow(checkout.id)).status).toBe('expired');
    });
  });

  describe('SubscriptionSyncHandler', () => {
    function stripeSubscription(checkoutId: string, status: string, tier?: string): Stripe.Subscription {
      return {
        id: `sub_${uniq()}`,
        object: 'subscription',
        status,
        customer: `cus_${uniq()}`,
        cancel_at_period_end: false,
        canceled_at: null,
        ended_at: null,
        metadata: { checkout_id: checkoutId },
        items: {
          data: [
            {
              current_period_start: now,
              current_period_end: now + 31 * 86400,
              quantity: 1,
              price: { id: `price_${uniq()}`, unit_amount: 1000, currency: 'aud', metadata: tier ? { tier } : {} },
            },
          ],
        },
      } as unknown as Stripe.Subscription;
    }

    it('mirrors a new subscription (the row through SubscriptionsRepository) and completes its checkout', async () => {
      const handler = t.module.get(SubscriptionSyncHandler);
      const checkout = await newCheckout(t.db, {
        purpose: 'subscription',
        frequency: 'monthly',
        tierCode: 'digital',
        amount: 500,
      });
      const sub = stripeSubscription(checkout.id, 'active', 'print');
      t.stripe.subscriptions.set(sub.id, sub);
      const outcome = await applyEvent(
        t.db,
        handler,
        stripeEventWith('customer.subscription.created', { data: { object: sub } }),
      );
      // A new print subscriber, active at once: not welcomed yet (the print welcome goes with its first print run).
      expect(outcome).toBe(`subscription ${sub.id} active; checkout ${checkout.id} complete`);
      expect(
        await t.query(`SELECT kind, dedupe_key FROM emails WHERE dedupe_key = $1`, [`welcome:subscription:${sub.id}`]),
      ).toEqual([]);
      const [row] = await t.query<SubscriptionRow>(`SELECT * FROM subscriptions WHERE stripe_subscription_id = $1`, [
        sub.id,
      ]);
      expect(row).toMatchObject({
        kind: 'subscription',
        billing: 'monthly',
        tier_code: 'print',
        amount: '1000',
        status: 'active',
        checkout_id: checkout.id,
      });
      expect(await checkoutRow(checkout.id)).toMatchObject({ status: 'complete', supporter_id: row.supporter_id });
    });

    it('a status Stripe may add later fails with RetryLaterError and leaves the row as it was', async () => {
      const handler = t.module.get(SubscriptionSyncHandler);
      const checkout = await newCheckout(t.db, { purpose: 'donation', frequency: 'monthly', amount: 1000 });
      const sub = stripeSubscription(checkout.id, 'active');
      t.stripe.subscriptions.set(sub.id, sub);
      await applyEvent(t.db, handler, stripeEventWith('customer.subscription.created', { data: { object: sub } }));
      t.stripe.subscriptions.set(sub.id, { ...sub, status: 'hibernating' as Stripe.Subscription.Status });
      const updated = stripeEventWith('customer.subscription.updated', { data: { object: sub } });
      await expect(applyEvent(t.db, handler, updated)).rejects.toBeInstanceOf(RetryLaterError);
      const [row] = await t.query<SubscriptionRow>(`SELECT * FROM subscriptions WHERE stripe_subscription_id = $1`, [
        sub.id,
      ]);
      expect(row).toMatchObject({ kind: 'monthly_donation', status: 'active' });
    });

    it('records a paid invoice from its snapshot once (monthly donation), and nothing on redelivery', async () => {
      const handler = t.module.get(SubscriptionSyncHandler);
      const checkout = await newCheckout(t.db, { purpose: 'donation', frequency: 'monthly', amount: 1000 });
      const sub = stripeSubscription(checkout.id, 'active');
      t.stripe.subscriptions.set(sub.id, sub);
      const { pi, charge } = paymentIntent(1000, 40);
      const invoice = {
        id: `in_${uniq()}`,
        object: 'invoice',
        status: 'paid',
        amount_paid: 1000,
        currency: 'aud',
        number: 'INV-1',
        billing_reason: 'subscription_create',
        status_transitions: { paid_at: now },
        parent: { subscription_details: { subscription: sub.id, metadata: { checkout_id: checkout.id } } },
      } as unknown as Stripe.Invoice;
      t.stripe.invoicePaymentIntents.set(invoice.id!, [pi]);
      const event = stripeEventWith('invoice.paid', { data: { object: invoice } });
      await applyEvent(t.db, handler, event);
      const entries = await ledgerOf(checkout.id);
      expect(entries).toEqual([
        expect.objectContaining({
          kind: 'payment',
          type: 'monthly_donation',
          gross: '1000',
          fee: '40',
          stripe_invoice_id: invoice.id,
          stripe_charge_id: charge,
        }),
      ]);
      expect(t.stripe.calls).not.toContain('retrieveInvoice');
      expect(await applyEvent(t.db, handler, { ...event, id: `evt_${uniq()}` })).toBe(
        `subscription ${sub.id} and invoice ${invoice.id} already recorded`,
      );
      expect(await ledgerOf(checkout.id)).toHaveLength(1);
    });
  });

  describe('RefundsAndDisputesHandler', () => {
    function refund(charge: string, amount: number): Stripe.Refund {
      return {
        id: `re_${uniq()}`,
        object: 'refund',
        status: 'succeeded',
        amount,
        currency: 'aud',
        charge,
        reason: null,
        created: now,
        balance_transaction: { id: `txn_${uniq()}`, fee: 0, currency: 'aud', exchange_rate: null, created: now },
      } as unknown as Stripe.Refund;
    }

    it('a prepaid period refunded in full: the refund entry, and the period ended through SubscriptionsRepository', async () => {
      const handler = t.module.get(RefundsAndDisputesHandler);
      const supporter = await newSupporter(t.db);
      const checkout = await newCheckout(t.db, {
        purpose: 'subscription',
        frequency: 'prepaid',
        tierCode: 'digital',
        prepaidMonths: 12,
        amount: 5000,
        status: 'complete',
      });
      const payment = await newPayment(t.db, {
        supporterId: supporter.id,
        checkoutId: checkout.id,
        type: 'prepaid_subscription',
        gross: 5000,
      });
      const subscriptions = t.module.get(SubscriptionsRepository);
      expect(
        await subscriptions.insertPrepaid(t.db.manager, {
          supporterId: supporter.id,
          tierCode: 'digital',
          amount: 5000,
          currency: 'AUD',
          stripeCustomerId: null,
          start: new Date(),
          months: 12,
          deliveryAddress: null,
          checkoutId: checkout.id,
          campaignId: null,
        }),
      ).toBe(true);
      const r = refund(payment.stripe_charge_id!, 5000);
      t.stripe.refundsByCharge.set(payment.stripe_charge_id!, [r]);

      const outcome = await applyEvent(t.db, handler, stripeEventWith('refund.created', { data: { object: r } }));
      expect(outcome).toBe(
        `recorded refund ${r.id} of 5000; prepaid period of checkout ${checkout.id} ended: fully given back`,
      );
      const entries = await ledgerOf(checkout.id);
      expect(entries.map((e) => [e.kind, e.gross, e.reverses_entry_id])).toEqual([
        ['payment', '5000', null],
        ['refund', '-5000', payment.id],
      ]);
      const [sub] = await t.query<SubscriptionRow>(`SELECT * FROM subscriptions WHERE checkout_id = $1`, [checkout.id]);
      expect(sub.status).toBe('ended');
      expect(sub.ended_at).not.toBeNull();
    });

    it('money out of a payment not recorded yet: PaymentNotYetRecordedError when the charge names our checkout, PermanentOutcome when not', async () => {
      const handler = t.module.get(RefundsAndDisputesHandler);
      const checkout = await newCheckout(t.db);
      const ours = `ch_${uniq()}`;
      t.stripe.refundsByCharge.set(ours, [refund(ours, 100)]);
      t.stripe.checkoutIdsByCharge.set(ours, [checkout.id]);
      const early = stripeEventWith('charge.refunded', {
        data: { object: { id: ours, object: 'charge', amount_refunded: 100 } },
      });
      await expect(applyEvent(t.db, handler, early)).rejects.toBeInstanceOf(PaymentNotYetRecordedError);

      const foreign = `ch_${uniq()}`;
      t.stripe.refundsByCharge.set(foreign, [refund(foreign, 100)]);
      const theirs = stripeEventWith('charge.refunded', {
        data: { object: { id: foreign, object: 'charge', amount_refunded: 100 } },
      });
      await expect(applyEvent(t.db, handler, theirs)).rejects.toBeInstanceOf(PermanentOutcome);
    });

    it('a dispute without its withdrawal balance transaction fails with RetryLaterError (the fee is unknown)', async () => {
      const handler = t.module.get(RefundsAndDisputesHandler);
      const supporter = await newSupporter(t.db);
      const payment = await newPayment(t.db, { supporterId: supporter.id });
      const dispute = {
        id: `dp_${uniq()}`,
        object: 'dispute',
        status: 'needs_response',
        charge: payment.stripe_charge_id,
        amount: 2500,
        currency: 'aud',
        reason: 'fraudulent',
        created: now,
        balance_transactions: [],
      } as unknown as Stripe.Dispute;
      t.stripe.disputes.set(dispute.id, dispute);
      const event = stripeEventWith('charge.dispute.created', { data: { object: dispute } });
      await expect(applyEvent(t.db, handler, event)).rejects.toBeInstanceOf(RetryLaterError);
    });
  });

  describe('ChargeFeesHandler', () => {
    it('a late fee becomes its own entry beside the payment, once', async () => {
      const handler = t.module.get(ChargeFeesHandler);
      const supporter = await newSupporter(t.db);
      const checkout = await newCheckout(t.db, { status: 'complete' });
      const payment = await newPayment(t.db, { supporterId: supporter.id, checkoutId: checkout.id });
      const charge = {
        id: payment.stripe_charge_id,
        object: 'charge',
        payment_intent: `pi_${uniq()}`,
        balance_transaction: { id: `txn_${uniq()}`, fee: 88, currency: 'aud', exchange_rate: null, created: now },
      } as unknown as Stripe.Charge;
      t.stripe.charges.set(charge.id, charge);
      const event = stripeEventWith('charge.updated', { data: { object: charge } });
      expect(await applyEvent(t.db, handler, event)).toContain(`recorded fee 88 AUD for ${charge.id}`);
      expect((await ledgerOf(checkout.id)).map((e) => [e.kind, e.gross, e.fee, e.net])).toEqual([
        ['payment', '2500', '0', '2500'],
        ['fee', '0', '88', '-88'],
      ]);
      expect(await applyEvent(t.db, handler, { ...event, id: `evt_${uniq()}` })).toBe(
        `fee of ${charge.id} already recorded`,
      );
    });
  });

  describe("the tables' owners", () => {
    it('SupporterRecordsService.findOrCreateForPhone answers the survivor of a merged record; no email, a new record', async () => {
      const records = t.module.get(SupporterRecordsService);
      const survivor = await newSupporter(t.db);
      const merged = await newSupporter(t.db, { phone: null });
      await records.merge(survivor.id, merged.id, { staffId: null, label: 'test' });
      const id = await records.findOrCreateForPhone(t.db.manager, {
        name: 'Other Name',
        email: merged.email!.toUpperCase(),
        phone: '0400 000 000',
      });
      expect(id).toBe(survivor.id);
      const [row] = await t.query<SupporterRow>(`SELECT * FROM supporters WHERE id = $1`, [merged.id]);
      expect(row).toMatchObject({ merged_into: survivor.id, name: 'A Reader', phone: '0400 000 000' });
      const a = await records.findOrCreateForPhone(t.db.manager, { name: 'No Email' });
      const b = await records.findOrCreateForPhone(t.db.manager, { name: 'No Email' });
      expect(a).not.toBe(b);
    });

    it('CheckoutsRepository.expireIfOpen expires only an open checkout', async () => {
      const checkouts = t.module.get(CheckoutsRepository);
      const open = await newCheckout(t.db);
      const complete = await newCheckout(t.db, { status: 'complete' });
      expect(await checkouts.expireIfOpen(open.id)).toBe(true);
      expect(await checkouts.expireIfOpen(open.id)).toBe(false);
      expect(await checkouts.expireIfOpen(complete.id)).toBe(false);
      expect((await checkoutRow(open.id)).status).toBe('expired');
      expect((await checkoutRow(complete.id)).status).toBe('complete');
    });
  });
});
