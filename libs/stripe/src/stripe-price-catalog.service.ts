import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { StripeGateway } from './stripe.gateway';
import { StripePriceRecord } from './stripe-price.entity';

export interface PriceSpec {
  /** What the price is for; part of the lookup key (`monthly_donation`, `tier_digital_monthly`, …). */
  purpose: string;
  productName: string;
  amount: number;
  currency: string;
  recurring: boolean;
  metadata?: Record<string, string>;
}

export function lookupKeyFor(spec: Pick<PriceSpec, 'purpose' | 'amount' | 'currency' | 'recurring'>): string {
  return `${spec.purpose}:${spec.currency.toLowerCase()}:${spec.amount}:${spec.recurring ? 'month' : 'once'}`;
}

/**
 * One Stripe price per (purpose, amount, currency, interval), reused by everyone who pays that:
 * monthly donations of 7.50 share a price, and a tier's new price only affects new sign-ups
 * (existing subscriptions keep the price they were created with). Prices are found by lookup key
 * (also in Stripe, so a lost local row is recovered) and created with an idempotency key.
 */
@Injectable()
export class StripePriceCatalog {
  private readonly cache = new Map<string, string>();

  constructor(
    private readonly stripe: StripeGateway,
    @InjectRepository(StripePriceRecord) private readonly prices: Repository<StripePriceRecord>,
  ) {}

  async priceFor(spec: PriceSpec): Promise<string> {
    const key = lookupKeyFor(spec);
    const cached = this.cache.get(key);
    if (cached) return cached;
    const row = await this.prices.findOneBy({ lookupKey: key });
    let priceId = row?.stripePriceId;
    if (priceId && !(await this.stillExists(priceId))) priceId = undefined;
    if (!priceId) {
      const existing = await this.stripe.findPriceByLookupKey(key);
      const price =
        existing ??
        (await (async () => {
          const product = await this.stripe.createProduct({ name: spec.productName, metadata: { purpose: spec.purpose, ...spec.metadata } }, `product:${key}`);
          return this.stripe.createPrice(
            {
              product: product.id,
              currency: spec.currency.toLowerCase(),
              unit_amount: spec.amount,
              lookup_key: key,
              metadata: { purpose: spec.purpose, ...spec.metadata },
              ...(spec.recurring ? { recurring: { interval: 'month' as const } } : {}),
            },
            `price:${key}`,
          );
        })());
      priceId = price.id;
      await this.prices.upsert(
        { lookupKey: key, stripePriceId: price.id, stripeProductId: typeof price.product === 'string' ? price.product : price.product.id, amount: spec.amount, currency: spec.currency.toUpperCase(), recurring: spec.recurring },
        ['lookupKey'],
      );
    }
    this.cache.set(key, priceId);
    return priceId;
  }

  /** A stored price may be gone when Stripe is a fresh simulator; real Stripe never deletes prices. */
  private async stillExists(priceId: string): Promise<boolean> {
    try {
      const price = await this.stripe.retrievePrice(priceId);
      return price.active;
    } catch {
      return false;
    }
  }
}
