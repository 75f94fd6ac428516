import { isUuid } from '@app/common';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { hydrate, sql } from '@app/database';
import { Supporter } from './supporter.entity';

export interface SupporterDetails {
  email: string;
  name?: string | null;
  stripeCustomerId?: string | null;
}

/**
 * The supporter the webhook handlers find or create by email (with their transaction's manager),
 * the reader's email-updates switch, and reads by id and email. It is one of three writers of
 * `supporters`: staff edits, merges and the phone line's callers go through
 * SupporterRecordsService, and erasure through SupporterPrivacyService.
 */
@Injectable()
export class SupportersService {
  constructor(@InjectRepository(Supporter) private readonly supporters: Repository<Supporter>) {}

  /**
   * One supporter per email, case-insensitively: inserts or returns the existing row, race-free
   * (the unique index on lower(email) arbitrates concurrent callers). A known name is kept;
   * a missing one is filled in. A record merged into another answers the survivor.
   */
  async findOrCreateByEmail(
    details: SupporterDetails,
    manager: EntityManager = this.supporters.manager,
  ): Promise<Supporter> {
    const email = details.email.trim();
    const rows = await sql(
      manager,
      `INSERT INTO supporters (email, name, stripe_customer_id)
       VALUES ($1, $2, $3)
       ON CONFLICT ((lower(email))) DO UPDATE
         SET name = COALESCE(supporters.name, EXCLUDED.name),
             stripe_customer_id = COALESCE(supporters.stripe_customer_id, EXCLUDED.stripe_customer_id),
             updated_at = CASE WHEN supporters.name IS NULL AND EXCLUDED.name IS NOT NULL
                                 OR supporters.stripe_customer_id IS NULL AND EXCLUDED.stripe_customer_id IS NOT NULL
                               THEN now() ELSE supporters.updated_at END
       RETURNING *`,
      [email, details.name?.trim() || null, details.stripeCustomerId ?? null],
    );
    const found = hydrate(manager, Supporter, rows[0]);
    return found.mergedInto ? this.survivor(found.mergedInto, manager) : found;
  }

  /** The survivor a merged record points at (merges never chain). */
  private async survivor(id: string, manager: EntityManager): Promise<Supporter> {
    const rows = await sql(manager, `SELECT * FROM supporters WHERE id = $1`, [id]);
    return hydrate(manager, Supporter, rows[0]);
  }

  findById(id: string, manager: EntityManager = this.supporters.manager): Promise<Supporter | null> {
    return isUuid(id) ? manager.findOneBy(Supporter, { id }) : Promise.resolve(null);
  }

  /** The supporter with this email (case-insensitively), or the survivor of a merge it is part of. */
  async findByEmail(email: string): Promise<Supporter | null> {
    const found = await this.supporters
      .createQueryBuilder('s')
      .where('lower(s.email) = lower(:email)', { email: email.trim() })
      .getOne();
    return found?.mergedInto ? this.survivor(found.mergedInto, this.supporters.manager) : found;
  }

  /** The reader's own switch for non-essential email (welcome, reminders, bulk statements); receipts are sent whatever it says. */
  async setEmailUpdates(id: string, on: boolean, manager: EntityManager = this.supporters.manager): Promise<void> {
    await manager.query(
      `UPDATE supporters SET email_updates = $2, updated_at = now() WHERE id = $1 AND email_updates IS DISTINCT FROM $2`,
      [id, on],
    );
  }

  /** A supporter's id and those of the records merged into it: whatever is keyed to any of them is theirs. */
  async groupIds(id: string): Promise<string[]> {
    const rows = await this.supporters.query(
      `SELECT id FROM supporters WHERE id = $1 UNION ALL SELECT id FROM supporters WHERE merged_into = $1`,
      [id],
    );
    return (rows as Array<{ id: string }>).map((r) => r.id);
  }
}
