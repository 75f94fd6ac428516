import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintToNumber } from '@app/database';

@Entity('tiers')
export class Tier {
  @PrimaryColumn('text')
  code: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('char', { length: 3 })
  currency: string;

  @Column('bigint', { name: 'monthly_amount', transformer: bigintToNumber })
  monthlyAmount: number;

  @Column('integer', { name: 'prepaid_months' })
  prepaidMonths: number;

  @Column('bigint', { name: 'prepaid_amount', transformer: bigintToNumber })
  prepaidAmount: number;

  @Column('boolean', { name: 'requires_delivery_address' })
  requiresDeliveryAddress: boolean;

  /** What an active subscriber of this tier gets, e.g. print → {print, digital}. */
  @Column('text', { array: true })
  entitlements: string[];

  @Column('integer', { name: 'sort_order' })
  sortOrder: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
