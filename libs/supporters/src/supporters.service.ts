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

@Injectable()
export class SupportersService {
  constructor(@InjectRepository(Supporter) private readonly supporters: Repository<Supporter>) {}

  /**
   * One supporter per email, case-insensitively: inserts or returns the existing row, race-free
   * (the unique index on lower(email) arbitrates concurrent callers). A known name is kept;
   * a missing one is filled in.
   */
  async findOrCreateByEmail(details: SupporterDetails, manager: EntityManager = this.supporters.manager): Promise<Supporter> {
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
    return hydrate(manager, Supporter, rows[0]);
  }

  findById(id: string): Promise<Supporter | null> {
    return isUuid(id) ? this.supporters.findOneBy({ id }) : Promise.resolve(null);
  }

  findByEmail(email: string): Promise<Supporter | null> {
    return this.supporters.createQueryBuilder('s').where('lower(s.email) = lower(:email)', { email: email.trim() }).getOne();
  }
}
