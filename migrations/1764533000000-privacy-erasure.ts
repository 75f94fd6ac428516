import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Erasure on request (Australian Privacy Principles):
 *
 * - `supporters.erased_at`: when the record's personal data was replaced by a tombstone.
 * - The audit log stays append-only, with one exception: an erasure scrubs the personal data in
 *   the `before` / `after` snapshots of the rows about that supporter. An UPDATE of `audit_log`
 *   passes only when the transaction set `app.privacy_erasure` to `on` (`set_config(…, true)`)
 *   and it changes nothing but `before` and `after`; a DELETE never passes.
 */
export class PrivacyErasure1764533000000 implements MigrationInterface {
  name = 'PrivacyErasure1764533000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE supporters ADD COLUMN erased_at timestamptz`);
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND current_setting('app.privacy_erasure', true) = 'on'
           AND (NEW.id, NEW.staff_id, NEW.actor, NEW.action, NEW.entity_type, NEW.entity_id, NEW.ip, NEW.request_id, NEW.created_at)
               IS NOT DISTINCT FROM
               (OLD.id, OLD.staff_id, OLD.actor, OLD.action, OLD.entity_type, OLD.entity_id, OLD.ip, OLD.request_id, OLD.created_at)
        THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`ALTER TABLE supporters DROP COLUMN erased_at`);
  }
}
