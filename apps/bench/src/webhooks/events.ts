/**
 * The events: what the plan calls for (one-off donations, prepaid periods, subscriptions and
 * monthly donations, refunds, renewals) made through the service and paid on the simulator; then
 * every event the simulator made, in Stripe's order.
 */
import { performance } from 'node:perf_hooks';
import Stripe from 'stripe';
import { fmt, log } from '../bench-support';
import { DAY, EVENTS_PER, SETUP_CONCURRENCY, SHARE } from './config';
import { inParallel, json } from './helpers';

// ---------------------------------------------------------------- 1. the objects and their events

export interface SimEvent {
  id: string;
  type: string;
  created: number;
  data: { object: Record<string, unknown> & { id: string; object: string } };
  delivery?: unknown;
}

export interface Plan {
  oneOff: number;
  prepaid: number;
  tierSubscriptions: number;
  monthlyDonations: number;
  refunds: number;
}

export function plan(events: number): Plan {
  const payments = Math.max(2, Math.round((events * SHARE.payments) / EVENTS_PER.payment));
  const subscriptions = Math.max(
    2,
    Math.round((events * SHARE.subscriptions) / (EVENTS_PER.subscriptionStart + EVENTS_PER.renewal)),
  );
  const prepaid = Math.max(1, Math.round(payments * 0.1));
  const oneOff = payments - prepaid;
  const refunds = Math.min(
    Math.round(oneOff * 0.8),
    Math.max(1, Math.round((events * SHARE.refunds) / EVENTS_PER.refund)),
  );
  const monthlyDonations = Math.round(subscriptions / 2);
  return { oneOff, prepaid, tierSubscriptions: subscriptions - monthlyDonations, monthlyDonations, refunds };
}

export const ADDRESS = { line1: '1 Bench Street', city: 'Sydney', state: 'NSW', postalCode: '2000', country: 'AU' };

export interface Phase {
  key: string;
  name: string;
  from: number;
  to: number;
}

