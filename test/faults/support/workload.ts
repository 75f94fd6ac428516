import type Stripe from 'stripe';
import { between, rng, shuffled } from './rng';
import { type Sim } from './sim';

const DAY = 86400;
const ADDRESS = { line1: '1 Example St', city: 'Sydney', state: 'NSW', postalCode: '2000', country: 'AU' };

/** An event as Stripe sends it (the simulator's `delivery` bookkeeping removed). */
export interface WireEvent {
  id: string;
  type: string;
  created: number;
  data: { object: { id: string; object: string } };
  [key: string]: unknown;
}

export type EntryType = 'donation' | 'monthly_donation' | 'subscription' | 'prepaid_subscription';

export interface WorkloadPlan {
  tag: string;
  seed: number;
  oneOff: number;
  monthlyDonations: number;
  tierSubscriptions: number;
  prepaid: number;
  /** Clock advances of 31 days (renewals). */
  months: number;
  /** One-off payments refunded (some in full, some in part, some in two parts). */
  refunds: number;
  /** Subscriptions set to cancel at period end before the last month. */
  cancels: number;
  /** Subscribers whose card declines before the last month (renewal fails: past due, then cancelled). */
  declines: number;
}

export interface Workload {
  plan: WorkloadPlan;
  /** Every event the simulator made, oldest first (Stripe's `created` order). */
  events: WireEvent[];
  /** What each paying customer's payments are in the ledger, and the email they gave. */
  customers: Map<string, { type: EntryType; email: string }>;
  checkouts: number;
  refundsMade: number;
}

interface Made {
  checkoutId: string;
  sessionId: string;
  type: EntryType;
  email: string;
}

/** Runs `fn` over `items`, `concurrency` at a time. */
export async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i], i);
      }
    }),
  );
  return out;
}

async function post(baseUrl: string, path: string, body: unknown): Promise<{ id: string; checkoutUrl: string }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`POST ${path} -> ${res.status} ${text}`);
  return JSON.parse(text);
}

/**
 * Real payments through the service and the simulator, with webhook delivery off: readers give
 * one-off and monthly donations and subscribe (monthly and prepaid) through the service's API and
 * pay on the simulator's checkout; the clock runs months forward (renewals, a few cancellations
 * and declined renewals); some one-off payments are refunded. Answers every event Stripe made, to
 * be delivered by the test, and what each customer's payments are.
 */
