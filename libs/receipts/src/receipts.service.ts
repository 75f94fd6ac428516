import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { formatMoney, localDate } from '@app/common';
import { AppConfig } from '@app/config';
import { EmailService, EmailTemplates, RenderedEmail } from '@app/email';
import { LedgerEntry, LedgerService } from '@app/ledger';
import { describePayment, howPaid, ReceiptDetails } from './describe-payment';
import { EntryFacts, ReceiptRow, ReceiptsRepository } from './receipts.repository';

/** A receipt as another part of the service (the reader's account) lists it. */
export type Receipt = ReceiptRow;

/** Ledger entries that are owed something: a payment its receipt, a refund its notice. */
function owed(entry: Pick<LedgerEntry, 'kind' | 'gross'>): boolean {
  return (entry.kind === 'payment' && entry.gross > 0) || entry.kind === 'refund';
}

/**
 * Receipts, numbered without gaps in a sequence of their own, one for every payment (online and
 * by phone, whoever records it: the ledger tells this service of every entry it writes), and the
 * notices that follow a payment: its refund, a dispute lost. A webhook's transaction only queues
 * its entry (`receipt_queue`); `issueQueued` (the `ReceiptIssuer`'s job, in one transaction)
 * numbers the queue in ledger order and writes the emails, so no webhook waits on the shared
 * counter. A phone payment is receipted at once, in its own transaction (`issueNow`).
 *
 * A receipt is emailed when the reader has an email (not erased); a payment taken on the phone
 * line only when the staff's switch `email_receipts` is on. A refund or correction notice goes
 * whenever there is an email: it is about the reader's own money.
 */
@Injectable()
export class ReceiptsService implements OnModuleInit {
  private readonly log = new Logger('Receipts');

  constructor(
    private readonly receipts: ReceiptsRepository,
    private readonly ledger: LedgerService,
    private readonly email: EmailService,
    private readonly templates: EmailTemplates,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.ledger.onRecorded(async (entry, manager) => {
      if (owed(entry)) await this.receipts.enqueue(manager, entry.id);
    });
  }

  /**
   * Issues a payment's receipt now, in the caller's transaction (phone payments: the receipt
   * commits or rolls back with the payment). Answers it (null for an entry owed no receipt).
   */
  async issueNow(manager: EntityManager, ledgerEntryId: string, details?: ReceiptDetails): Promise<ReceiptRow | null> {
    await this.receipts.takeQueued(manager, ledgerEntryId);
    const existing = await this.receipts.forEntry(ledgerEntryId, manager);
    if (existing) return existing;
    const facts = (await this.receipts.facts(manager, [ledgerEntryId])).get(ledgerEntryId);
    if (!facts || facts.kind !== 'payment' || facts.gross <= 0) return null;
    const number = await this.receipts.reserveNumbers(manager, 1);
    return this.issue(manager, facts, number, details);
  }

  /**
   * One batch of the queue in one transaction: receipts for its payments (numbered in ledger
   * order), notices for its refunds and lost disputes. Answers how many entries it handled
   * (0: the queue was empty, or every queued entry is being handled by another instance).
   */
  async issueQueued(limit = 100): Promise<number> {
    return this.receipts.dataSource.transaction(async (m) => {
      const ids = await this.receipts.claimQueued(m, limit);
      if (!ids.length) return 0;
      const facts = await this.receipts.facts(m, ids);
      const receipted = await this.receipts.receipted(m, ids);
      const payments = ids.filter((id) => facts.get(id)?.kind === 'payment' && !receipted.has(id));
      let next = payments.length ? await this.receipts.reserveNumbers(m, payments.length) : 0;
      for (const id of ids) {
        const f = facts.get(id);
        if (!f) continue;
        if (payments.includes(id)) await this.issue(m, f, next++);
        else if (f.kind === 'refund') await this.refundNotice(m, f);
      }
      await this.receipts.dequeue(m, ids);
      return ids.length;
    });
  }

  /** Erasure: the addresses receipts went to are forgotten (the receipts, their numbers and amounts stay). */
  scrubAddresses(manager: EntityManager, addresses: string[]): Promise<number> {
    return this.receipts.scrubAddresses(manager, addresses);
  }

  /** A reader's receipts (of these supporter records), newest first. */
  forSupporters(supporterIds: string[]): Promise<Receipt[]> {
    return this.receipts.forSupporters(supporterIds);
  }

  /** The receipt of a ledger entry, if one was issued. */
  forEntry(ledgerEntryId: string, manager?: EntityManager): Promise<Receipt | null> {
    return this.receipts.forEntry(ledgerEntryId, manager);
  }

  /** Receipt `number` rendered again (the reader's download): subject, HTML and text; null when there is none. */
  async render(number: number): Promise<{ subject: string; html: string; text: string } | null> {
    const receipt = await this.receipts.byNumber(number);
    if (!receipt) return null;
    const facts = (await this.receipts.facts(this.receipts.dataSource.manager, [receipt.ledgerEntryId])).get(
      receipt.ledgerEntryId,
    );
    if (!facts) return null;
    const r = this.renderReceipt(facts, receipt.number, { for: receipt.description });
    return { subject: r.subject, html: r.html, text: r.body };
  }

