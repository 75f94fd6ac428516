/** The sender (autocannon, each event signed as it is sent), and what the service's /metrics say. */
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { autocannon, percentile, request, type AutocannonResult } from '../bench-support';
import { CONNECTIONS, WEBHOOK_SECRET } from './config';

export interface AckFigures {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  startedAt: number;
}

/** Sends every body once, `CONNECTIONS` at a time, each signed when it is sent; `onAck` counts the answers. */
export async function fire(base: string, bodies: Buffer[], onAck: () => void): Promise<AckFigures> {
  let next = 0;
  const url = new URL(`${base}/api/stripe/webhook`);
  const latencies: number[] = [];
  const startedAt = Date.now();
  const t0 = performance.now();
  const result = await new Promise<AutocannonResult>((ok, fail) => {
    const instance = autocannon(
      {
        url: url.origin,
        connections: Math.min(CONNECTIONS, bodies.length),
        amount: bodies.length,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: url.pathname,
            setupRequest: (req) => {
              const body = bodies[next++ % bodies.length];
              const timestamp = Math.floor(Date.now() / 1000);
              const v1 = createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.`).update(body).digest('hex');
              return {
                ...req,
                body,
                headers: {
                  'Content-Type': 'application/json; charset=utf-8',
                  'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
                  'Stripe-Signature': `t=${timestamp},v1=${v1}`,
                  'Cache-Control': 'no-cache',
                  Accept: '*/*; q=0.5, application/xml',
                },
              };
            },
          },
        ],
      },
      (err, res) => (err ? fail(err) : ok(res)),
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      onAck();
    });
  });
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    sent: result.requests.sent ?? result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds,
    perSecond: result['2xx'] / seconds,
    p50Ms: percentile(latencies, 50),
    p90Ms: percentile(latencies, 90),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
    startedAt,
  };
}

/**
 * The service's event-loop delay since the previous scrape (prom-client's default metrics reset
 * it at every scrape), in ms; null when /metrics does not have it.
 */
export async function eventLoopDelay(base: string): Promise<{ p50: number; p99: number; max: number } | null> {
  const res = await request(`${base}/metrics`).catch(() => null);
  if (!res || res.status !== 200) return null;
  const get = (name: string) =>
    Number(
      new RegExp(`^nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? ([\\d.e+-]+)`, 'm').exec(res.body)?.[1] ?? NaN,
    ) * 1000;
  const d = { p50: get('p50'), p99: get('p99'), max: get('max') };
  return Number.isNaN(d.p99) ? null : d;
}

/** The service's own per-type processing times and webhook request durations, from /metrics. */
export async function serviceMetrics(base: string): Promise<{
  byType: Array<{ type: string; count: number; meanMs: number; totalSeconds: number }>;
  ackServerMeanMs: number;
  ackServerCount: number;
  failed: number;
}> {
  const res = await request(`${base}/metrics`);
  if (res.status !== 200) return { byType: [], ackServerMeanMs: NaN, ackServerCount: 0, failed: NaN };
  const sums = new Map<string, number>();
  const counts = new Map<string, number>();
  let ackSum = 0;
  let ackCount = 0;
  let failed = 0;
  for (const line of res.body.split('\n')) {
    let m = /^webhook_processing_seconds_(sum|count)\{type="([^"]+)"\} ([\d.e+-]+)/.exec(line);
    if (m) (m[1] === 'sum' ? sums : counts).set(m[2], Number(m[3]));
    m = /^http_request_duration_seconds_(sum|count)\{([^}]*route="\/api\/stripe\/webhook"[^}]*)\} ([\d.e+-]+)/.exec(
      line,
    );
    if (m) {
      if (m[1] === 'sum') ackSum += Number(m[3]);
      else ackCount += Number(m[3]);
    }
    m = /^webhook_events_failed_total\{[^}]*\} ([\d.e+-]+)/.exec(line);
    if (m) failed += Number(m[1]);
  }
  const byType = [...counts.entries()]
    .map(([type, count]) => ({
      type,
      count,
      totalSeconds: sums.get(type) ?? 0,
      meanMs: ((sums.get(type) ?? 0) / count) * 1000,
    }))
    .sort((a, b) => b.totalSeconds - a.totalSeconds);
  return { byType, ackServerMeanMs: ackCount ? (ackSum / ackCount) * 1000 : NaN, ackServerCount: ackCount, failed };
}
