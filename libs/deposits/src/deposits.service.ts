import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError, isUuid } from '@app/common';
import { AppConfig } from '@app/config';
import { Actor, AuditService } from '@app/staff';
import { DepositRow, DepositsData, toEntryDto } from './deposits.data-access';
import {
  CloseDepositDto,
  DepositDto,
  DepositEntryDto,
  DepositStatus,
  DepositSummaryDto,
  DepositTotalsDto,
  OpenDepositDto,
} from './deposits.dto';

export function depositTotals(entries: DepositEntryDto[]): DepositTotalsDto {
  const sum = (method?: string) =>
    entries.filter((e) => !method || e.method === method).reduce((total, e) => total + e.amount, 0);
  return { count: entries.length, total: sum(), cash: sum('cash'), cheque: sum('cheque') };
}

export function toDepositDto(row: DepositRow, entries: DepositEntryDto[]): DepositDto {
  return {
    id: row.id,
    status: row.status,
    currency: row.currency.trim(),
    note: row.note,
    bankReference: row.bank_reference,
    depositedOn: row.deposited_on,
    openedBy: row.opened_by,
    openedAt: row.opened_at.toISOString(),
    closedBy: row.closed_by,
    closedAt: row.closed_at ? row.closed_at.toISOString() : null,
    totals: depositTotals(entries),
    entries,
  };
}

function assertRealDate(value: string, field: string): void {
  const parsed = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new DomainError('VALIDATION_FAILED', `${field} ${value} is not a real date`, field);
  }
}

/**
 * Bank deposits of the phone line's cash and cheques (finance). A deposit is opened, shows what
 * is in no deposit yet, takes entries (each entry in one deposit at most), and is closed with the
 * bank's reference and date; closed, it refuses every change (and the database does too). Every
 * change is audited.
 */
