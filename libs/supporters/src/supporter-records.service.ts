import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, isUuid } from '@app/common';
import { toSafeInt } from '@app/database';
import { Actor, AuditService } from '@app/staff';
import { phoneQuery, toE164 } from './phone-number';
import type {
  SupporterDuplicateDto,
  SupporterMergeResultDto,
  SupporterPhoneDto,
  SupporterRecordDto,
  SupporterSearchResultDto,
} from './supporter-record.dto';

/** What staff may change on a supporter (left out: unchanged). */
export interface SupporterChanges {
  name?: string;
  email?: string | null;
  /** Replaces every number on file (as typed; stored normalised as well). */
  phones?: string[];
  /** Adds a number unless the same number (E.164) is on file already. */
  addPhone?: string;
  address?: Record<string, string> | null;
  notes?: string | null;
  emailReceipts?: boolean;
}

/** A caller's details as the phone line takes them, for a new record. */
export interface NewSupporterDetails {
  name: string;
  email?: string;
  phone?: string;
  address?: object;
}

interface SupporterRow {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  address: Record<string, string> | null;
  notes: string | null;
  email_receipts: boolean;
  merged_into: string | null;
  stripe_customer_id: string | null;
}

/**
 * The same expression as the index `subscriptions_delivery_search_idx` (1764530000000), so that
 * the search of delivery addresses uses it.
 */
const DELIVERY_ADDRESS_TSVECTOR = `to_tsvector('simple', coalesce(delivery_address->>'line1', '') || ' ' || coalesce(delivery_address->>'line2', '') || ' ' || coalesce(delivery_address->>'city', '') || ' ' || coalesce(delivery_address->>'postalCode', ''))`;

/** How many text matches of each kind are ranked (a two-letter term may match thousands). */
const TEXT_HITS = 500;

/** A search term as a prefix query: each word's beginning, all of them (`gwen:* & 2000:*`). */
export function prefixQuery(term: string): string | null {
  const words = term
    .toLowerCase()
    .split(/[^\p{L}\p{N}@._-]+/u)
    .map((w) => w.replace(/^[._-]+|[._-]+$/g, ''))
    .filter(Boolean)
    .slice(0, 8);
  return words.length ? words.map((w) => `'${w}':*`).join(' & ') : null;
}

const phonesOf = (rows: Array<{ number: string; e164: string | null }> | null): SupporterPhoneDto[] =>
  (rows ?? []).map((p) => ({ number: p.number, e164: p.e164 }));

/** JSON with sorted keys (jsonb answers keys in its own order), for comparing a value with a stored one. */
const canonical = (v: unknown): string =>
  JSON.stringify(v ?? null, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : x,
  );

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

/**
 * Supporter records as staff keep them (libs/supporters owns `supporters`, `supporter_phones`
 * and `supporter_email_history`): the record and its history, edits (audited, before and after),
 * the search that finds a caller, likely duplicates, and merging.
 *
 * A merged record points at its survivor (`merged_into`) and is never merged again: every look-up
 * by id, email or phone answers the survivor, and what is keyed to the merged record (ledger
 * entries, subscriptions, its Stripe customer) is read as the survivor's.
 */
