import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { BoundedCache } from './bounded-cache';
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
 * a tier's monthly and prepaid prices (a bounded set, changed by admins), and a tier's new price only affects new sign-ups
 * (existing subscriptions keep the price they were created with). Prices are found by lookup key
 * (also in Stripe, so a lost local row is recovered) and created with an idempotency key.
 */
/** A product that ad-hoc prices hang on (a monthly donation of any amount), with our own id. */
export interface SharedProductSpec {
  id: string;
  name: string;
  metadata?: Record<string, string>;
}

/** Monthly donations of any amount: one product, the amount an inline `price_data` at Checkout. */
export const MONTHLY_DONATION_PRODUCT: SharedProductSpec = {
  id: 'monthly_donation',
  name: 'Monthly donation',
  metadata: { purpose: 'monthly_donation' },
};

/** Entries kept in memory; the catalogue itself is bounded (tier prices, set by admins), this is only a guard. */
const CACHE_CAPACITY = 256;

@Injectable()
export class StripePriceCatalog {
  private readonly cache = new BoundedCache<string, string>(CACHE_CAPACITY);
  private readonly knownProducts = new BoundedCache<string, true>(CACHE_CAPACITY);

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
          const product = await this.stripe.createProduct(
            { name: spec.productName, metadata: { purpose: spec.purpose, ...spec.metadata } },
            `product:${key}`,
          );
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
        {
          lookupKey: key,
          stripePriceId: price.id,
          stripeProductId: typeof price.product === 'string' ? price.product : price.product.id,
          amount: spec.amount,
          currency: spec.currency.toUpperCase(),
          recurring: spec.recurring,
        },
        ['lookupKey'],
      );
    }
    this.cache.set(key, priceId);
    return priceId;
  }

  /**
   * The id of a product that exists and is active on Stripe, created once (with our own id, so that
   * every instance finds the same one without a table) the first time it is needed. Prices for
   * amounts readers choose are never created ahead: Checkout's `price_data` makes an inline price
   * that only exists with the session, so an anonymous request adds nothing to the catalogue.
   */
  async sharedProduct(spec: SharedProductSpec): Promise<string> {
    if (this.knownProducts.get(spec.id)) return spec.id;
    let product = await this.stripe.retrieveProduct(spec.id);
    // Created by a concurrent request meanwhile: then it exists.
    product ??=
      (await this.stripe.createProductWithId({ id: spec.id, name: spec.name, metadata: spec.metadata ?? {} })) ??
      (await this.stripe.retrieveProduct(spec.id));
    if (!product) throw new Error(`Stripe product ${spec.id} could be neither created nor found`);
    if (!product.active) await this.stripe.updateProduct(spec.id, { active: true });
    this.knownProducts.set(spec.id, true);
    return spec.id;
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
