import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '@app/common';
import { assertSameRequest } from './idempotent-request';

/** A stored staff request's answer, as it is replayed. */
export interface StoredAnswer<T> {
  status: number;
  body: T;
}

/**
 * `phone_requests`, the operators' Idempotency-Keys (libs/phone owns it; only this class writes
 * it). Keys belong to the operator who sent them: another operator's identical key is another
 * request. Phone donations and offline subscriptions share them (the route is part of the hash).
 */
@Injectable()
export class PhoneRequestsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` once per (staff, key): the first request claims the key and does the work (which
   * stores its answer with `complete` in its own transaction); the same key and body answers that
   * again; another body is refused (422); a request arriving while the first is still being
   * processed is told to retry. If the work fails, nothing was recorded: the key is freed so that a
   * corrected or retried request can proceed.
   */
  async once<T>(
    staffId: string,
    key: string,
    hash: string,
    work: () => Promise<StoredAnswer<T>>,
  ): Promise<StoredAnswer<T> & { replayed: boolean }> {
    const claimed = await this.dataSource.query(
      `INSERT INTO phone_requests (idempotency_key, staff_id, request_hash) VALUES ($1, $2, $3) ON CONFLICT (staff_id, idempotency_key) DO NOTHING RETURNING idempotency_key`,
      [key, staffId, hash],
    );
    if (!claimed.length) return this.replay<T>(staffId, key, hash);
    try {
      const { status, body } = await work();
      return { status, body, replayed: false };
    } catch (err) {
      await this.dataSource
        .query(`DELETE FROM phone_requests WHERE staff_id = $1 AND idempotency_key = $2 AND response IS NULL`, [
          staffId,
          key,
        ])
        .catch(() => undefined);
      throw err;
    }
  }

  /** Stores the answer, in the transaction that recorded what it says (so it is replayed only if that committed). */
  async complete(m: EntityManager, staffId: string, key: string, status: number, body: unknown): Promise<void> {
    await m.query(
      `UPDATE phone_requests SET status_code = $3, response = $4, completed_at = now() WHERE staff_id = $1 AND idempotency_key = $2`,
      [staffId, key, status, JSON.stringify(body)],
    );
  }

  private async replay<T>(staffId: string, key: string, hash: string): Promise<StoredAnswer<T> & { replayed: true }> {
    const [row] = await this.dataSource.query(
      `SELECT request_hash, status_code, response FROM phone_requests WHERE staff_id = $1 AND idempotency_key = $2`,
      [staffId, key],
    );
    assertSameRequest(row, hash);
    if (!row.response) {
      throw new DomainError(
        'IDEMPOTENCY_REQUEST_IN_PROGRESS',
        'a request with this Idempotency-Key is being processed; retry shortly',
        'Idempotency-Key',
        undefined,
        1,
      );
    }
    return { status: row.status_code as number, body: row.response as T, replayed: true };
  }
}