export async function generateWorkload(baseUrl: string, sim: Sim, plan: WorkloadPlan): Promise<Workload> {
  const random = rng(plan.seed);
  const wanted: Array<{ path: string; body: Record<string, unknown>; type: EntryType; email: string }> = [];
  const email = (kind: string, i: number) => `${plan.tag}-${kind}-${i}@example.com`;
  for (let i = 0; i < plan.oneOff; i++) {
    wanted.push({
      path: '/api/donations',
      type: 'donation',
      email: email('gift', i),
      body: { amount: between(random, 5, 400) * 50, frequency: 'one_off', name: `Giver ${i}` },
    });
  }
  for (let i = 0; i < plan.monthlyDonations; i++) {
    wanted.push({
      path: '/api/donations',
      type: 'monthly_donation',
      email: email('monthly', i),
      body: { amount: between(random, 2, 40) * 250, frequency: 'monthly', name: `Monthly ${i}` },
    });
  }
  for (let i = 0; i < plan.tierSubscriptions; i++) {
    const print = random() < 0.4;
    wanted.push({
      path: '/api/subscriptions',
      type: 'subscription',
      email: email('sub', i),
      body: {
        tier: print ? 'print' : 'digital',
        billing: 'monthly',
        name: `Subscriber ${i}`,
        ...(print ? { deliveryAddress: ADDRESS } : {}),
      },
    });
  }
  for (let i = 0; i < plan.prepaid; i++) {
    wanted.push({
      path: '/api/subscriptions',
      type: 'prepaid_subscription',
      email: email('prepaid', i),
      body: { tier: 'digital', billing: 'prepaid', months: 12, name: `Prepaid ${i}` },
    });
  }

  const made: Made[] = await pool(wanted, 8, async (w) => {
    const res = await post(baseUrl, w.path, { ...w.body, email: w.email });
    const sessionId = new URL(res.checkoutUrl).pathname.split('/').pop()!;
    if (!sessionId.startsWith('cs_')) throw new Error(`unexpected checkout URL ${res.checkoutUrl}`);
    return { checkoutId: res.id, sessionId, type: w.type, email: w.email };
  });
  await pool(made, 8, (m) => sim.control('POST', `/_simulator/checkout/sessions/${m.sessionId}/complete`, {}));

  // Indexed by what was asked for (not by Stripe's random ids), so that a seed picks the same ones.
  const customers = new Map<string, { type: EntryType; email: string }>();
  const chargeOf: Array<string | undefined> = [];
  const subscriptionOf: Array<string | undefined> = [];
  await pool(made, 8, async (m, i) => {
    const session = await sim.stripe.checkout.sessions.retrieve(m.sessionId, { expand: ['payment_intent'] });
    const customer = typeof session.customer === 'string' ? session.customer : session.customer?.id;
    if (!customer) throw new Error(`session ${m.sessionId} paid without a customer`);
    customers.set(customer, { type: m.type, email: m.email });
    if (m.type === 'donation') {
      const pi = session.payment_intent as Stripe.PaymentIntent;
      const charge = typeof pi.latest_charge === 'string' ? pi.latest_charge : pi.latest_charge?.id;
      if (!charge) throw new Error(`session ${m.sessionId} paid without a charge`);
      chargeOf[i] = charge;
    }
    if (session.subscription) {
      subscriptionOf[i] = typeof session.subscription === 'string' ? session.subscription : session.subscription.id;
    }
  });
  const charges = chargeOf.filter((c): c is string => !!c);
  const subscriptions = subscriptionOf.filter((s): s is string => !!s);

  // Months go by: every subscription renews; before the last month some readers cancel at
  // period end and some cards start declining.
  const picked = shuffled(subscriptions, random);
  for (let month = 1; month <= plan.months; month++) {
    if (month === plan.months) {
      await pool(picked.slice(0, plan.cancels), 4, (id) =>
        sim.stripe.subscriptions.update(id, { cancel_at_period_end: true }),
      );
      await pool(picked.slice(plan.cancels, plan.cancels + plan.declines), 4, async (id) => {
        const sub = await sim.stripe.subscriptions.retrieve(id);
        await sim.control('POST', `/_simulator/customers/${sub.customer as string}/card`, { fail: true });
      });
    }
    await sim.control('POST', '/_simulator/clock/advance', { seconds: 31 * DAY });
    await sim.control('POST', '/_simulator/flush', { fast_forward: true });
  }

  // Refunds: in full, in part, or in two parts.
  let refundsMade = 0;
  const toRefund = shuffled(charges, random).slice(0, plan.refunds);
  const plans = toRefund.map((charge, i) => ({ charge, how: i % 3 }));
  await pool(plans, 4, async ({ charge, how }) => {
    const { amount } = await sim.stripe.charges.retrieve(charge);
    if (how === 0) {
      await sim.control('POST', `/_simulator/charges/${charge}/refund`, {});
      refundsMade++;
    } else if (how === 1) {
      await sim.control('POST', `/_simulator/charges/${charge}/refund`, {
        amount: Math.max(1, Math.floor(amount / 3)),
      });
      refundsMade++;
    } else {
      await sim.control('POST', `/_simulator/charges/${charge}/refund`, {
        amount: Math.floor(amount / 2),
        reason: 'requested_by_customer',
      });
      await sim.control('POST', `/_simulator/charges/${charge}/refund`, {});
      refundsMade += 2;
    }
  });
  await sim.control('POST', '/_simulator/flush', { fast_forward: true });
  await sim.sim.idle();

  const all = await sim.control<Array<WireEvent & { delivery?: unknown }>>('GET', '/_simulator/events');
  const events = all.map(({ delivery: _delivery, ...event }) => event as WireEvent);
  return { plan, events, customers, checkouts: made.length, refundsMade };
}
