import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const STAFF_ROLES = ['phone', 'finance', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

@Entity('staff')
export class StaffMember {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text')
  name: string;

  @Column('text')
  role: StaffRole;

  @Column('text', { name: 'password_hash', select: false })
  passwordHash: string;

  @Column('timestamptz', { name: 'disabled_at', nullable: true })
  disabledAt: Date | null;

  /** The password was given to them (invitation, reset): their tokens allow only a password change. */
  @Column('boolean', { name: 'password_must_change', default: false })
  passwordMustChange: boolean;

  /** In every access token; raised by a password change, a reset or disabling, which refuses older tokens. */
  @Column('integer', { name: 'token_version', default: 0 })
  tokenVersion: number;

  @Column('timestamptz', { name: 'password_changed_at', nullable: true })
  passwordChangedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