export async function makeEvents(
  service: string,
  sim: string,
  p: Plan,
): Promise<{ events: SimEvent[]; phases: Phase[]; setupSeconds: number }> {
  const t0 = performance.now();
  const stripe = (() => {
    const u = new URL(sim);
    return new Stripe('sk_test_bench', {
      host: u.hostname,
      port: Number(u.port),
      protocol: 'http',
      maxNetworkRetries: 2,
    });
  })();
  const eventCount = async () => (await json<SimEvent[]>(`${sim}/_simulator/events`)).length;
  const flush = () => json(`${sim}/_simulator/flush`, 'POST', { fast_forward: true });
  const phases: Phase[] = [];
  let mark = await eventCount();
  if (mark) phases.push({ key: 'startup', name: 'service start-up (products, prices)', from: 0, to: mark });
  const endPhase = async (key: string, name: string) => {
    await flush();
    const n = await eventCount();
    phases.push({ key, name, from: mark, to: n });
    mark = n;
  };

  /** Opens a checkout through the service and pays it with the simulator's control. */
  const checkout = async (route: string, body: Record<string, unknown>) => {
    const { checkoutUrl } = await json<{ id: string; checkoutUrl: string }>(`${service}${route}`, 'POST', body, [201]);
    const sessionId = new URL(checkoutUrl).pathname.split('/').pop()!;
    await json(`${sim}/_simulator/checkout/sessions/${sessionId}/complete`, 'POST', {});
  };

  // One-off donations and prepaid periods (payment mode).
  const amounts = [500, 1000, 2000, 2500, 5000, 10000, 1500, 3000];
  const payments = [
    ...Array.from(
      { length: p.oneOff },
      (_, i) => () =>
        checkout('/api/donations', {
          amount: amounts[i % amounts.length] + (i % 7) * 100,
          frequency: 'one_off',
          email: `donor${i}@bench.example.org`,
          name: `Donor ${i}`,
        }),
    ),
    ...Array.from(
      { length: p.prepaid },
      (_, i) => () =>
        checkout(
          '/api/subscriptions',
          i % 2
            ? {
                tier: 'print',
                billing: 'prepaid',
                months: 12,
                email: `prepaid${i}@bench.example.org`,
                name: `Prepaid ${i}`,
                deliveryAddress: ADDRESS,
              }
            : {
                tier: 'digital',
                billing: 'prepaid',
                months: 12,
                email: `prepaid${i}@bench.example.org`,
                name: `Prepaid ${i}`,
              },
        ),
    ),
  ];
  log(
    `  ${fmt(p.oneOff)} one-off donations and ${fmt(p.prepaid)} prepaid periods: checkout through the service, paid on the simulator ...`,
  );
  await inParallel(payments, SETUP_CONCURRENCY, (f) => f());
  await endPhase('payments', 'one-off donations and prepaid periods');

  // Monthly subscriptions and monthly donations (subscription mode). The first of each price alone
  // (the service makes one Stripe price per amount on first use).
  const monthlyAmounts = [500, 1000, 2500];
  const subs = [
    ...Array.from(
      { length: p.tierSubscriptions },
      (_, i) => () =>
        checkout(
          '/api/subscriptions',
          i % 3 === 2
            ? {
                tier: 'print',
                billing: 'monthly',
                email: `subscriber${i}@bench.example.org`,
                name: `Subscriber ${i}`,
                deliveryAddress: ADDRESS,
              }
            : {
                tier: 'digital',
                billing: 'monthly',
                email: `subscriber${i}@bench.example.org`,
                name: `Subscriber ${i}`,
              },
        ),
    ),
    ...Array.from(
      { length: p.monthlyDonations },
      (_, i) => () =>
        checkout('/api/donations', {
          amount: monthlyAmounts[i % monthlyAmounts.length],
          frequency: 'monthly',
          email: `monthly${i}@bench.example.org`,
          name: `Monthly ${i}`,
        }),
    ),
  ];
  log(
    `  ${fmt(p.tierSubscriptions)} monthly subscriptions and ${fmt(p.monthlyDonations)} monthly donations: checkout, paid ...`,
  );
  const firsts = [0, 1, 2, p.tierSubscriptions, p.tierSubscriptions + 1, p.tierSubscriptions + 2].filter(
    (i) => i < subs.length,
  );
  for (const i of firsts) await subs[i]();
  await inParallel(
    subs.filter((_, i) => !firsts.includes(i)),
    SETUP_CONCURRENCY,
    (f) => f(),
  );
  await endPhase('signups', 'subscription and monthly donation sign-ups');

  // Refunds of one-off donations: two in three full, one in three half.
  const all = await json<SimEvent[]>(`${sim}/_simulator/events`);
  const donationIntents = new Set(
    all
      .filter(
        (e) =>
          e.type === 'checkout.session.completed' &&
          e.data.object.mode === 'payment' &&
          (e.data.object.metadata as Record<string, string> | null)?.purpose === 'donation',
      )
      .map((e) => e.data.object.payment_intent as string),
  );
  const charges = all
    .filter((e) => e.type === 'charge.succeeded' && donationIntents.has(e.data.object.payment_intent as string))
    .map((e) => ({ id: e.data.object.id, amount: e.data.object.amount as number }));
  const toRefund = charges
    .filter((_, i) => i % Math.max(1, Math.floor(charges.length / p.refunds)) === 0)
    .slice(0, p.refunds);
  log(`  ${fmt(toRefund.length)} refunds (stripe SDK against the simulator) ...`);
  await inParallel(toRefund, SETUP_CONCURRENCY, async (c, i) => {
    await stripe.refunds.create({
      charge: c.id,
      ...(i % 3 === 2 ? { amount: Math.floor(c.amount / 2) } : {}),
      reason: 'requested_by_customer',
    });
  });
  await endPhase('refunds', 'refunds');

  log('  one renewal of every subscription (simulator clock + 31 days) ...');
  await json(`${sim}/_simulator/clock/advance`, 'POST', { seconds: 31 * DAY });
  await endPhase('renewals', 'subscription renewals (invoices)');

  const events = (await json<SimEvent[]>(`${sim}/_simulator/events`)).map((e) => {
    delete e.delivery;
    return e;
  });
  return { events, phases, setupSeconds: (performance.now() - t0) / 1000 };
}
