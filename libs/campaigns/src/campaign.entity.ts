import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintToNumber } from '@app/database';

@Entity('campaigns')
export class Campaign {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text', { unique: true })
  slug: string;

  @Column('text')
  title: string;

  @Column('char', { length: 3 })
  currency: string;

  /** Minor units. */
  @Column('bigint', { name: 'target_amount', transformer: bigintToNumber })
  targetAmount: number;

  @Column('timestamptz', { name: 'starts_at' })
  startsAt: Date;

  @Column('timestamptz', { name: 'ends_at', nullable: true })
  endsAt: Date | null;

  /** Which ledger types count toward `raised`. */
  @Column('text', { name: 'counted_types', array: true })
  countedTypes: string[];

  @Column('boolean', { name: 'is_current' })
  isCurrent: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
