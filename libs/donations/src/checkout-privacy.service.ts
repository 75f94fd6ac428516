import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { DomainError } from '@app/common';
import { Checkout } from './checkout.entity';
import { CheckoutSessionsService } from './checkout-sessions.service';
import { CheckoutsRepository } from './checkouts.repository';

/**
 * The checkouts table's side of privacy requests. A checkout names its reader by the email and
 * name they typed (and, for print, a delivery address), whether or not it was paid.
 */
@Injectable()
export class CheckoutPrivacyService {
  constructor(
    @InjectRepository(Checkout) private readonly checkouts: Repository<Checkout>,
    private readonly sessions: CheckoutSessionsService,
    private readonly repository: CheckoutsRepository,
  ) {}

  /** The supporter's checkouts: linked to them, or made with one of their email addresses. */
  checkoutsOf(supporterId: string, addresses: string[], manager?: EntityManager): Promise<Checkout[]> {
    return (manager ?? this.checkouts.manager)
      .createQueryBuilder(Checkout, 'c')
      .where('c.supporter_id = :supporterId', { supporterId })
      .orWhere('lower(c.email) = ANY(:addresses)', { addresses: addresses.map((a) => a.toLowerCase()) })
      .orderBy('c.created_at')
      .addOrderBy('c.id')
      .getMany();
  }

  /**
   * Expires the supporter's open checkouts on Stripe, so no payment can arrive for a record
   * about to lose its email. One paid meanwhile refuses (409 `ERASURE_PAYMENT_IN_FLIGHT`): its
   * payment is on its way by webhook; try again once it is recorded.
   */
  async closeOpen(supporterId: string, addresses: string[]): Promise<void> {
    const open = (await this.checkoutsOf(supporterId, addresses)).filter(
      (c) => c.status === 'open' || c.status === 'creating',
    );
    for (const checkout of open) {
      const expired = await this.sessions.expire(this.checkouts.manager, checkout, 'supporter erased');
      if (!expired) {
        throw new DomainError(
          'ERASURE_PAYMENT_IN_FLIGHT',
          `checkout ${checkout.id} was just paid and its payment is not recorded yet; try again shortly`,
          'id',
        );
      }
    }
  }

  /** Replaces the email, name and delivery address of these checkouts (CheckoutsRepository.scrub); answers how many. */
  scrub(ids: string[], manager: EntityManager): Promise<number> {
    return this.repository.scrub(ids, manager);
  }
}
