/**
 * The simulated account settles like an Australian Stripe account: every balance transaction is
 * in AUD. A charge, refund or dispute in another currency is converted: the balance transaction's
 * `amount` is the converted amount (rounded to the cent), its `exchange_rate` the rate used, and
 * its fees are in AUD (Stripe's pricing applies to the settled amount). Each conversion uses the
 * rate of the moment (here: fixed), so a refund may settle to a different AUD amount than its charge.
 */
export const SETTLEMENT_CURRENCY = 'aud';

/**
 * Fixed rates (one major unit of the currency in AUD), so that tests can compute what they
 * expect. Stripe's own rates move; these do not.
 */
const AUD_PER_UNIT: Record<string, number> = {
  usd: 1.5,
  eur: 1.64,
  gbp: 1.92,
  nzd: 0.91,
  cad: 1.1,
  sgd: 1.14,
  hkd: 0.19,
  jpy: 0.0102,
};

/** Currencies whose minor unit is the major unit (Stripe's zero-decimal currencies we rate). */
const ZERO_DECIMAL = new Set(['jpy']);

export interface Settled {
  /** In minor units of SETTLEMENT_CURRENCY. */
  amount: number;
  currency: string;
  /** null when nothing was converted. As on Stripe: amount in the original currency × rate = settled amount. */
  exchangeRate: number | null;
}

/** `amount` (minor units of `currency`) as it lands in the AUD balance. */
export function settle(amount: number, currency: string): Settled {
  const from = currency.toLowerCase();
  if (from === SETTLEMENT_CURRENCY) return { amount, currency: SETTLEMENT_CURRENCY, exchangeRate: null };
  const perUnit = AUD_PER_UNIT[from];
  // A currency without a rate here stays as it is (as if the account held a balance in it).
  if (perUnit === undefined) return { amount, currency: from, exchangeRate: null };
  // The rate between minor units, as Stripe states it: exchange_rate × amount = settled amount.
  const rate = ZERO_DECIMAL.has(from) ? perUnit * 100 : perUnit;
  // Rounded half away from zero, the same for money in and out.
  return {
    amount: Math.sign(amount) * Math.round(Math.abs(amount) * rate),
    currency: SETTLEMENT_CURRENCY,
    exchangeRate: rate,
  };
}
