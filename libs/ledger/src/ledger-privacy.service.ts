import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { toSafeInt } from '@app/database';

/** One ledger entry of a supporter, as exported to them (money in minor units). */
export interface SupporterLedgerEntry {
  id: string;
  kind: string;
  type: string;
  channel: string;
  method: string;
  gross: number;
  fee: number;
  net: number;
  currency: string;
  campaignId: string | null;
  reference: string | null;
  description: string | null;
  reversesEntryId: string | null;
  stripeChargeId: string | null;
  stripeInvoiceId: string | null;
  stripeRefundId: string | null;
  occurredAt: Date;
  recordedAt: Date;
}

/**
 * The ledger's side of privacy requests: read only. An erasure never touches the ledger (it is
 * append-only and its rows name the supporter by id alone), so every total stays as it was.
 */
@Injectable()
export class LedgerPrivacyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async entriesOf(supporterId: string): Promise<SupporterLedgerEntry[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id::text AS id, kind, type, channel, method, gross, fee, net, currency, campaign_id AS "campaignId", reference,
              description, reverses_entry_id::text AS "reversesEntryId", stripe_charge_id AS "stripeChargeId",
              stripe_invoice_id AS "stripeInvoiceId", stripe_refund_id AS "stripeRefundId", occurred_at AS "occurredAt",
              recorded_at AS "recordedAt"
         FROM ledger_entries WHERE supporter_id = $1 ORDER BY occurred_at, id`,
      [supporterId],
    );
    return rows.map((r) => ({
      ...(r as unknown as SupporterLedgerEntry),
      gross: toSafeInt(r.gross as string),
      fee: toSafeInt(r.fee as string),
      net: toSafeInt(r.net as string),
    }));
  }
}
