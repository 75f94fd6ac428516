import { Injectable } from '@nestjs/common';
import { DomainError } from '@app/common';
import { AppConfig } from '@app/config';
import { DateRangeQuery, parseDate, toCsv } from '@app/reports';
import { DepositsData, toEntryDto } from './deposits.data-access';
import { DepositReportDto, PhoneMoneyDto, PhoneReconciliationDto } from './deposits.dto';
import { depositTotals, toDepositDto } from './deposits.service';

/** Finance's view of deposits: what each deposit held, and the phone's cash and cheques against what was banked. */
@Injectable()
export class DepositReportsService {
  constructor(
    private readonly data: DepositsData,
    private readonly config: AppConfig,
  ) {}

  private range(q: DateRangeQuery): { from: string; to: string; currency: string } {
    const from = parseDate(q.from, 'from');
    const to = parseDate(q.to, 'to');
    if (to < from) throw new DomainError('REPORT_RANGE_INVALID', 'to must not be before from', 'to');
    return { from, to, currency: q.currency ?? this.config.CURRENCY };
  }

  /** Closed deposits banked (`depositedOn`) in [from, to], each with its entries. */
  async report(q: DateRangeQuery): Promise<DepositReportDto> {
    const { from, to, currency } = this.range(q);
    const timeZone = this.config.REPORT_TIME_ZONE;
    const rows = await this.data.closedBetween(from, to, currency);
    const entries = (
      await this.data.entriesOf(
        this.data.manager,
        rows.map((r) => r.id),
        timeZone,
      )
    ).map((e) => ({ depositId: e.deposit_id, entry: toEntryDto(e) }));
    const deposits = rows.map((r) =>
      toDepositDto(
        r,
        entries.filter((e) => e.depositId === r.id).map((e) => e.entry),
      ),
    );
    return {
      from,
      to,
      timeZone,
      currency,
      deposits,
      totals: depositTotals(deposits.flatMap((d) => d.entries)),
    };
  }

  /** One line per entry of each deposit (the deposit's columns repeated). */
  async reportCsv(q: DateRangeQuery): Promise<string> {
    const report = await this.report(q);
    return toCsv(
      [
        'deposit_id',
        'bank_reference',
        'deposited_on',
        'closed_at',
        'deposit_total',
        'entry_id',
        'local_date',
        'method',
        'currency',
        'amount',
        'reference',
        'supporter_id',
        'supporter_name',
        'staff_id',
      ],
      report.deposits.flatMap((d) =>
        d.entries.map((e) => [
          d.id,
          d.bankReference,
          d.depositedOn,
          d.closedAt,
          d.totals.total,
          e.id,
          e.localDate,
          e.method,
          e.currency,
          e.amount,
          e.reference,
          e.supporterId,
          e.supporterName,
          e.staffId,
        ]),
      ),
    );
  }

  /**
   * Per local day and method, the phone's cash and cheques taken, what of it was voided or
   * reversed, banked (in a closed deposit), in a deposit still open, and still to bank; and what
   * the deposits banked in the range hold.
   */
  async phoneReconciliation(q: DateRangeQuery): Promise<PhoneReconciliationDto> {
    const { from, to, currency } = this.range(q);
    const timeZone = this.config.REPORT_TIME_ZONE;
    const rows = await this.data.phoneMoneyByDay(from, to, currency, timeZone);
    const withOutstanding = <T extends Omit<PhoneMoneyDto, 'outstanding'>>(r: T): T & PhoneMoneyDto => ({
      ...r,
      outstanding: r.recorded - r.reversed - r.deposited - r.inOpenDeposit,
    });
    const days = rows.map(withOutstanding);
    const totals = withOutstanding(
      days.reduce(
        (t, d) => ({
          count: t.count + d.count,
          recorded: t.recorded + d.recorded,
          reversed: t.reversed + d.reversed,
          deposited: t.deposited + d.deposited,
          inOpenDeposit: t.inOpenDeposit + d.inOpenDeposit,
        }),
        { count: 0, recorded: 0, reversed: 0, deposited: 0, inOpenDeposit: 0 },
      ),
    );
    const banked = await this.report({ from, to, currency });
    return { from, to, timeZone, currency, days, totals, bankedInRange: banked.totals.total };
  }

  async phoneReconciliationCsv(q: DateRangeQuery): Promise<string> {
    const r = await this.phoneReconciliation(q);
    return toCsv(
      ['date', 'method', 'currency', 'count', 'recorded', 'reversed', 'deposited', 'in_open_deposit', 'outstanding'],
      r.days.map((d) => [
        d.date,
        d.method,
        r.currency,
        d.count,
        d.recorded,
        d.reversed,
        d.deposited,
        d.inOpenDeposit,
        d.outstanding,
      ]),
    );
  }
}
