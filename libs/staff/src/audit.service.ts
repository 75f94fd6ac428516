import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

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
      [actor.staffId, actor.label, entry.action, entry.entityType ?? null, entry.entityId ?? null, entry.before === undefined ? null : JSON.stringify(entry.before), entry.after === undefined ? null : JSON.stringify(entry.after), actor.ip ?? null, actor.requestId ?? null],
    );
  }

  async list(limit: number, beforeId?: string): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT id, staff_id AS "staffId", actor, action, entity_type AS "entityType", entity_id AS "entityId", before, after, ip, request_id AS "requestId", created_at AS "createdAt"
         FROM audit_log WHERE ($2::bigint IS NULL OR id < $2::bigint) ORDER BY id DESC LIMIT $1`,
      [limit, beforeId ?? null],
    );
  }
}
