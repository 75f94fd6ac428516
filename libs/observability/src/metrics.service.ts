import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { toSafeInt } from '@app/database';

/** Gauges of one scrape share one query; a scrape storm costs at most one query per second. */
const QUERY_REUSE_MS = 1000;
/** Route label of a request no route matched (a 404), so scanners cannot grow the label set. */
export const UNMATCHED_ROUTE = 'unmatched';

const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const WEBHOOK_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

let processRegistry: Registry | undefined;
/** Default process metrics (CPU, memory, event loop, GC) belong to the process: collected once, however many apps it runs. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

interface WebhookStats {
  pending: number;
  parked: number;
  lag: number;
}

interface LedgerTotal {
  currency: string;
  type: string;
  channel: string;
  kind: string;
  gross: number;
  fee: number;
  entries: number;
}

type HttpLabels = 'method' | 'route' | 'status_code';

/**
 * Prometheus metrics of this instance: default process metrics, HTTP request durations by route
 * pattern, webhook counters (called by the webhook inbox), and gauges read from the database at
 * scrape time (webhook backlog, ledger totals from the daily roll-up). A scrape that cannot reach
 * the database still answers, without those gauges.
 */
@Injectable()
export class Metrics {
  /** A scrape waits this long for the database before leaving its gauges out. */
  static queryTimeoutMs = 2000;
  private readonly logger = new Logger('Metrics');
  /** Counters and histograms recorded in process. */
  private readonly registry = new Registry();
  /** Gauges read from the database, one registry per query so that a failure leaves out only its own. */
  private readonly sources: { name: string; registry: Registry }[] = [];
  private readonly reused = new Map<string, { at: number; value: Promise<unknown> }>();

  private readonly httpDuration = new Histogram<HttpLabels>({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern (`unmatched` when no route matched) and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });
  private readonly httpChildren = new Map<string, Histogram.Internal<HttpLabels>>();
  private readonly received = new Counter<'type' | 'duplicate'>({
    name: 'webhook_events_received_total',
    help: 'Verified Stripe webhook deliveries by event type; duplicate="true" when the event was already stored',
    labelNames: ['type', 'duplicate'],
    registers: [this.registry],
  });
  private readonly processed = new Counter<'type'>({
    name: 'webhook_events_processed_total',
    help: 'Webhook events processed successfully, by event type',
    labelNames: ['type'],
    registers: [this.registry],
  });
  private readonly failed = new Counter<'type'>({
    name: 'webhook_events_failed_total',
    help: 'Failed attempts to process a webhook event (retried later), by event type',
    labelNames: ['type'],
    registers: [this.registry],
  });
  private readonly processingSeconds = new Histogram<'type'>({
    name: 'webhook_processing_seconds',
    help: 'Time to process one webhook event, by event type',
    labelNames: ['type'],
    buckets: WEBHOOK_BUCKETS,
    registers: [this.registry],
  });
  private readonly collectFailures = new Counter<'source'>({
    name: 'metrics_collect_failures_total',
    help: 'Scrapes that left out database gauges because the query failed or timed out, by source',
    labelNames: ['source'],
    registers: [this.registry],
  });

  constructor(@Optional() @InjectDataSource() private readonly dataSource?: DataSource) {
    processMetrics();
    if (dataSource) {
      this.registerWebhookGauges();
      this.registerLedgerGauges();
    }
  }

  /** The Prometheus text exposition content type. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** A verified webhook delivery arrived (`duplicate`: the event id was already stored). */
  webhookReceived(type: string, duplicate: boolean): void {
    this.received.inc({ type, duplicate: duplicate ? 'true' : 'false' });
  }

  /** A webhook event was processed successfully in `seconds`. */
  webhookProcessed(type: string, seconds: number): void {
    this.processed.inc({ type });
    this.processingSeconds.observe({ type }, seconds);
  }

  /** An attempt to process a webhook event failed (it stays for a retry or is parked). */
  webhookFailed(type: string): void {
    this.failed.inc({ type });
  }

  /** Records one HTTP request. `route` is the route pattern, never the raw URL. */
  observeHttp(method: string, route: string | undefined, statusCode: number, seconds: number): void {
    const key = `${method} ${route ?? UNMATCHED_ROUTE} ${statusCode}`;
    let child = this.httpChildren.get(key);
    if (!child) {
      child = this.httpDuration.labels(method, route ?? UNMATCHED_ROUTE, String(statusCode));
      this.httpChildren.set(key, child);
    }
    child.observe(seconds);
  }

