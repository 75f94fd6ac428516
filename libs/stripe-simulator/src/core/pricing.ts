/**
 * Money rules of the simulated account: Stripe's standard Australian pricing. Amounts are
 * integer minor units (cents) throughout.
 */

/** Domestic card: 1.7% + 30c, rounded half up to the cent, in integer arithmetic. */
export function cardProcessingFee(amount: number): number {
  return Math.floor((amount * 17 + 500) / 1000) + 30;
}

/** Fee withdrawn with a disputed amount, and returned when the dispute is won. */
export const DISPUTE_FEE = 2500;

/** A card payment's funds become available this many days after the charge. */
export const PAYOUT_DELAY_DAYS = 2;

/** Stripe's smallest chargeable amount (about 50 US cents) per currency; 50 minor units otherwise. */
const MINIMUM_CHARGE: Record<string, number> = {
  gbp: 30,
  hkd: 400,
  jpy: 50,
  mxn: 1000,
  czk: 1500,
  dkk: 250,
  nok: 300,
  sek: 300,
  huf: 17500,
  inr: 50,
};
export const minimumChargeAmount = (currency: string): number => MINIMUM_CHARGE[currency] ?? 50;

/** Stripe's largest amount for one payment (eight digits). */
export const MAXIMUM_CHARGE_AMOUNT = 99_999_999;

export const DAY_SECONDS = 86_400;
