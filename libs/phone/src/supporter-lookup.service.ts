import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, isUuid } from '@app/common';

/** Finding the caller before creating a duplicate, and what they have given and subscribed to. */
@Injectable()
export class SupporterLookupService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Search by name, email, phone (digits only compared) or postcode; at most 50 matches. */
  async search(q: string | undefined): Promise<unknown[]> {
    const term = (q ?? '').trim();
    if (term.length < 2 || term.length > 100) throw new DomainError('VALIDATION_FAILED', 'q must be 2 to 100 characters', 'q');
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const digits = term.replace(/\D/g, '');
    return this.dataSource.query(
      `SELECT s.id, s.name, s.email, s.phone, s.address, s.created_at AS "createdAt",
              (SELECT COALESCE(sum(gross), 0) FROM ledger_entries l WHERE l.supporter_id = s.id)::bigint AS "totalGiven"
         FROM supporters s
        WHERE s.name ILIKE $1 OR s.email ILIKE $1 OR s.address->>'postalCode' ILIKE $1
           OR ($2 <> '' AND length($2) >= 4 AND regexp_replace(COALESCE(s.phone, ''), '\\D', '', 'g') LIKE '%' || $2 || '%')
        ORDER BY s.name NULLS LAST, s.created_at LIMIT 50`,
      [like, digits],
    );
  }

  async history(id: string): Promise<Record<string, unknown>> {
    const [supporter] = isUuid(id) ? await this.dataSource.query(`SELECT id, name, email, phone, address, created_at AS "createdAt" FROM supporters WHERE id = $1`, [id]) : [];
    if (!supporter) throw new DomainError('NOT_FOUND', `supporter ${id} does not exist`, 'id');
    const payments = await this.dataSource.query(
      `SELECT id, kind, type, channel, method, gross::bigint AS gross, fee::bigint AS fee, net::bigint AS net, currency, reference, description, occurred_at AS "occurredAt", reverses_entry_id AS "reversesEntryId"
         FROM ledger_entries WHERE supporter_id = $1 ORDER BY occurred_at DESC, id DESC LIMIT 500`,
      [id],
    );
    const subscriptions = await this.dataSource.query(
      `SELECT id, kind, billing, tier_code AS tier, amount::bigint AS amount, currency, status, current_period_end AS "currentPeriodEnd", cancel_at_period_end AS "cancelAtPeriodEnd", delivery_address AS "deliveryAddress"
         FROM subscriptions WHERE supporter_id = $1 ORDER BY created_at DESC`,
      [id],
    );
    const toNumbers = (rows: Array<Record<string, unknown>>) => rows.map((r) => ({ ...r, ...Object.fromEntries(['gross', 'fee', 'net', 'amount'].filter((k) => k in r).map((k) => [k, Number(r[k])])) }));
    return { ...supporter, payments: toNumbers(payments), subscriptions: toNumbers(subscriptions) };
  }
}
