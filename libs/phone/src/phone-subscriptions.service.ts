import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common';
import { Actor, AuditService } from '@app/staff';
import { SubscriptionCheckoutDto, SubscriptionsService } from '@app/subscriptions';
import { SupporterRecordsService } from '@app/supporters';
import { callerRecord } from './caller';
import { CardLinksService } from './card-links.service';
import { CreatePhoneSubscriptionDto } from './phone-subscription.dto';

/** A caller subscribes: the same rules as online (address for print, no doubles), a Checkout link emailed to them, channel `phone`. */
@Injectable()
export class PhoneSubscriptionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsService,
    private readonly records: SupporterRecordsService,
    private readonly audit: AuditService,
    private readonly cardLinks: CardLinksService,
  ) {}

  async create(dto: CreatePhoneSubscriptionDto, actor: Actor): Promise<SubscriptionCheckoutDto> {
    const { supporterId, email, name, phone, ...subscription } = dto;
    // An existing supporter: their record takes the details given (audited); the link goes to the email on file.
    const caller = supporterId
      ? await this.dataSource.transaction(async (m) =>
          this.records.contact(
            await callerRecord(this.records, m, { supporterId, supporter: { email, name, phone } }, actor),
            m,
          ),
        )
      : { email: email ?? null, name: name ?? null };
    if (!caller.email) {
      throw new DomainError(
        supporterId ? 'CARD_NEEDS_EMAIL' : 'VALIDATION_FAILED',
        supporterId
          ? 'email is required: the supporter has no email to send the Checkout link to'
          : 'email is required',
        'email',
      );
    }
    if (!caller.name) throw new DomainError('VALIDATION_FAILED', 'name is required', 'name');
    const created = await this.subscriptions.create(
      { ...subscription, email: caller.email, name: caller.name },
      'phone',
    );
    // Audited, and the link emailed to the caller (once per checkout: a reused one was emailed already).
    await this.dataSource.transaction(async (m) => {
      // A new caller's record is written now, with the phone given and the delivery address as
      // their postal address (each filled in only where the record with this email has none); the
      // payment's webhook finds it by the same email.
      if (!supporterId) {
        await this.records.findOrCreateForPhone(m, {
          name: caller.name!,
          email: caller.email!,
          phone,
          address: subscription.deliveryAddress,
        });
      }
      await this.audit.record(
        actor,
        {
          action: 'phone_subscription.card_link',
          entityType: 'checkout',
          entityId: created.id,
          after: { ...dto, checkoutUrl: created.checkoutUrl },
        },
        m,
      );
      await this.cardLinks.emailFirst(m, created.id, actor);
    });
    return created;
  }
}
