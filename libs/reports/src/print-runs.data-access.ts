import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { toSafeInt } from '@app/database';
import type { MailingListEntryDto } from './report-response.dto';
import type { ExportedPrintIssueDto, PrintRunDto } from './print-runs.dto';

/**
 * SQL: row y is the same subscription as row x, or the same person's earlier subscription to the
 * same tier (a prepaid renewal is a new subscription row, but not a new subscriber).
 */
const SAME_READER = `(y.subscription_id = x.subscription_id OR (y.supporter_id = x.supporter_id AND y.tier_code = x.tier_code))`;

/** SQL: a run's figures; a first issue is a subscription (and reader of its tier) in no run recorded before this one. */
const RUN_FIGURES = `SELECT r.id, to_char(r.issue_date, 'YYYY-MM-DD') AS issue_date, r.reference, r.created_at,
    (SELECT COUNT(*) FROM print_run_recipients x WHERE x.run_id = r.id) AS recipients,
    (SELECT COUNT(*) FROM print_run_recipients x WHERE x.run_id = r.id AND NOT EXISTS (
       SELECT 1 FROM print_run_recipients y JOIN print_runs o ON o.id = y.run_id
        WHERE ${SAME_READER} AND (o.created_at, o.id) < (r.created_at, r.id))) AS first_issues
  FROM print_runs r`;

type FigureRow = {
  id: string;
  issue_date: string;
  reference: string | null;
  created_at: Date;
  recipients: string;
  first_issues: string;
};

const toRun = (r: FigureRow): PrintRunDto => ({
  id: r.id,
  issueDate: r.issue_date,
  reference: r.reference,
  recipients: toSafeInt(r.recipients),
  firstIssues: toSafeInt(r.first_issues),
  createdAt: new Date(r.created_at).toISOString(),
});

/** The one writer of `print_runs` and `print_run_recipients`. */
@Injectable()
export class PrintRunsData {
  /** Runs are recorded one at a time (first issues are decided against the runs before). */
  async lock(m: EntityManager): Promise<void> {
    await m.query(`LOCK TABLE print_runs IN SHARE ROW EXCLUSIVE MODE`);
  }

  async byIssueDate(m: EntityManager, issueDate: string): Promise<PrintRunDto | null> {
    const [row] = await m.query(`${RUN_FIGURES} WHERE r.issue_date = $1`, [issueDate]);
    return row ? toRun(row) : null;
  }

  async byId(m: EntityManager, id: string): Promise<PrintRunDto | null> {
    const [row] = await m.query(`${RUN_FIGURES} WHERE r.id = $1`, [id]);
    return row ? toRun(row) : null;
  }

  async list(m: EntityManager): Promise<PrintRunDto[]> {
    const rows: FigureRow[] = await m.query(`${RUN_FIGURES} ORDER BY r.issue_date DESC, r.created_at DESC`);
    return rows.map(toRun);
  }

  async insertRun(
    m: EntityManager,
    issueDate: string,
    reference: string | null,
    staffId: string | null,
  ): Promise<string> {
    const [row] = await m.query(
      `INSERT INTO print_runs (issue_date, reference, created_by) VALUES ($1, $2, $3) RETURNING id`,
      [issueDate, reference, staffId],
    );
    return row.id;
  }

