import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintToNumber } from '@app/database';

/** A Stripe price we created, by its lookup key (e.g. `monthly_donation:aud:750`). */
@Entity('stripe_prices')
export class StripePriceRecord {
  @PrimaryColumn('text', { name: 'lookup_key' })
  lookupKey: string;

  @Column('text', { name: 'stripe_price_id' })
  stripePriceId: string;

  @Column('text', { name: 'stripe_product_id' })
  stripeProductId: string;

  @Column('bigint', { transformer: bigintToNumber })
  amount: number;

  @Column('char', { length: 3 })
  currency: string;

  @Column('boolean')
  recurring: boolean;
}