@Injectable()
export class SupporterRecordsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** The record an id stands for: itself, or the survivor it was merged into. */
  async resolve(id: string, m: EntityManager = this.dataSource.manager): Promise<string> {
    const [row] = isUuid(id)
      ? await m.query(`SELECT COALESCE(merged_into, id) AS id FROM supporters WHERE id = $1`, [id])
      : [];
    if (!row) throw new DomainError('NOT_FOUND', `supporter ${id} does not exist`, 'id');
    return row.id;
  }

  /** Who to write to, and whether they want receipts. */
  async contact(
    id: string,
    m: EntityManager = this.dataSource.manager,
  ): Promise<{ id: string; name: string | null; email: string | null; emailReceipts: boolean }> {
    const [row] = await m.query(
      `SELECT id, name, email, email_receipts AS "emailReceipts" FROM supporters WHERE id = $1`,
      [await this.resolve(id, m)],
    );
    return row;
  }

  async record(id: string, m: EntityManager = this.dataSource.manager): Promise<SupporterRecordDto> {
    const rootId = await this.resolve(id, m);
    const [s] = await m.query(
      `SELECT s.id, s.name, s.email, s.phone, s.address, s.notes, s.email_receipts AS "emailReceipts",
              s.stripe_customer_id AS "stripeCustomerId", s.created_at AS "createdAt", s.updated_at AS "updatedAt",
              (SELECT json_agg(json_build_object('number', p.number, 'e164', p.e164) ORDER BY p.position)
                 FROM supporter_phones p WHERE p.supporter_id = s.id) AS phones,
              (SELECT json_agg(json_build_object('email', h.email, 'replacedAt', h.replaced_at) ORDER BY h.id DESC)
                 FROM supporter_email_history h WHERE h.supporter_id = s.id) AS "previousEmails",
              (SELECT json_agg(json_build_object('id', x.id, 'name', x.name, 'email', x.email,
                        'stripeCustomerId', x.stripe_customer_id, 'mergedAt', x.merged_at) ORDER BY x.merged_at)
                 FROM supporters x WHERE x.merged_into = s.id) AS merged
         FROM supporters s WHERE s.id = $1`,
      [rootId],
    );
    const merged = (s.merged ?? []) as SupporterRecordDto['merged'];
    const ids = [rootId, ...merged.map((x) => x.id)];
    const payments: Array<Record<string, unknown>> = await m.query(
      `SELECT id, supporter_id AS "supporterId", kind, type, channel, method, gross::bigint AS gross, fee::bigint AS fee,
              net::bigint AS net, currency, reference, description, occurred_at AS "occurredAt", reverses_entry_id AS "reversesEntryId"
         FROM ledger_entries WHERE supporter_id = ANY($1::uuid[]) ORDER BY occurred_at DESC, id DESC LIMIT 500`,
      [ids],
    );
    const subscriptions: Array<Record<string, unknown>> = await m.query(
      `SELECT id, supporter_id AS "supporterId", kind, billing, origin, reason, tier_code AS tier, amount::bigint AS amount, currency, status,
              current_period_start AS "currentPeriodStart", current_period_end AS "currentPeriodEnd", cancel_at_period_end AS "cancelAtPeriodEnd", delivery_address AS "deliveryAddress"
         FROM subscriptions WHERE supporter_id = ANY($1::uuid[]) ORDER BY created_at DESC`,
      [ids],
    );
    // pg answers bigint as text: money leaves as an exact integer of minor units.
    const money = (rows: Array<Record<string, unknown>>) =>
      rows.map((r) => ({
        ...r,
        ...Object.fromEntries(
          ['gross', 'fee', 'net', 'amount'].filter((k) => k in r).map((k) => [k, toSafeInt(r[k] as string)]),
        ),
      }));
    return {
      id: s.id,
      name: s.name,
      email: s.email,
      phones: phonesOf(s.phones),
      phone: s.phone,
      address: s.address,
      notes: s.notes,
      emailReceipts: s.emailReceipts,
      stripeCustomerIds: [s.stripeCustomerId, ...merged.map((x) => x.stripeCustomerId)].filter((c): c is string => !!c),
      previousEmails: s.previousEmails ?? [],
      merged,
      ...(rootId !== id ? { requestedId: id } : {}),
      createdAt: iso(s.createdAt),
      updatedAt: iso(s.updatedAt),
      payments: money(payments) as unknown as SupporterRecordDto['payments'],
      subscriptions: money(subscriptions) as unknown as SupporterRecordDto['subscriptions'],
    };
  }

  /** Staff edit a record (PATCH): audited with what changed, before and after. */
  async update(id: string, changes: SupporterChanges, actor: Actor): Promise<SupporterRecordDto> {
    return this.dataSource.transaction(async (m) => {
      const rootId = await this.change(m, id, changes, actor, 'supporter.update');
      return this.record(rootId, m);
    });
  }

  /**
   * Applies changes to a record (the survivor, when `id` was merged) in the caller's transaction:
   * an email change keeps the old address in the history; an email another supporter has is
   * refused (409 SUPPORTER_EMAIL_TAKEN, naming that supporter, a candidate for merging), unless it
   * is the email of a record merged into this one: then it moves off that record (kept in this
   * one's history too) in the same transaction.
   * Audited as `action` when anything changed. Answers the id of the record changed.
   */
  async change(m: EntityManager, id: string, changes: SupporterChanges, actor: Actor, action: string): Promise<string> {
    const rootId = await this.resolve(id, m);
    const [row]: SupporterRow[] = await m.query(
      `SELECT id, name, email, phone, address, notes, email_receipts, merged_into, stripe_customer_id FROM supporters WHERE id = $1 FOR UPDATE`,
      [rootId],
    );
    const phonesBefore: Array<{ number: string; e164: string | null }> = await m.query(
      `SELECT number, e164 FROM supporter_phones WHERE supporter_id = $1 ORDER BY position`,
      [rootId],
    );
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const set: Record<string, unknown> = {};
    const differs = (a: unknown, b: unknown) => canonical(a) !== canonical(b);
    const field = (key: string, column: keyof SupporterRow, value: unknown) => {
      if (value === undefined || !differs(row[column], value)) return;
      before[key] = row[column];
      after[key] = value;
      set[column] = column === 'address' && value !== null ? JSON.stringify(value) : value;
    };
    field('name', 'name', changes.name);
    field('email', 'email', changes.email);
    field('address', 'address', changes.address);
    field('notes', 'notes', changes.notes);
    field('emailReceipts', 'email_receipts', changes.emailReceipts);

    let phones = phonesBefore;
    if (changes.phones !== undefined) {
      phones = changes.phones.map((number) => ({ number, e164: toE164(number) }));
    } else if (changes.addPhone !== undefined) {
      const e164 = toE164(changes.addPhone);
      const known = phonesBefore.some((p) => (e164 ? p.e164 === e164 : p.number === changes.addPhone));
      if (!known) phones = [...phonesBefore, { number: changes.addPhone, e164 }];
    }
    const phonesChanged = differs(phones, phonesBefore);
    if (phonesChanged) {
      before.phones = phonesBefore;
      after.phones = phones;
      if (differs(row.phone, phones[0]?.number)) set.phone = phones[0]?.number ?? null;
    }

    if ('email' in set) {
      const email = set.email as string | null;
      if (email === null && !(set.name ?? row.name)) {
        throw new DomainError('VALIDATION_FAILED', 'a supporter needs a name or an email', 'email');
      }
      if (email !== null) {
        const [other]: Array<{ id: string; email: string; merged_into: string | null }> = await m.query(
          `SELECT id, email, merged_into FROM supporters WHERE lower(email) = lower($1) AND id <> $2 FOR UPDATE`,
          [email, rootId],
        );
        if (other && other.merged_into === rootId) {
          // The email of a record merged into this one is this person's already: it moves off the
          // merged record (the unique index allows one holder) and is kept in the survivor's
          // email history, so that every look-up by it answers the survivor as before.
          await m.query(`UPDATE supporters SET email = NULL, updated_at = now() WHERE id = $1`, [other.id]);
          await m.query(`INSERT INTO supporter_email_history (supporter_id, email, staff_id) VALUES ($1, $2, $3)`, [
            rootId,
            other.email,
            actor.staffId,
          ]);
          before.mergedRecordEmail = { supporterId: other.id, email: other.email };
          after.mergedRecordEmail = { supporterId: other.id, email: null };
        } else if (other) {
          const holder = other.merged_into ?? other.id;
          throw new DomainError(
            'SUPPORTER_EMAIL_TAKEN',
            `${email} is the email of supporter ${holder}: merge the two records instead`,
            'email',
            { supporterId: holder },
          );
        }
      }
      if (row.email && row.email.toLowerCase() !== email?.toLowerCase()) {
        await m.query(`INSERT INTO supporter_email_history (supporter_id, email, staff_id) VALUES ($1, $2, $3)`, [
          rootId,
          row.email,
          actor.staffId,
        ]);
      }
    }
    const columns = Object.keys(set);
    if (columns.length) {
      await m.query(
        `UPDATE supporters SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now() WHERE id = $1`,
        [rootId, ...columns.map((c) => set[c])],
      );
    } else if (phonesChanged) {
      await m.query(`UPDATE supporters SET updated_at = now() WHERE id = $1`, [rootId]);
    }
    if (phonesChanged) await this.writePhones(m, rootId, phones);
    if (Object.keys(after).length) {
      await this.audit.record(actor, { action, entityType: 'supporter', entityId: rootId, before, after }, m);
    }
    return rootId;
  }

  private async writePhones(
    m: EntityManager,
    supporterId: string,
    phones: Array<{ number: string; e164: string | null }>,
  ): Promise<void> {
    await m.query(`DELETE FROM supporter_phones WHERE supporter_id = $1`, [supporterId]);
    if (!phones.length) return;
    await m.query(
      `INSERT INTO supporter_phones (supporter_id, position, number, e164)
       SELECT $1, ord - 1, number, e164 FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t (number, e164, ord)`,
      [supporterId, phones.map((p) => p.number), phones.map((p) => p.e164)],
    );
  }

  /**
   * The caller on the phone line, when no `supporterId` is given: the record with their email
   * (one per email; its missing name, phone and address filled in; the survivor if it was
   * merged), else a new record. Answers its id.
   */
  async findOrCreateForPhone(m: EntityManager, s: NewSupporterDetails): Promise<string> {
    const address = s.address ? JSON.stringify(s.address) : null;
    const [row] = s.email
      ? await m.query(
          `INSERT INTO supporters (email, name, phone, address) VALUES ($1, $2, $3, $4)
           ON CONFLICT ((lower(email))) DO UPDATE SET name = COALESCE(supporters.name, EXCLUDED.name),
             phone = COALESCE(supporters.phone, EXCLUDED.phone), address = COALESCE(supporters.address, EXCLUDED.address)
           RETURNING COALESCE(merged_into, id) AS id`,
          [s.email, s.name, s.phone ?? null, address],
        )
      : await m.query(`INSERT INTO supporters (email, name, phone, address) VALUES (NULL, $1, $2, $3) RETURNING id`, [
          s.name,
          s.phone ?? null,
          address,
        ]);
    if (s.phone) {
      const e164 = toE164(s.phone);
      await m.query(
        `INSERT INTO supporter_phones (supporter_id, position, number, e164)
         SELECT $1, COALESCE(max(position) + 1, 0), $2, $3 FROM supporter_phones WHERE supporter_id = $1
         HAVING NOT bool_or(COALESCE(e164 = $3, number = $2)) IS TRUE`,
        [row.id, s.phone, e164],
      );
    }
    return row.id;
  }

  /**
   * Finds a caller: an exact email (current or former) or phone number in any format first, then
   * the start of a phone number, then name, email, street, city or postcode (word prefixes), then
   * subscriptions' delivery addresses. A match on a merged record answers its survivor. At most 50.
   */
  async search(q: string | undefined): Promise<SupporterSearchResultDto[]> {
    const term = (q ?? '').trim();
    if (term.length < 2 || term.length > 100) {
      throw new DomainError('VALIDATION_FAILED', 'q must be 2 to 100 characters', 'q');
    }
    const phone = phoneQuery(term);
    const email = term.includes('@') ? term.toLowerCase() : null;
    // A valid phone number is looked up as one (exactly, on its index): its digit groups as word
    // prefixes would only scan every house number and postcode that begins with them.
    const words = phone && 'exact' in phone ? null : prefixQuery(term);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH hits (id, rank) AS (
          SELECT id, 0 FROM supporters WHERE $1::text IS NOT NULL AND lower(email) = $1
          UNION ALL SELECT supporter_id, 0 FROM supporter_email_history WHERE $1::text IS NOT NULL AND lower(email) = $1
          UNION ALL SELECT supporter_id, 0 FROM supporter_phones WHERE e164 = $2
          UNION ALL SELECT supporter_id, 1 FROM supporter_phones WHERE e164 LIKE $3
          UNION ALL (SELECT id, 2 FROM supporters WHERE $4::text IS NOT NULL AND search_vector @@ to_tsquery('simple', $4) LIMIT ${TEXT_HITS})
          UNION ALL (SELECT supporter_id, 3 FROM subscriptions
                      WHERE $4::text IS NOT NULL AND ${DELIVERY_ADDRESS_TSVECTOR} @@ to_tsquery('simple', $4) LIMIT ${TEXT_HITS})
        ), roots AS (
          SELECT COALESCE(s.merged_into, s.id) AS id, min(h.rank) AS rank
            FROM hits h JOIN supporters s ON s.id = h.id GROUP BY 1
        ), best AS (
          SELECT s.*, r.rank FROM roots r JOIN supporters s ON s.id = r.id
           ORDER BY r.rank, s.name NULLS LAST, s.created_at, s.id LIMIT 50
        )
        SELECT b.id, b.name, b.email, b.phone, b.address, b.rank, b.created_at AS "createdAt",
               (SELECT json_agg(json_build_object('number', p.number, 'e164', p.e164) ORDER BY p.position)
                  FROM supporter_phones p WHERE p.supporter_id = b.id) AS phones,
               (SELECT COALESCE(sum(l.gross), 0) FROM ledger_entries l
                 WHERE l.supporter_id = b.id OR l.supporter_id IN (SELECT x.id FROM supporters x WHERE x.merged_into = b.id))::bigint AS "totalGiven"
          FROM best b ORDER BY b.rank, b.name NULLS LAST, b.created_at, b.id`,
      [
        email,
        phone && 'exact' in phone ? phone.exact : null,
        phone && 'prefix' in phone ? `${phone.prefix}%` : null,
        words,
      ],
    );
    const match = ['email', 'phone', 'phone_prefix', 'details', 'delivery_address'];
    return rows.map((r) => ({
      id: r.id as string,
      name: r.name as string | null,
      email: r.email as string | null,
      phone: r.phone as string | null,
      phones: phonesOf(r.phones as SupporterPhoneDto[] | null),
      address: r.address as Record<string, string> | null,
      // rank 0 is an exact email or phone: say which.
      match: r.rank === 0 ? (email ? 'email' : 'phone') : match[(r.rank as number) + 1],
      totalGiven: toSafeInt(r.totalGiven as string),
      createdAt: iso(r.createdAt),
    }));
  }

  /**
   * Likely duplicates of a supporter (and of the records merged into it): the same normalised
   * phone, the same email ignoring case (current or former), or the same name with the same
   * postcode (postal or delivery address). Records already merged are not listed.
   */
  async duplicates(id: string): Promise<SupporterDuplicateDto[]> {
    const rootId = await this.resolve(id);
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH mine AS (SELECT id FROM supporters WHERE id = $1 OR merged_into = $1),
        names AS (SELECT DISTINCT lower(btrim(name)) AS name FROM supporters WHERE id IN (SELECT id FROM mine) AND name IS NOT NULL),
        postcodes AS (
          SELECT upper(btrim(address->>'postalCode')) AS pc FROM supporters WHERE id IN (SELECT id FROM mine) AND address ? 'postalCode'
          UNION SELECT upper(btrim(delivery_address->>'postalCode')) FROM subscriptions WHERE supporter_id IN (SELECT id FROM mine) AND delivery_address ? 'postalCode'),
        emails AS (
          SELECT lower(email) AS email FROM supporters WHERE id IN (SELECT id FROM mine) AND email IS NOT NULL
          UNION SELECT lower(email) FROM supporter_email_history WHERE supporter_id IN (SELECT id FROM mine)),
        hits (id, reason) AS (
          SELECT supporter_id, 'phone' FROM supporter_phones
           WHERE e164 IN (SELECT e164 FROM supporter_phones WHERE supporter_id IN (SELECT id FROM mine) AND e164 IS NOT NULL)
          UNION SELECT id, 'email' FROM supporters WHERE lower(email) IN (SELECT email FROM emails)
          UNION SELECT supporter_id, 'email' FROM supporter_email_history WHERE lower(email) IN (SELECT email FROM emails)
          UNION SELECT s.id, 'name_postcode' FROM supporters s
           WHERE lower(btrim(s.name)) IN (SELECT name FROM names)
             AND (upper(btrim(s.address->>'postalCode')) IN (SELECT pc FROM postcodes)
               OR EXISTS (SELECT 1 FROM subscriptions sub WHERE sub.supporter_id = s.id
                           AND upper(btrim(sub.delivery_address->>'postalCode')) IN (SELECT pc FROM postcodes)))
        ), others AS (
          SELECT COALESCE(s.merged_into, s.id) AS id, array_agg(DISTINCT h.reason ORDER BY h.reason) AS reasons
            FROM hits h JOIN supporters s ON s.id = h.id
           WHERE COALESCE(s.merged_into, s.id) <> $1 GROUP BY 1
        )
        SELECT s.id, s.name, s.email, s.address, s.created_at AS "createdAt", o.reasons,
               (SELECT json_agg(json_build_object('number', p.number, 'e164', p.e164) ORDER BY p.position)
                  FROM supporter_phones p WHERE p.supporter_id = s.id) AS phones
          FROM others o JOIN supporters s ON s.id = o.id ORDER BY s.created_at, s.id LIMIT 100`,
      [rootId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      name: r.name as string | null,
      email: r.email as string | null,
      phones: phonesOf(r.phones as SupporterPhoneDto[] | null),
      address: r.address as Record<string, string> | null,
      reasons: r.reasons as string[],
      createdAt: iso(r.createdAt),
    }));
  }

  /**
   * Merges `from` into `id` (audited). The ledger is not touched: `from` points at `id`
   * (`merged_into`), and everything keyed to it (entries, subscriptions, its Stripe customer, its
   * email and phones for look-ups) is read as `id`'s from then on; records merged into `from`
   * earlier now point at `id` too, so there is never a chain. A repeat answers the same with
   * `merged: false`. Refused: a record into itself (422), into a record that is itself merged
   * (409 MERGE_CHAIN, field id), or a record merged into another one (409, field from).
   */
  async merge(id: string, from: string, actor: Actor): Promise<SupporterMergeResultDto> {
    if (!isUuid(id)) throw new DomainError('NOT_FOUND', `supporter ${id} does not exist`, 'id');
    if (id === from) throw new DomainError('MERGE_INTO_ITSELF', 'a supporter cannot be merged into itself', 'from');
    return this.dataSource.transaction(async (m) => {
      // Both rows locked in one order, so that two merges of the same pair cannot deadlock.
      const rows: SupporterRow[] = await m.query(
        `SELECT id, name, email, phone, address, notes, email_receipts, merged_into, stripe_customer_id
           FROM supporters WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
        [[id, from]],
      );
      const target = rows.find((r) => r.id === id);
      const source = rows.find((r) => r.id === from);
      if (!target) throw new DomainError('NOT_FOUND', `supporter ${id} does not exist`, 'id');
      if (!source) throw new DomainError('NOT_FOUND', `supporter ${from} does not exist`, 'from');
      if (source.merged_into === id) {
        return { id, from, merged: false, supporter: await this.record(id, m) };
      }
      if (target.merged_into) {
        throw new DomainError(
          'MERGE_CHAIN',
          `supporter ${id} was merged into ${target.merged_into}: merge into that one`,
          'id',
          { mergedInto: target.merged_into },
        );
      }
      if (source.merged_into) {
        throw new DomainError(
          'MERGE_CHAIN',
          `supporter ${from} was merged into ${source.merged_into} already`,
          'from',
          { mergedInto: source.merged_into },
        );
      }
      const carried: Array<{ id: string }> = await m.query(
        `UPDATE supporters SET merged_into = $1, updated_at = now() WHERE merged_into = $2 RETURNING id`,
        [id, from],
      );
      await m.query(
        `UPDATE supporters SET merged_into = $1, merged_at = clock_timestamp(), updated_at = now() WHERE id = $2`,
        [id, from],
      );
      await this.audit.record(
        actor,
        {
          action: 'supporter.merge',
          entityType: 'supporter',
          entityId: id,
          before: { survivor: target, merged: source },
          after: { mergedInto: id, merged: [from, ...carried.map((c) => c.id)] },
        },
        m,
      );
      return { id, from, merged: true, supporter: await this.record(id, m) };
    });
  }
}
