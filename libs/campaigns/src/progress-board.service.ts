import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '@app/config';
import { toSafeInt } from '@app/database';
import { CampaignProgressDto } from './campaign-progress.dto';
import { progressSentence } from './progress-bar';

export const CURRENT_CAMPAIGN_SLUG = 'current';

/** What a campaign slug (or `current`) can look like; anything else names no campaign. */
export function isSlug(slug: unknown): slug is string {
  return typeof slug === 'string' && slug.length <= 100 && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug);
}

/** percent with two decimals, computed on integers (basis points) and rounded down. */
export function progressPercent(raised: number, target: number): number {
  if (target <= 0) return 0;
  const basisPoints = (BigInt(Math.max(raised, 0)) * 10000n) / BigInt(target);
  return Number(basisPoints) / 100;
}

/** A campaign's progress, ready to send: the JSON text and its entity tag are computed once. */
export interface ProgressSnapshot {
  campaignId: string;
  progress: CampaignProgressDto;
  json: string;
  etag: string;
}

interface Watched {
  snapshot: ProgressSnapshot;
  /** campaign row version + ledger entries counted so far: a change means recompute. */
  version: string;
  lastWanted: number;
}

interface CampaignRow {
  id: string;
  slug: string;
  title: string;
  currency: string;
  target_amount: string;
  ends_at: Date | null;
  counted_types: string[];
  is_current: boolean;
  updated_at: Date;
  entries: string;
  /** The latest supporter merge: a merge changes the supporters count without a ledger entry. */
  last_merge: Date | null;
}

type Listener = (snapshot: ProgressSnapshot) => void;

const CAMPAIGN_COLUMNS = `c.id, c.slug, c.title, c.currency, c.target_amount, c.ends_at, c.counted_types, c.is_current, c.updated_at,
  (SELECT COALESCE(SUM(t.entries), 0) FROM campaign_totals t WHERE t.campaign_id = c.id) AS entries,
  (SELECT max(merged_at) FROM supporters WHERE merged_into IS NOT NULL) AS last_merge`;

/** Campaigns nobody asked about for this long stop being refreshed. */
const FORGET_AFTER_MS = 10 * 60_000;

/**
 * The progress of the campaigns being shown, kept in memory so that a page view costs no query.
 *
 * Progress is read from the roll-ups the ledger trigger maintains (`campaign_totals`,
 * `campaign_supporters`), never from the ledger itself. Every PROGRESS_REFRESH_MS one small
 * query reads, for each watched campaign, its row and the number of ledger entries counted
 * toward it; only a campaign whose row or count changed is recomputed. Each instance does this
 * on its own, so several instances behind a load balancer all converge within one interval
 * without talking to each other. Listeners (server-sent events) hear about every change.
 */
