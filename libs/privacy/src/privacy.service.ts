import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@app/common';
import { type Checkout, CheckoutPrivacyService, ERASED_CHECKOUT_EMAIL } from '@app/donations';
import { EmailPrivacyService } from '@app/email';
import { LedgerPrivacyService } from '@app/ledger';
import { type Actor, AuditPrivacyService, type AuditSubject, AuditService } from '@app/staff';
import { ReceiptsService } from '@app/receipts';
import { PrintRunsData } from '@app/reports';
import { StripeGateway } from '@app/stripe';
import { type SupporterSubscription, SubscriptionPrivacyService } from '@app/subscriptions';
import { type SupporterRecord, SupporterPrivacyService } from '@app/supporters';
import { ErasureResultDto, ExportedCheckoutDto, SupporterActivityDto, SupporterExportDto } from './privacy.dto';

/** How many emails and audit entries the activity view answers, each. */
export const ACTIVITY_LIMIT = 100;

/**
 * Privacy requests about one supporter: export everything held about them (finance, admin), and
 * erase their personal data (admin). It only orchestrates: each table's owner reads and writes
 * its own rows. Both are audited.
 */
@Injectable()
export class PrivacyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly supporters: SupporterPrivacyService,
    private readonly ledger: LedgerPrivacyService,
    private readonly subscriptions: SubscriptionPrivacyService,
    private readonly checkouts: CheckoutPrivacyService,
    private readonly emails: EmailPrivacyService,
    private readonly auditLog: AuditPrivacyService,
    private readonly audit: AuditService,
    private readonly stripe: StripeGateway,
    private readonly receipts: ReceiptsService,
    private readonly printRuns: PrintRunsData,
  ) {}

  async export(id: string, actor: Actor): Promise<SupporterExportDto> {
    const supporter = await this.find(id);
    const checkouts = await this.checkouts.checkoutsOf(id, addressesOf(supporter, []));
    const addresses = addressesOf(supporter, checkouts);
    const [payments, subscriptions, emails, printIssues] = await Promise.all([
      this.ledger.entriesOf(id),
      this.subscriptions.subscriptionsOf(id),
      this.emails.emailsTo(addresses),
      this.printRuns.issuesOf(this.dataSource.manager, id),
    ]);
    const auditEntries = await this.auditLog.about(subjectOf(id, payments, subscriptions, checkouts, addresses));
    const result: SupporterExportDto = {
      exportedAt: new Date().toISOString(),
      supporter,
      payments,
      subscriptions,
      checkouts: checkouts.map(exportedCheckout),
      emails,
      auditEntries,
      printIssues,
    };
    await this.audit.record(actor, {
      action: 'supporter.export',
      entityType: 'supporter',
      entityId: id,
      after: {
        payments: payments.length,
        subscriptions: subscriptions.length,
        checkouts: checkouts.length,
        emails: emails.length,
        auditEntries: auditEntries.length,
        printIssues: printIssues.length,
      },
    });
    return result;
  }

  /**
   * The emails sent to a supporter and the audit entries about them, for the supporter and the
   * records merged into them, newest first and bounded; read by the same owners as the export,
   * without bodies or snapshots, and not itself audited (it is not an export).
   */
  async activity(id: string): Promise<SupporterActivityDto> {
    const found = await this.supporters.withMerged(id);
    if (!found) throw new DomainError('NOT_FOUND', `supporter ${id} does not exist`, 'id');
    const records = [found.survivor, ...found.merged];
    const perRecord = await Promise.all(
      records.map(async (r) => {
        const checkouts = await this.checkouts.checkoutsOf(r.id, addressesOf(r, []));
        const [payments, subscriptions] = await Promise.all([
          this.ledger.entriesOf(r.id),
          this.subscriptions.subscriptionsOf(r.id),
        ]);
        return subjectOf(r.id, payments, subscriptions, checkouts, addressesOf(r, checkouts));
      }),
    );
    const subject: AuditSubject = {
      entities: ['supporter', 'ledger_entry', 'subscription', 'checkout'].map((type) => ({
        type,
        ids: unique(perRecord.flatMap((s) => s.entities.filter((e) => e.type === type).flatMap((e) => e.ids))),
      })),
      mentions: unique(perRecord.flatMap((s) => s.mentions)),
    };
    const addresses = unique(perRecord.flatMap((s) => s.mentions.slice(1)));
    const [emails, audit] = await Promise.all([
      this.emails.latestTo(addresses, ACTIVITY_LIMIT),
      this.auditLog.latestAbout(subject, ACTIVITY_LIMIT),
    ]);
    return {
      emails: emails.map((e) => ({
        id: e.id,
        kind: e.kind,
        subject: e.subject,
        status: e.status,
        sentAt: e.sentAt,
        createdAt: e.createdAt,
        to: e.to,
      })),
      audit: audit.map((a) => ({
        id: a.id,
        at: a.createdAt,
        action: a.action,
        actor: a.actor,
        entityType: a.entityType,
        entityId: a.entityId,
      })),
    };
  }

  /**
   * Erases a supporter's personal data, once (a repeat answers `alreadyErased` and does
   * nothing). In order: their open checkouts are expired on Stripe (nothing can be paid against a
   * record about to lose its email); their Stripe customers are deleted (Stripe ends their
   * subscriptions; a customer already deleted is fine, so a retry after a failure goes on); then
   * in one transaction the emails to them, their checkouts, their subscriptions' delivery
   * addresses and the audit log's snapshots about them are scrubbed, and the supporter becomes a
   * tombstone. The ledger is not touched: its rows name the supporter by id only.
   */
  async erase(id: string, reason: string, actor: Actor): Promise<ErasureResultDto> {
    const supporter = await this.find(id);
    if (supporter.erasedAt) return alreadyErased(supporter);
    const known = addressesOf(supporter, await this.checkouts.checkoutsOf(id, addressesOf(supporter, [])));
    await this.checkouts.closeOpen(id, known);
    const [payments, subscriptions] = await Promise.all([
      this.ledger.entriesOf(id),
      this.subscriptions.subscriptionsOf(id),
    ]);
    const customers = unique([supporter.stripeCustomerId, ...subscriptions.map((s) => s.stripeCustomerId)]);
    const stripeCustomersDeleted: string[] = [];
    for (const customer of customers) {
      if (await this.stripe.deleteCustomer(customer)) stripeCustomersDeleted.push(customer);
    }
    return this.dataSource.transaction(async (m) => {
      const current = await this.supporters.record(id, m, true);
      if (!current || current.erasedAt) return alreadyErased(current ?? supporter);
      const checkouts = await this.checkouts.checkoutsOf(id, addressesOf(current, []), m);
      const addresses = addressesOf(current, checkouts);
      const auditEntries = await this.auditLog.about(subjectOf(id, payments, subscriptions, checkouts, addresses), m);
      const needles = [
        ...addresses,
        current.name,
        current.phone,
        current.address?.line1,
        current.address?.line2,
        ...checkouts.map((c) => c.name),
      ].filter((n): n is string => !!n);
      const auditEntriesScrubbed = await this.auditLog.scrub(auditEntries, needles, m);
      const emailsScrubbed = await this.emails.scrub(addresses, m);
      await this.receipts.scrubAddresses(m, addresses);
      const checkoutsScrubbed = await this.checkouts.scrub(
        checkouts.map((c) => c.id),
        m,
      );
      const deliveryAddressesErased = await this.subscriptions.eraseDeliveryAddresses(id, m);
      // The print runs' copies of the name, email and address.
      await this.printRuns.eraseSupporter(m, id);
      const erased = await this.supporters.erase(id, m);
      const result: ErasureResultDto = {
        supporterId: id,
        erasedAt: erased.erasedAt!,
        alreadyErased: false,
        stripeCustomersDeleted,
        emailsScrubbed,
        checkoutsScrubbed,
        deliveryAddressesErased,
        auditEntriesScrubbed,
      };
      await this.audit.record(
        actor,
        { action: 'supporter.erase', entityType: 'supporter', entityId: id, after: { ...result, reason } },
        m,
      );
      return result;
    });
  }

  private async find(id: string): Promise<SupporterRecord> {
    const supporter = await this.supporters.record(id);
    if (!supporter) throw new DomainError('NOT_FOUND', `supporter ${id} does not exist`, 'id');
    return supporter;
  }
}