  /**
   * After a phone entry is reversed or voided: its receipt, if one was emailed, is followed by a
   * correction to the same address. Answers whether one was written.
   */
  async sendReversalCorrection(manager: EntityManager, original: LedgerEntry): Promise<boolean> {
    const receipt = await this.receipts.forEntry(original.id, manager);
    if (!receipt?.emailedTo) return false;
    const what = original.type === 'prepaid_subscription' ? 'subscription payment' : 'gift';
    await this.email.send(
      {
        to: receipt.emailedTo,
        kind: 'receipt_correction',
        key: `receipt_correction:${receipt.number}`,
        ...this.templates.render('receipt_correction', {
          what,
          amount: this.money(original.gross, original.currency),
          currency: original.currency,
          day: this.day(original.occurredAt),
          number: receipt.number,
          reference: original.reference,
          reason: 'was recorded in error and has been cancelled.',
          callUs: true,
        }),
      },
      manager,
    );
    return true;
  }

  private money(amount: number, currency: string): string {
    return formatMoney({ amount, currency });
  }

  private day(at: Date): string {
    return localDate(at, this.config.REPORT_TIME_ZONE);
  }

  private renderReceipt(f: EntryFacts, number: number, details?: ReceiptDetails): RenderedEmail {
    const words = describePayment(f, details);
    return this.templates.render('receipt', {
      name: f.name,
      what: words.what,
      bracketAmount: words.bracketAmount,
      thanksFor: words.thanksFor,
      months: words.months,
      amount: this.money(f.gross, f.currency),
      currency: f.currency,
      how: howPaid(f.method),
      reference: f.reference,
      note: details?.note,
      number,
      date: this.day(f.occurredAt),
      for: words.forLine,
    });
  }

  private async issue(m: EntityManager, f: EntryFacts, number: number, details?: ReceiptDetails): Promise<ReceiptRow> {
    const to = f.email && (f.channel !== 'phone' || f.emailReceipts) ? f.email : null;
    const receipt = await this.receipts.insert(m, {
      number,
      ledgerEntryId: f.id,
      supporterId: f.supporterId,
      amount: f.gross,
      currency: f.currency,
      description: describePayment(f, details).forLine,
      emailedTo: to,
    });
    if (to) {
      await this.email.send(
        { to, kind: 'receipt', key: `receipt:${number}`, ...this.renderReceipt(f, number, details) },
        m,
      );
    }
    return receipt;
  }

  /** The payment a refund or dispute gives back, with its receipt; null when either is unknown. */
  private async original(m: EntityManager, f: EntryFacts) {
    if (!f.reversesEntryId) return null;
    const payment = (await this.receipts.facts(m, [f.reversesEntryId])).get(f.reversesEntryId);
    const receipt = payment ? await this.receipts.forEntry(payment.id, m) : null;
    return payment && receipt ? { payment, receipt } : null;
  }

  private async refundNotice(m: EntityManager, f: EntryFacts): Promise<void> {
    const original = await this.original(m, f);
    const to = original?.payment.email;
    if (!original || !to) return;
    const remaining = await this.ledger.remainingOfPayment(original.payment.id, m);
    await this.email.send(
      {
        to,
        kind: 'refund',
        key: `refund:${f.id}`,
        ...this.templates.render('refund', {
          name: original.payment.name,
          what: describePayment(original.payment).what,
          amount: this.money(-f.gross, f.currency),
          original: this.money(original.payment.gross, original.payment.currency),
          currency: f.currency,
          day: this.day(original.payment.occurredAt),
          date: this.day(f.occurredAt),
          number: original.receipt.number,
          remaining: remaining > 0 ? this.money(remaining, original.payment.currency) : null,
        }),
      },
      m,
    );
  }

  /**
   * A dispute lost (`disputeEntryId`, the money the bank took back): the payment's receipt is
   * corrected, once per dispute, in the caller's (the webhook's) transaction. Answers whether an
   * email was written.
   */
  async sendDisputeLostCorrection(m: EntityManager, disputeEntryId: string): Promise<boolean> {
    const f = (await this.receipts.facts(m, [disputeEntryId])).get(disputeEntryId);
    const original = f ? await this.original(m, f) : null;
    const to = original?.payment.email;
    if (!f || !original || !to) return false;
    const remaining = await this.ledger.remainingOfPayment(original.payment.id, m);
    const what = describePayment(original.payment).what;
    return this.email.send(
      {
        to,
        kind: 'receipt_correction',
        key: `receipt_correction:dispute:${f.id}`,
        ...this.templates.render('receipt_correction', {
          what,
          amount: this.money(original.payment.gross, original.payment.currency),
          currency: original.payment.currency,
          day: this.day(original.payment.occurredAt),
          number: original.receipt.number,
          reference: null,
          reason: `was disputed with your card's bank, which has given ${this.money(-f.gross, f.currency)} ${f.currency} back to you.`,
          partial: remaining > 0,
          remaining: remaining > 0 ? this.money(remaining, original.payment.currency) : null,
          callUs: false,
        }),
      },
      m,
    );
  }
}
