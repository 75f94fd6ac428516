import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

@Entity('supporters')
export class Supporter {
  @PrimaryColumn('uuid')
  id: string;

  /** Unique case-insensitively (index on lower(email)). */
  @Column('text', { nullable: true })
  email: string | null;

  @Column('text', { nullable: true })
  name: string | null;

  @Column('text', { nullable: true })
  phone: string | null;

  @Column('jsonb', { nullable: true })
  address: Record<string, string> | null;

  @Column('text', { nullable: true })
  notes: string | null;

  /** Whether receipts are emailed (staff turn them off on request). */
  @Column('boolean', { name: 'email_receipts', default: true })
  emailReceipts: boolean;

  /** The reader's choice about non-essential email (welcome, prepaid-ending reminders, bulk statements). */
  @Column('boolean', { name: 'email_updates', default: true })
  emailUpdates: boolean;

  /** A merged record points at the survivor; everything keyed to it is read as the survivor's. */
  @Column('uuid', { name: 'merged_into', nullable: true })
  mergedInto: string | null;

  @Column('text', { name: 'stripe_customer_id', nullable: true })
  stripeCustomerId: string | null;

  /** Set when the supporter's personal data was erased on request (the row is then a tombstone). */
  @Column('timestamptz', { name: 'erased_at', nullable: true })
  erasedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
