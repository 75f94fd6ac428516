import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The text a supporter or a delivery address is found by (name, email, street, city, postcode). */
const SUPPORTER_TEXT = `coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(address->>'line1', '') || ' ' || coalesce(address->>'line2', '') || ' ' || coalesce(address->>'city', '') || ' ' || coalesce(address->>'postalCode', '')`;
const DELIVERY_ADDRESS_TSVECTOR = `to_tsvector('simple', coalesce(delivery_address->>'line1', '') || ' ' || coalesce(delivery_address->>'line2', '') || ' ' || coalesce(delivery_address->>'city', '') || ' ' || coalesce(delivery_address->>'postalCode', ''))`;

/**
 * Supporters as people (issue 14, items 1–4):
 * - `supporter_phones`: each number as typed and in E.164 (`libphonenumber-js`, region AU), so
 *   `0255501111`, `02 5550 1111` and `+61 2 5550 1111` find the same person; backfilled from
 *   `supporters.phone` (a number that is not valid keeps `e164` null).
 * - `notes`, `email_receipts` (receipts on or off), `supporter_email_history` (an email change
 *   keeps the old address).
 * - `merged_into`: a merged record points at the survivor; the ledger keeps its supporter id.
 * - `search_vector` and an index on subscriptions' delivery addresses for the staff search.
 */
export class SupporterRecords1764530000000 implements MigrationInterface {
  name = 'SupporterRecords1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE supporters
        ADD COLUMN notes text,
        ADD COLUMN email_receipts boolean NOT NULL DEFAULT true,
        ADD COLUMN merged_into uuid REFERENCES supporters (id),
        ADD COLUMN merged_at timestamptz,
        ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', ${SUPPORTER_TEXT})) STORED,
        ADD CONSTRAINT supporters_not_merged_into_itself CHECK (merged_into <> id)`);
    await q.query(`CREATE INDEX supporters_merged_into_idx ON supporters (merged_into) WHERE merged_into IS NOT NULL`);
    // The latest merge, for the progress board's change check (an index-only look).
    await q.query(`CREATE INDEX supporters_merged_at_idx ON supporters (merged_at) WHERE merged_into IS NOT NULL`);
    // Same name (and postcode): the duplicates check.
    await q.query(`CREATE INDEX supporters_name_lower_idx ON supporters (lower(btrim(name)))`);
    await q.query(`CREATE INDEX supporters_search_idx ON supporters USING gin (search_vector)`);
    await q.query(
      `CREATE INDEX subscriptions_delivery_search_idx ON subscriptions USING gin (${DELIVERY_ADDRESS_TSVECTOR})`,
    );
    await q.query(`
      CREATE TABLE supporter_phones (
        supporter_id uuid NOT NULL REFERENCES supporters (id),
        position smallint NOT NULL,
        number text NOT NULL,
        e164 text,
        PRIMARY KEY (supporter_id, position)
      )`);
    await q.query(
      `CREATE INDEX supporter_phones_e164_idx ON supporter_phones (e164 text_pattern_ops) WHERE e164 IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE supporter_email_history (
        id bigserial PRIMARY KEY,
        supporter_id uuid NOT NULL REFERENCES supporters (id),
        email text NOT NULL,
        replaced_at timestamptz NOT NULL DEFAULT now(),
        staff_id uuid
      )`);
    await q.query(`CREATE INDEX supporter_email_history_supporter_idx ON supporter_email_history (supporter_id)`);
    await q.query(`CREATE INDEX supporter_email_history_email_idx ON supporter_email_history (lower(email))`);

    // Backfill: every stored phone, normalised here (one pass, in pages of 5,000).
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: Array<{ id: string; phone: string }> = await q.query(
        `SELECT id, phone FROM supporters WHERE phone IS NOT NULL AND btrim(phone) <> '' AND id > $1 ORDER BY id LIMIT 5000`,
        [after],
      );
      if (!rows.length) break;
      const e164 = rows.map((r) => {
        const parsed = parsePhoneNumberFromString(r.phone.trim(), 'AU');
        return parsed?.isValid() ? parsed.number : null;
      });
      await q.query(
        `INSERT INTO supporter_phones (supporter_id, position, number, e164)
         SELECT id, 0, number, e164 FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t (id, number, e164)`,
        [rows.map((r) => r.id), rows.map((r) => r.phone.trim()), e164],
      );
      after = rows[rows.length - 1].id;
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE supporter_email_history`);
    await q.query(`DROP TABLE supporter_phones`);
    await q.query(`DROP INDEX subscriptions_delivery_search_idx`);
    await q.query(`
      ALTER TABLE supporters DROP CONSTRAINT supporters_not_merged_into_itself, DROP COLUMN search_vector,
        DROP COLUMN merged_at, DROP COLUMN merged_into, DROP COLUMN email_receipts, DROP COLUMN notes`);
  }
}
