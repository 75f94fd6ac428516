import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { scrubSnapshot } from './audit-privacy';

/** An audit entry, as exported to the person it is about. */
export interface AuditRecord {
  id: string;
  actor: string;
  action: string;
  entityType: string | null;
  entityId: string | null;
  before: unknown;
  after: unknown;
  createdAt: Date;
}

/** Which audit entries are about a person: those on their records, and those whose snapshots mention them. */
export interface AuditSubject {
  entities: Array<{ type: string; ids: string[] }>;
  /** Their id and email addresses: an entry whose before/after contains one is about them. */
  mentions: string[];
}

const likeAny = (terms: string[]) => terms.filter(Boolean).map((t) => `%${t.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);

/**
 * The audit log's side of privacy requests. The log is append-only; the one change it takes is
 * an erasure's scrub of the personal data in `before` / `after` (the trigger lets it through only
 * with `app.privacy_erasure` on in the transaction, and only for those two columns).
 */
/** Entries about the subject: on one of its entities, or mentioning one of its needles in a snapshot. */
const ABOUT = `(EXISTS (SELECT 1 FROM unnest($1::text[], $2::jsonb[]) AS e(type, ids)
                 WHERE a.entity_type = e.type AND e.ids ? a.entity_id)
     OR (COALESCE(a.before::text, '') || ' ' || COALESCE(a.after::text, '')) ILIKE ANY($3::text[]))`;

const aboutParams = (subject: AuditSubject): unknown[] => [
  subject.entities.map((e) => e.type),
  subject.entities.map((e) => JSON.stringify(e.ids)),
  likeAny(subject.mentions),
];

@Injectable()
export class AuditPrivacyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every audit entry about the subject, oldest first (reads the log's snapshots: a rare, admin-only request). */
  async about(subject: AuditSubject, manager: EntityManager = this.dataSource.manager): Promise<AuditRecord[]> {
    return manager.query(
      `SELECT a.id::text AS id, a.actor, a.action, a.entity_type AS "entityType", a.entity_id AS "entityId", a.before, a.after,
              a.created_at AS "createdAt"
         FROM audit_log a WHERE ${ABOUT} ORDER BY a.id`,
      aboutParams(subject),
    );
  }

  /** The latest `limit` entries about the subject, newest first, without their snapshots. */
  async latestAbout(subject: AuditSubject, limit: number): Promise<Array<Omit<AuditRecord, 'before' | 'after'>>> {
    return this.dataSource.query(
      `SELECT a.id::text AS id, a.actor, a.action, a.entity_type AS "entityType", a.entity_id AS "entityId",
              a.created_at AS "createdAt"
         FROM audit_log a WHERE ${ABOUT} ORDER BY a.id DESC LIMIT $4`,
      [...aboutParams(subject), limit],
    );
  }

  /**
   * Takes the personal data out of the snapshots of these entries (see `scrubSnapshot`), in the
   * caller's transaction; answers how many entries changed.
   */
  async scrub(entries: AuditRecord[], needles: string[], manager: EntityManager): Promise<number> {
    let changed = 0;
    await manager.query(`SELECT set_config('app.privacy_erasure', 'on', true)`);
    for (const entry of entries) {
      const before = scrubSnapshot(entry.before, needles);
      const after = scrubSnapshot(entry.after, needles);
      if (
        JSON.stringify(before) === JSON.stringify(entry.before) &&
        JSON.stringify(after) === JSON.stringify(entry.after)
      ) {
        continue;
      }
      await manager.query(`UPDATE audit_log SET before = $2::jsonb, after = $3::jsonb WHERE id = $1`, [
        entry.id,
        before === null ? null : JSON.stringify(before),
        after === null ? null : JSON.stringify(after),
      ]);
      changed++;
    }
    await manager.query(`SELECT set_config('app.privacy_erasure', 'off', true)`);
    return changed;
  }
}