  /**
   * The run's recipients as they are now; answers the subscriptions to welcome: in no earlier run
   * (nor the same reader's earlier subscription to the tier), and not welcomed at their start.
   */
  async insertRecipients(
    m: EntityManager,
    runId: string,
    list: Array<MailingListEntryDto & { supporterId: string }>,
  ): Promise<Set<string>> {
    if (list.length === 0) return new Set();
    await m.query(
      `INSERT INTO print_run_recipients (run_id, subscription_id, supporter_id, tier_code, name, email, address, status, billing, origin, paid_until, subscriber_since, position)
       SELECT $1, e.subscription_id, e.supporter_id, e.tier, e.name, e.email, e.address, e.status, e.billing, e.origin, e.paid_until, e.since, e.position
         FROM jsonb_to_recordset($2::jsonb) AS e(subscription_id uuid, supporter_id uuid, tier text, name text, email text, address jsonb,
              status text, billing text, origin text, paid_until timestamptz, since timestamptz, position integer)`,
      [
        runId,
        JSON.stringify(
          list.map((e, i) => ({
            subscription_id: e.subscriptionId,
            supporter_id: e.supporterId,
            tier: e.tier,
            name: e.name,
            email: e.email,
            address: e.address,
            status: e.status,
            billing: e.billing,
            origin: e.origin,
            paid_until: e.paidUntil,
            since: e.since,
            position: i,
          })),
        ),
      ],
    );
    const first: Array<{ subscription_id: string }> = await m.query(
      `SELECT x.subscription_id FROM print_run_recipients x
        WHERE x.run_id = $1 AND NOT EXISTS (SELECT 1 FROM print_run_recipients y WHERE ${SAME_READER} AND y.run_id <> $1)
          -- Welcomed when it started, before print runs existed: its first issue, but no second welcome.
          AND NOT EXISTS (SELECT 1 FROM subscriptions s JOIN emails e
                ON e.dedupe_key IN ('welcome:subscription:' || s.stripe_subscription_id, 'welcome:checkout:' || s.checkout_id)
              WHERE s.id = x.subscription_id)`,
      [runId],
    );
    return new Set(first.map((r) => r.subscription_id));
  }

  /**
   * A supporter erased: the name, email and address kept in the runs they were in are emptied
   * (the rows stay, so the runs' counts do not change); answers how many rows.
   */
  async eraseSupporter(m: EntityManager, supporterId: string): Promise<number> {
    const [, count] = await m.query(
      `UPDATE print_run_recipients SET name = NULL, email = NULL, address = NULL
        WHERE (supporter_id = $1 OR subscription_id IN (SELECT id FROM subscriptions WHERE supporter_id = $1))
          AND (name IS NOT NULL OR email IS NOT NULL OR address IS NOT NULL)`,
      [supporterId],
    );
    return Number(count);
  }

  /** The issues posted to a supporter (or to their subscriptions), oldest first: their data export. */
  async issuesOf(m: EntityManager, supporterId: string): Promise<ExportedPrintIssueDto[]> {
    return m.query(
      `SELECT r.id AS "runId", to_char(r.issue_date, 'YYYY-MM-DD') AS "issueDate", x.subscription_id AS "subscriptionId",
              x.name, x.email, x.address
         FROM print_run_recipients x JOIN print_runs r ON r.id = x.run_id
        WHERE x.supporter_id = $1 OR x.subscription_id IN (SELECT id FROM subscriptions WHERE supporter_id = $1)
        ORDER BY r.issue_date, x.subscription_id`,
      [supporterId],
    );
  }

  /** A run's list as it was, in the mailing list's order. */
  async recipients(m: EntityManager, runId: string): Promise<MailingListEntryDto[]> {
    const rows: Array<{
      subscription_id: string;
      tier_code: string;
      name: string | null;
      email: string | null;
      address: Record<string, string> | null;
      status: string;
      billing: string;
      origin: string;
      paid_until: Date | null;
      subscriber_since: Date;
    }> = await m.query(`SELECT * FROM print_run_recipients WHERE run_id = $1 ORDER BY position`, [runId]);
    return rows.map((r) => ({
      subscriptionId: r.subscription_id,
      tier: r.tier_code,
      name: r.name,
      email: r.email,
      address: r.address,
      status: r.status,
      billing: r.billing,
      origin: r.origin,
      paidUntil: r.paid_until ? new Date(r.paid_until).toISOString() : null,
      since: new Date(r.subscriber_since).toISOString(),
    }));
  }
}
