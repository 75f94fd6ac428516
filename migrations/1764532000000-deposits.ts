import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Bank deposits of the cash and cheques taken on the phone line. A deposit is opened by finance,
 * filled with ledger entries (each entry in at most one deposit: `deposit_entries` is unique on
 * the entry), then closed with the bank's reference and the date it was banked. A closed deposit
 * is immutable, here as well as in the service: a trigger refuses any change to a closed deposit
 * and any entry added to, moved out of or removed from one. The trigger reads the deposit
 * `FOR SHARE`, so adding an entry and closing the deposit at the same time run one after the other.
 */
export class Deposits1764532000000 implements MigrationInterface {
  name = 'Deposits1764532000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE deposits (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
        currency char(3) NOT NULL,
        note text,
        bank_reference text,
        deposited_on date,
        opened_by uuid REFERENCES staff (id),
        opened_at timestamptz NOT NULL DEFAULT now(),
        closed_by uuid REFERENCES staff (id),
        closed_at timestamptz,
        CONSTRAINT deposits_closed_complete CHECK (
          status = 'open' OR (bank_reference IS NOT NULL AND deposited_on IS NOT NULL AND closed_at IS NOT NULL)
        )
      )`);
    await q.query(`CREATE INDEX deposits_deposited_on_idx ON deposits (deposited_on) WHERE status = 'closed'`);
    await q.query(`
      CREATE TABLE deposit_entries (
        deposit_id uuid NOT NULL REFERENCES deposits (id),
        -- No foreign key to the ledger: its entries are never deleted, the service checks that the
        -- entry exists, and a reference would make TRUNCATE of the ledger fail on it rather than
        -- on the ledger's own append-only trigger.
        ledger_entry_id bigint NOT NULL,
        added_by uuid REFERENCES staff (id),
        added_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (deposit_id, ledger_entry_id),
        CONSTRAINT deposit_entries_entry_once UNIQUE (ledger_entry_id)
      )`);
    // The phone's cash and cheques, a small slice of a large ledger: what deposits and their reports read.
    await q.query(
      `CREATE INDEX ledger_phone_cash_idx ON ledger_entries (occurred_at) WHERE kind = 'payment' AND channel = 'phone' AND method IN ('cash', 'cheque')`,
    );
    await q.query(`
      CREATE FUNCTION deposits_closed_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'deposits' THEN
          IF OLD.status = 'closed' THEN
            RAISE EXCEPTION 'deposit % is closed: it cannot change', OLD.id USING ERRCODE = 'check_violation';
          END IF;
          RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') AND
           (SELECT status FROM deposits WHERE id = OLD.deposit_id FOR SHARE) = 'closed' THEN
          RAISE EXCEPTION 'deposit % is closed: its entries cannot change', OLD.deposit_id USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND
           (SELECT status FROM deposits WHERE id = NEW.deposit_id FOR SHARE) = 'closed' THEN
          RAISE EXCEPTION 'deposit % is closed: no entry can be added', NEW.deposit_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      END $$`);
    await q.query(
      `CREATE TRIGGER deposits_closed_immutable BEFORE UPDATE OR DELETE ON deposits FOR EACH ROW EXECUTE FUNCTION deposits_closed_immutable()`,
    );
    await q.query(
      `CREATE TRIGGER deposit_entries_closed_immutable BEFORE INSERT OR UPDATE OR DELETE ON deposit_entries FOR EACH ROW EXECUTE FUNCTION deposits_closed_immutable()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE deposit_entries`);
    await q.query(`DROP TABLE deposits`);
    await q.query(`DROP FUNCTION deposits_closed_immutable()`);
    await q.query(`DROP INDEX ledger_phone_cash_idx`);
  }
}
