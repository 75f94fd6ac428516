import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
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
import {
  ErasureResultDto,
  ExportedCheckoutDto,
  ExportedRecordDto,
  SupporterActivityDto,
  SupporterExportDto,
} from './privacy.dto';

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

  /**
   * Everything held about a person: the record `id` stands for (itself, or the survivor it was
   * merged into) and, under `merged`, each record merged into it with what is held under that
   * record. Audited once, on the survivor, with the counts over the whole group.
   */
  async export(id: string, actor: Actor): Promise<SupporterExportDto> {
    const { survivor, merged } = await this.group(id);
    const records = [survivor, ...merged];
    const taken = await this.takenFormerEmails(records);
    const [main, ...others] = await Promise.all(records.map((r) => this.exportOf(r, taken)));
    const result: SupporterExportDto = {
      exportedAt: new Date().toISOString(),
      ...(survivor.id !== id ? { requestedId: id } : {}),
      ...main,
      merged: others,
    };
    const parts = [main, ...others];
    const count = (key: 'payments' | 'subscriptions' | 'checkouts' | 'emails' | 'auditEntries' | 'printIssues') =>
      // An audit entry or email can be about two records of the group (the merge itself): count it once.
      new Set(parts.flatMap((p) => (p[key] as object[]).map((x) => ('id' in x ? String(x.id) : JSON.stringify(x)))))
        .size;
    await this.audit.record(actor, {
      action: 'supporter.export',
      entityType: 'supporter',
      entityId: survivor.id,
      after: {
        payments: count('payments'),
        subscriptions: count('subscriptions'),
        checkouts: count('checkouts'),
        emails: count('emails'),
        auditEntries: count('auditEntries'),
        printIssues: count('printIssues'),
        mergedRecords: others.length,
        ...(survivor.id !== id ? { requestedId: id } : {}),
      },
    });
    return result;
  }

  /** What is held under one record (not those merged into it). */
  private async exportOf(supporter: SupporterRecord, taken: Set<string>): Promise<ExportedRecordDto> {
    const id = supporter.id;
    const checkouts = await this.checkouts.checkoutsOf(id, addressesOf(supporter, [], taken));
    const addresses = addressesOf(supporter, checkouts, taken);
    const [payments, subscriptions, emails, printIssues] = await Promise.all([
      this.ledger.entriesOf(id),
      this.subscriptions.subscriptionsOf(id),
      this.emails.emailsTo(addresses),
      this.printRuns.issuesOf(this.dataSource.manager, id),
    ]);
    const auditEntries = await this.auditLog.about(subjectOf(id, payments, subscriptions, checkouts, addresses));
    return {
      supporter,
      payments,
      subscriptions,
      checkouts: checkouts.map(exportedCheckout),
      emails,
      auditEntries,
      printIssues,
    };
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
    const taken = await this.takenFormerEmails(records);
    const perRecord = await Promise.all(
      records.map(async (r) => {
        const checkouts = await this.checkouts.checkoutsOf(r.id, addressesOf(r, [], taken));
        const [payments, subscriptions] = await Promise.all([
          this.ledger.entriesOf(r.id),
          this.subscriptions.subscriptionsOf(r.id),
        ]);
        return subjectOf(r.id, payments, subscriptions, checkouts, addressesOf(r, checkouts, taken));
      }),
    );
    const subject = mergeSubjects(perRecord);
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
   * Erases a person's personal data: the record `id` stands for (itself, or the survivor it was
   * merged into) and every record merged into it, together, once (a repeat, when every record of
   * the group is erased, answers `alreadyErased` and does nothing). In order: their open
   * checkouts are expired on Stripe (nothing can be paid against a record about to lose its
   * email); the Stripe customers of every record are deleted (Stripe ends their subscriptions; a
   * customer already deleted is fine, so a retry after a failure goes on); then in one transaction,
   * with the group's rows locked, the emails to any of their addresses, their checkouts, their
   * subscriptions' delivery addresses and the audit log's snapshots about any of them are scrubbed,
   * and every record becomes a tombstone. A merge into the group meanwhile refuses (409
   * `ERASURE_MERGE_IN_FLIGHT`; try again). The ledger is not touched: its rows name the
   * supporter by id only.
   */
  async erase(id: string, reason: string, actor: Actor): Promise<ErasureResultDto> {
    const { survivor, merged } = await this.group(id);
    const pending = [survivor, ...merged].filter((r) => !r.erasedAt);
    if (!pending.length) return alreadyErased(survivor, id);
    const groupIds = [survivor, ...merged].map((r) => r.id);
    const taken = await this.takenFormerEmails([survivor, ...merged]);
    const held: Array<{ id: string; payments: Array<{ id: string }>; subscriptions: SupporterSubscription[] }> = [];
    for (const r of pending) {
      const known = addressesOf(r, await this.checkouts.checkoutsOf(r.id, addressesOf(r, [], taken)), taken);
      await this.checkouts.closeOpen(r.id, known);
      const [payments, subscriptions] = await Promise.all([
        this.ledger.entriesOf(r.id),
        this.subscriptions.subscriptionsOf(r.id),
      ]);
      held.push({ id: r.id, payments, subscriptions });
    }
    const customers = unique([
      ...pending.map((r) => r.stripeCustomerId),
      ...held.flatMap((h) => h.subscriptions.map((s) => s.stripeCustomerId)),
    ]);
    const stripeCustomersDeleted: string[] = [];
    for (const customer of customers) {
      if (await this.stripe.deleteCustomer(customer)) stripeCustomersDeleted.push(customer);
    }
    return this.dataSource.transaction(async (m) => {
      const locked = await this.supporters.lockGroup(survivor.id, m);
      if (!locked || locked.join() !== [...groupIds].sort().join()) {
        throw new DomainError(
          'ERASURE_MERGE_IN_FLIGHT',
          `supporter ${survivor.id}'s records were merged while being erased; try again`,
          'id',
        );
      }
      // One query at a time: they share the transaction's connection.
      const current: SupporterRecord[] = [];
      for (const h of held) {
        const r = await this.supporters.record(h.id, m);
        if (r && !r.erasedAt) current.push(r);
      }
      if (!current.length) return alreadyErased((await this.supporters.record(survivor.id, m)) ?? survivor, id);
      const takenNow = await this.takenFormerEmails([survivor, ...merged], m);
      const parts: Array<{ checkouts: Checkout[]; addresses: string[]; subject: AuditSubject }> = [];
      for (const r of current) {
        const { payments, subscriptions } = held.find((h) => h.id === r.id)!;
        const checkouts = await this.checkouts.checkoutsOf(r.id, addressesOf(r, [], takenNow), m);
        const addresses = addressesOf(r, checkouts, takenNow);
        parts.push({ checkouts, addresses, subject: subjectOf(r.id, payments, subscriptions, checkouts, addresses) });
      }
      const addresses = unique(parts.flatMap((p) => p.addresses));
      const checkouts = parts.flatMap((p) => p.checkouts);
      const auditEntries = await this.auditLog.about(mergeSubjects(parts.map((p) => p.subject)), m);
      const needles = unique([
        ...addresses,
        ...current.flatMap((r) => [
          r.name,
          r.phone,
          r.address?.line1,
          r.address?.line2,
          ...r.phones.map((p) => p.number),
        ]),
        ...checkouts.map((c) => c.name),
      ]);
      const auditEntriesScrubbed = await this.auditLog.scrub(auditEntries, needles, m);
      const emailsScrubbed = await this.emails.scrub(addresses, m);
      await this.receipts.scrubAddresses(m, addresses);
      const checkoutsScrubbed = await this.checkouts.scrub(unique(checkouts.map((c) => c.id)), m);
      let deliveryAddressesErased = 0;
      for (const r of current) {
        deliveryAddressesErased += await this.subscriptions.eraseDeliveryAddresses(r.id, m);
        // The print runs' copies of the name, email and address.
        await this.printRuns.eraseSupporter(m, r.id);
        await this.supporters.erase(r.id, m);
      }
      const erased = (await this.supporters.record(survivor.id, m))!;
      const erasedIds = current.map((r) => r.id);
      const result: ErasureResultDto = {
        supporterId: survivor.id,
        ...(survivor.id !== id ? { requestedId: id } : {}),
        erasedAt: erased.erasedAt!,
        alreadyErased: false,
        erasedSupporterIds: erasedIds,
        stripeCustomersDeleted,
        emailsScrubbed,
        checkoutsScrubbed,
        deliveryAddressesErased,
        auditEntriesScrubbed,
      };
      await this.audit.record(
        actor,
        { action: 'supporter.erase', entityType: 'supporter', entityId: survivor.id, after: { ...result, reason } },
        m,
      );
      // Each merged record's own trail says it was erased, and with whom.
      for (const mergedId of erasedIds.filter((e) => e !== survivor.id)) {
        await this.audit.record(
          actor,
          {
            action: 'supporter.erase',
            entityType: 'supporter',
            entityId: mergedId,
            after: { erasedWith: survivor.id, reason },
          },
          m,
        );
      }
      return result;
    });
  }

  /** The record `id` stands for (itself, or its survivor) and the records merged into it; 404 when there is none. */
  private async group(id: string): Promise<{ survivor: SupporterRecord; merged: SupporterRecord[] }> {
    const found = await this.supporters.withMerged(id);
    if (!found) throw new DomainError('NOT_FOUND', `supporter ${id} does not exist`, 'id');
    return found;
  }

  /** The group's former emails that another supporter holds now (theirs, not the group's). */
  private async takenFormerEmails(records: SupporterRecord[], m?: EntityManager): Promise<Set<string>> {
    const former = unique(records.flatMap((r) => r.previousEmails.map((e) => e.email.toLowerCase())));
    return new Set(
      await this.supporters.heldOutside(
        former,
        records.map((r) => r.id),
        m,
      ),
    );
  }
}