  /** A Fastify `onResponse` hook that records every request's duration by route pattern. */
  onResponseHook() {
    return (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
      this.observeHttp(req.method, req.routeOptions?.url, reply.statusCode, reply.elapsedTime / 1000);
      done();
    };
  }

  /** Every metric in the Prometheus text format. */
  async scrape(): Promise<string> {
    const parts = [await processMetrics().metrics()];
    for (const source of this.sources) {
      try {
        parts.push(await source.registry.metrics());
      } catch (err) {
        this.collectFailures.inc({ source: source.name });
        this.logger.warn({
          msg: 'metrics scrape left out database gauges',
          source: source.name,
          err: err instanceof Error ? err.message : String(err),
        });
      }
    }
    parts.push(await this.registry.metrics());
    return parts.join('');
  }

  private registerWebhookGauges(): void {
    const registry = new Registry();
    this.sources.push({ name: 'webhooks', registry });
    const stats = () => this.reuse('webhooks', () => this.webhookStats());
    new Gauge({
      name: 'webhook_events_pending',
      help: 'Webhook events stored and not yet processed (waiting or due for a retry), parked ones excluded',
      registers: [registry],
      async collect() {
        this.set((await stats()).pending);
      },
    });
    new Gauge({
      name: 'webhook_events_parked',
      help: 'Webhook events that failed every attempt and wait to be replayed',
      registers: [registry],
      async collect() {
        this.set((await stats()).parked);
      },
    });
    new Gauge({
      name: 'webhook_processing_lag_seconds',
      help: 'Age of the oldest unprocessed, not parked webhook event (0 when there is none)',
      registers: [registry],
      async collect() {
        this.set((await stats()).lag);
      },
    });
  }

  private registerLedgerGauges(): void {
    const registry = new Registry();
    this.sources.push({ name: 'ledger', registry });
    const totals = () => this.reuse('ledger', () => this.ledgerTotals());
    const labelNames = ['currency', 'type', 'channel', 'kind'] as const;
    const gauge = (name: string, help: string, value: (t: LedgerTotal) => number) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        async collect() {
          const rows = await totals();
          this.reset();
          for (const t of rows) {
            this.set({ currency: t.currency, type: t.type, channel: t.channel, kind: t.kind }, value(t));
          }
        },
      });
    gauge('ledger_gross_minor_units', 'Ledger gross over all time, in minor units (cents)', (t) => t.gross);
    gauge('ledger_fee_minor_units', 'Stripe fees in the ledger over all time, in minor units (cents)', (t) => t.fee);
    gauge('ledger_entries', 'Ledger entries over all time', (t) => t.entries);
  }

  private async webhookStats(): Promise<WebhookStats> {
    const [row] = await this.dataSource!.query(`
      SELECT count(*) FILTER (WHERE next_attempt_at < 'infinity')::int AS pending,
             count(*) FILTER (WHERE next_attempt_at = 'infinity')::int AS parked,
             COALESCE(GREATEST(EXTRACT(EPOCH FROM now() - min(received_at) FILTER (WHERE next_attempt_at < 'infinity')), 0), 0)::float8 AS lag
        FROM stripe_events
       WHERE processed_at IS NULL`);
    return { pending: Number(row.pending), parked: Number(row.parked), lag: Number(row.lag) };
  }

  private async ledgerTotals(): Promise<LedgerTotal[]> {
    const rows: Record<string, unknown>[] = await this.dataSource!.query(`
      SELECT currency, type, channel, kind, sum(gross) AS gross, sum(fee) AS fee, sum(entries) AS entries
        FROM ledger_daily_totals
       GROUP BY currency, type, channel, kind`);
    return rows.map((r) => ({
      currency: String(r.currency).trim(),
      type: String(r.type),
      channel: String(r.channel),
      kind: String(r.kind),
      // Exact integer minor units (SUM of bigint arrives as a numeric string), never a float.
      gross: toSafeInt(r.gross as string),
      fee: toSafeInt(r.fee as string),
      entries: toSafeInt(r.entries as string),
    }));
  }

  /** One query per source per second however many gauges (and scrapes) ask; bounded by a timeout. */
  private reuse<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.reused.get(key);
    if (hit && now - hit.at < QUERY_REUSE_MS) return hit.value as Promise<T>;
    const value = withTimeout(load(), Metrics.queryTimeoutMs, key);
    this.reused.set(key, { at: now, value });
    value.catch(() => undefined); // awaited by the gauges; never an unhandled rejection
    return value;
  }
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} query timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