function unique(values: Array<string | null | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}

/** The supporter's email addresses: theirs, and those their checkouts were made with (lower case). */
function addressesOf(supporter: SupporterRecord, checkouts: Checkout[]): string[] {
  return unique(
    [supporter.email, ...checkouts.map((c) => c.email)]
      .filter((e) => e && e !== ERASED_CHECKOUT_EMAIL)
      .map((e) => e!.toLowerCase()),
  );
}

function subjectOf(
  id: string,
  payments: Array<{ id: string }>,
  subscriptions: SupporterSubscription[],
  checkouts: Checkout[],
  addresses: string[],
): AuditSubject {
  return {
    entities: [
      { type: 'supporter', ids: [id] },
      { type: 'ledger_entry', ids: payments.map((p) => p.id) },
      { type: 'subscription', ids: subscriptions.map((s) => s.id) },
      { type: 'checkout', ids: checkouts.map((c) => c.id) },
    ],
    mentions: [id, ...addresses],
  };
}

function exportedCheckout(c: Checkout): ExportedCheckoutDto {
  return {
    id: c.id,
    purpose: c.purpose,
    frequency: c.frequency,
    channel: c.channel,
    amount: c.amount,
    currency: c.currency,
    email: c.email,
    name: c.name,
    deliveryAddress: c.deliveryAddress as unknown as Record<string, string> | null,
    tier: c.tierCode,
    status: c.status,
    createdAt: c.createdAt,
  };
}

function alreadyErased(supporter: SupporterRecord): ErasureResultDto {
  return {
    supporterId: supporter.id,
    erasedAt: supporter.erasedAt!,
    alreadyErased: true,
    stripeCustomersDeleted: [],
    emailsScrubbed: 0,
    checkoutsScrubbed: 0,
    deliveryAddressesErased: 0,
    auditEntriesScrubbed: 0,
  };
}