function unique(values: Array<string | null | undefined>): string[] {
  return [...new Set(values.filter((v): v is string => !!v))];
}

/**
 * The supporter's email addresses (lower case): theirs, their former ones (but those `taken` by
 * another supporter since), and those their checkouts were made with.
 */
function addressesOf(supporter: SupporterRecord, checkouts: Checkout[], taken: Set<string>): string[] {
  const former = supporter.previousEmails.map((e) => e.email.toLowerCase()).filter((e) => !taken.has(e));
  return unique(
    [supporter.email, ...former, ...checkouts.map((c) => c.email)]
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

/** One audit subject for several records: their entities and mentions together. */
function mergeSubjects(subjects: AuditSubject[]): AuditSubject {
  return {
    entities: ['supporter', 'ledger_entry', 'subscription', 'checkout'].map((type) => ({
      type,
      ids: unique(subjects.flatMap((s) => s.entities.filter((e) => e.type === type).flatMap((e) => e.ids))),
    })),
    mentions: unique(subjects.flatMap((s) => s.mentions)),
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

function alreadyErased(supporter: SupporterRecord, requestedId: string): ErasureResultDto {
  return {
    supporterId: supporter.id,
    ...(supporter.id !== requestedId ? { requestedId } : {}),
    erasedAt: supporter.erasedAt!,
    alreadyErased: true,
    erasedSupporterIds: [],
    stripeCustomersDeleted: [],
    emailsScrubbed: 0,
    checkoutsScrubbed: 0,
    deliveryAddressesErased: 0,
    auditEntriesScrubbed: 0,
  };
}
