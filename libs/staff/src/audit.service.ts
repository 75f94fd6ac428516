import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { type AuditLogEntryDto } from './staff.dto';

export interface Actor {
  staffId: string | null;
  /** email of the staff member, or `system` / `cli` */
  label: string;
  ip?: string | null;
  requestId?: string | null;
}

export interface AuditEntry {
  action: string;
  entityType?: string;
  entityId?: string;
  before?: unknown;
  after?: unknown;
}

/** The append-only record of every staff write and sign-in: who, what, when, before and after. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(actor: Actor, entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (staff_id, actor, action, entity_type, entity_id, before, after, ip, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        actor.staffId,
        actor.label,
        entry.action,
        entry.entityType ?? null,
        entry.entityId ?? null,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
        actor.ip ?? null,
        actor.requestId ?? null,
      ],
    );
  }

  /**
   * Newest first, `limit` at most, before the entry `beforeId` (paging), narrowed by the filter:
   * the staff member, the action (exact, or a prefix ending in `.`, e.g. `campaign.`), and the
   * days `from`..`to` (YYYY-MM-DD, inclusive) in `timeZone`.
   */
  async list(
    limit: number,
    beforeId?: string,
    filter: AuditFilter = {},
    timeZone = 'UTC',
  ): Promise<AuditLogEntryDto[]> {
    const action = filter.action?.endsWith('.') ? null : (filter.action ?? null);
    const prefix = filter.action?.endsWith('.') ? `${filter.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    return this.dataSource.query(
      `SELECT id, staff_id AS "staffId", actor, action, entity_type AS "entityType", entity_id AS "entityId", before, after, ip, request_id AS "requestId", created_at AS "createdAt"
         FROM audit_log
        WHERE ($2::bigint IS NULL OR id < $2::bigint)
          AND ($3::uuid IS NULL OR staff_id = $3::uuid)
          AND ($4::text IS NULL OR action = $4::text)
          AND ($5::text IS NULL OR action LIKE $5::text)
          AND ($6::date IS NULL OR created_at >= ($6::date)::timestamp AT TIME ZONE $8)
          AND ($7::date IS NULL OR created_at < ($7::date + 1)::timestamp AT TIME ZONE $8)
        ORDER BY id DESC LIMIT $1`,
      [
        limit,
        beforeId ?? null,
        filter.staffId ?? null,
        action,
        prefix,
        filter.from ?? null,
        filter.to ?? null,
        timeZone,
      ],
    );
  }
}

/** What the audit log may be narrowed to (every part optional). */
export interface AuditFilter {
  staffId?: string;
  action?: string;
  /** YYYY-MM-DD, inclusive, in the organisation's time zone */
  from?: string;
  to?: string;
}