@Injectable()
export class DepositsService {
  constructor(
    private readonly data: DepositsData,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  private get timeZone(): string {
    return this.config.REPORT_TIME_ZONE;
  }

  async open(dto: OpenDepositDto, actor: Actor): Promise<DepositDto> {
    const id = await this.data.transaction(async (m) => {
      const row = await this.data.insert(m, this.config.CURRENCY, dto.note ?? null, actor.staffId);
      await this.audit.record(
        actor,
        {
          action: 'deposit.open',
          entityType: 'deposit',
          entityId: row.id,
          after: { currency: row.currency, note: row.note },
        },
        m,
      );
      return row.id;
    });
    return this.get(id);
  }

  async list(status: DepositStatus | undefined): Promise<DepositSummaryDto[]> {
    const rows = await this.data.list(status);
    const entries = await this.data.entriesOf(
      this.data.manager,
      rows.map((r) => r.id),
      this.timeZone,
    );
    return rows.map((r) => {
      const { entries: _entries, ...summary } = toDepositDto(
        r,
        entries.filter((e) => e.deposit_id === r.id).map(toEntryDto),
      );
      return summary;
    });
  }

  /** The deposit with its entries; an open one also lists the cash and cheques in no deposit yet. */
  async get(id: string, m: EntityManager = this.data.manager): Promise<DepositDto> {
    const row = await this.existing(m, id);
    const deposit = toDepositDto(row, (await this.data.entriesOf(m, [row.id], this.timeZone)).map(toEntryDto));
    if (row.status === 'open') {
      const available = (await this.data.undeposited(m, row.currency.trim(), this.timeZone)).map(toEntryDto);
      deposit.available = { entries: available, totals: depositTotals(available) };
    }
    return deposit;
  }

  private async existing(m: EntityManager, id: string, lock = false): Promise<DepositRow> {
    const row = isUuid(id) ? await this.data.find(m, id, lock) : null;
    if (!row) throw new DomainError('NOT_FOUND', `deposit ${id} does not exist`, 'id');
    return row;
  }

  private async openForChange(m: EntityManager, id: string): Promise<DepositRow> {
    const row = await this.existing(m, id, true);
    if (row.status !== 'open') {
      throw new DomainError('DEPOSIT_CLOSED', `deposit ${id} is closed: it cannot change`, 'id');
    }
    return row;
  }

  async addEntries(id: string, entryIds: string[], actor: Actor): Promise<DepositDto> {
    await this.data.transaction(async (m) => {
      // Entries before the deposit, as a void takes them: the same order, so never a deadlock.
      await this.data.lockEntries(m, entryIds);
      const deposit = await this.openForChange(m, id);
      const found = new Map((await this.data.candidates(m, entryIds)).map((c) => [c.id, c]));
      for (const entryId of entryIds) {
        const c = found.get(entryId);
        if (!c) throw new DomainError('NOT_FOUND', `ledger entry ${entryId} does not exist`, 'entryIds');
        if (!c.eligible || c.currency.trim() !== deposit.currency.trim()) {
          throw new DomainError(
            'DEPOSIT_ENTRY_INELIGIBLE',
            `ledger entry ${entryId} is not cash or a cheque taken on the phone in ${deposit.currency.trim()}`,
            'entryIds',
          );
        }
        if (c.reversed) {
          throw new DomainError(
            'DEPOSIT_ENTRY_INELIGIBLE',
            `ledger entry ${entryId} was voided or reversed`,
            'entryIds',
          );
        }
        if (c.depositId && c.depositId !== deposit.id) {
          throw new DomainError(
            'DEPOSIT_ENTRY_TAKEN',
            `ledger entry ${entryId} is already in deposit ${c.depositId}`,
            'entryIds',
          );
        }
      }
      const added = await this.data.addEntries(m, deposit.id, entryIds, actor.staffId);
      if (added.length) {
        await this.audit.record(
          actor,
          { action: 'deposit.add_entries', entityType: 'deposit', entityId: deposit.id, after: { added } },
          m,
        );
      }
    });
    return this.get(id);
  }

  async removeEntry(id: string, entryId: string, actor: Actor): Promise<DepositDto> {
    await this.data.transaction(async (m) => {
      const deposit = await this.openForChange(m, id);
      const removed = /^\d{1,18}$/.test(entryId) && (await this.data.removeEntry(m, deposit.id, entryId));
      if (!removed) throw new DomainError('NOT_FOUND', `ledger entry ${entryId} is not in deposit ${id}`, 'entryId');
      await this.audit.record(
        actor,
        { action: 'deposit.remove_entry', entityType: 'deposit', entityId: deposit.id, before: { entryId } },
        m,
      );
    });
    return this.get(id);
  }

  async close(id: string, dto: CloseDepositDto, actor: Actor): Promise<DepositDto> {
    assertRealDate(dto.depositedOn, 'depositedOn');
    return this.data.transaction(async (m) => {
      const before = await this.openForChange(m, id);
      const entries = await this.data.entriesOf(m, [before.id], this.timeZone);
      if (!entries.length) {
        throw new DomainError('DEPOSIT_EMPTY', `deposit ${id} has no entries: add entries before closing it`, 'id');
      }
      const row = await this.data.close(m, before.id, dto.bankReference, dto.depositedOn, actor.staffId);
      if (!row) throw new DomainError('DEPOSIT_CLOSED', `deposit ${id} is closed: it cannot change`, 'id');
      const closed = toDepositDto(row, entries.map(toEntryDto));
      await this.audit.record(
        actor,
        {
          action: 'deposit.close',
          entityType: 'deposit',
          entityId: row.id,
          before: { status: before.status },
          after: {
            status: row.status,
            bankReference: row.bank_reference,
            depositedOn: row.deposited_on,
            totals: closed.totals,
          },
        },
        m,
      );
      return closed;
    });
  }

  /**
   * For corrections, inside their transaction: serialises with deposits on this entry and answers
   * the deposit holding it (locked), if any.
   */
  async holdEntry(m: EntityManager, entryId: string): Promise<{ id: string; status: DepositStatus } | null> {
    await this.data.lockEntry(m, entryId);
    return this.data.depositHolding(m, entryId);
  }

  /** A voided or reversed entry leaves the open deposit it was in (audited), in the correction's transaction. */
  async release(m: EntityManager, depositId: string, entryId: string, actor: Actor): Promise<void> {
    if (!(await this.data.removeEntry(m, depositId, entryId))) return;
    await this.audit.record(
      actor,
      {
        action: 'deposit.remove_entry',
        entityType: 'deposit',
        entityId: depositId,
        before: { entryId },
        after: { reason: 'the entry was voided or reversed' },
      },
      m,
    );
  }
}