@Injectable()
export class ProgressBoard implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger(ProgressBoard.name);
  private readonly watched = new Map<string, Watched>();
  /** slug (or `current`) → campaign id; rebuilt on every refresh. */
  private readonly slugs = new Map<string, string>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly loading = new Map<string, Promise<ProgressSnapshot | null>>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.refresh(), this.config.PROGRESS_REFRESH_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.refreshing;
  }

  /** The current snapshot of a campaign by slug (`current` = the site's current one), or null. */
  async get(slug: string): Promise<ProgressSnapshot | null> {
    const known = this.peek(slug);
    if (known) return known;
    if (!isSlug(slug)) return null;
    // First request for this slug on this instance: load it once, however many ask at once.
    let pending = this.loading.get(slug);
    if (!pending) {
      pending = this.load(slug).finally(() => this.loading.delete(slug));
      this.loading.set(slug, pending);
    }
    return pending;
  }

  /** The snapshot if this instance already has the campaign in memory (no waiting, no query). */
  peek(slug: string): ProgressSnapshot | null {
    const id = this.slugs.get(slug);
    const watched = id ? this.watched.get(id) : undefined;
    if (!watched) return null;
    watched.lastWanted = Date.now();
    return watched.snapshot;
  }

  /** Calls `listener` with every new snapshot of the campaign; returns the unsubscribe function. */
  subscribe(campaignId: string, listener: Listener): () => void {
    let set = this.listeners.get(campaignId);
    if (!set) this.listeners.set(campaignId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(campaignId);
    };
  }

  /** Forgets cached snapshots now (after an admin changed a campaign on this instance). */
  async invalidate(): Promise<void> {
    await this.refresh(true);
  }

  private async load(slug: string): Promise<ProgressSnapshot | null> {
    const where = slug === CURRENT_CAMPAIGN_SLUG ? 'c.is_current' : 'c.slug = $1';
    const rows: CampaignRow[] = await this.db.query(
      `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns c WHERE ${where}`,
      slug === CURRENT_CAMPAIGN_SLUG ? [] : [slug],
    );
    if (!rows.length) return null;
    const watched = await this.compute(rows[0]);
    this.watched.set(rows[0].id, watched);
    this.slugs.set(rows[0].slug, rows[0].id);
    if (rows[0].is_current) this.slugs.set(CURRENT_CAMPAIGN_SLUG, rows[0].id);
    return watched.snapshot;
  }

  private refresh(force = false): Promise<void> {
    if (this.refreshing) return force ? this.refreshing.then(() => this.refresh(true)) : this.refreshing;
    this.refreshing = this.refreshOnce(force)
      .catch((err) => this.log.warn(`progress refresh failed: ${err instanceof Error ? err.message : err}`))
      .finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshOnce(force: boolean): Promise<void> {
    const now = Date.now();
    for (const [id, w] of this.watched) {
      if (now - w.lastWanted > FORGET_AFTER_MS && !this.listeners.has(id)) this.watched.delete(id);
    }
    if (!this.watched.size && !this.slugs.size) return;
    // The watched campaigns, and whichever is current now (it may have changed).
    const rows: CampaignRow[] = await this.db.query(
      `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns c WHERE c.id = ANY($1::uuid[]) OR c.is_current`,
      [[...this.watched.keys()]],
    );
    this.slugs.clear();
    for (const row of rows) {
      this.slugs.set(row.slug, row.id);
      if (row.is_current) this.slugs.set(CURRENT_CAMPAIGN_SLUG, row.id);
      const before = this.watched.get(row.id);
      if (!before) continue;
      if (!force && before.version === versionOf(row)) continue;
      const after = await this.compute(row);
      after.lastWanted = before.lastWanted;
      this.watched.set(row.id, after);
      if (after.snapshot.etag !== before.snapshot.etag) this.emit(after.snapshot);
    }
    // A watched campaign that no longer exists (slug renamed away or deleted) is dropped.
    const seen = new Set(rows.map((r) => r.id));
    for (const id of this.watched.keys()) if (!seen.has(id)) this.watched.delete(id);
  }

  private emit(snapshot: ProgressSnapshot): void {
    for (const listener of this.listeners.get(snapshot.campaignId) ?? []) {
      try {
        listener(snapshot);
      } catch (err) {
        this.log.warn(`progress listener failed: ${err}`);
      }
    }
  }

  /**
   * raised = the gross of the counted types in the campaign's currency (refunds, reversals and
   * lost disputes are negative entries; fees are not subtracted); supporters = distinct
   * supporters whose gross toward it over the counted types is above zero (a supporter whose
   * payments were all refunded, reversed or lost to disputes in full does not count). A record
   * merged into another counts as its survivor (the roll-up keeps the ledger's supporter ids).
   */
  private async compute(row: CampaignRow): Promise<Watched> {
    const [totals] = await this.db.query(
      `SELECT (SELECT COALESCE(SUM(raised), 0) FROM campaign_totals WHERE campaign_id = $1 AND currency = $2 AND type = ANY($3::text[])) AS raised,
              (SELECT COUNT(*) FROM (SELECT 1 FROM campaign_supporters cs
                 LEFT JOIN (SELECT id, merged_into FROM supporters WHERE merged_into IS NOT NULL) m ON m.id = cs.supporter_id
                 WHERE cs.campaign_id = $1 AND cs.currency = $2 AND cs.type = ANY($3::text[])
                 GROUP BY COALESCE(m.merged_into, cs.supporter_id) HAVING SUM(cs.gross) > 0) s) AS supporters`,
      [row.id, row.currency, row.counted_types],
    );
    const target = toSafeInt(row.target_amount);
    const raised = toSafeInt(totals.raised);
    const currency = row.currency.trim();
    const progress: CampaignProgressDto = {
      slug: row.slug,
      title: row.title,
      currency,
      target,
      raised,
      percent: progressPercent(raised, target),
      supporters: toSafeInt(totals.supporters),
      endsAt: row.ends_at ? new Date(row.ends_at).toISOString() : null,
      sentence: progressSentence({ raised, target, currency }),
    };
    const json = JSON.stringify(progress);
    const etag = `"${createHash('sha1').update(json).digest('base64url').slice(0, 20)}"`;
    return { snapshot: { campaignId: row.id, progress, json, etag }, version: versionOf(row), lastWanted: Date.now() };
  }
}

function versionOf(row: CampaignRow): string {
  return `${new Date(row.updated_at).getTime()}:${row.entries}:${row.is_current}:${row.last_merge ? new Date(row.last_merge).getTime() : ''}`;
}
