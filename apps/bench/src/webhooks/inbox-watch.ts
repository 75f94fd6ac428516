/** While the events are sent and processed: the inbox and the service's connections, sampled. */
import { performance } from 'node:perf_hooks';
import type { Client } from 'pg';
import { fmt, log, sleep } from '../bench-support';

// ---------------------------------------------------------------- 2. fire them, watch the inbox

export interface Sample {
  t: number;
  acknowledged: number;
  processed: number;
  pending: number;
  retrying: number;
  lagSeconds: number;
}

export interface ActivityTotals {
  samples: number;
  counts: Map<string, number>;
  /** Statements found waiting for a lock, by their text. */
  blocked: Map<string, number>;
}

export type Activity = Record<'sending' | 'after', ActivityTotals>;

/**
 * Every 200 ms the service's connections (pg_stat_activity), every second the inbox: what is
 * pending and how old the oldest pending event is (the partial indexes on unprocessed events make
 * that cheap; a count of the whole table every second would itself cost the database). Processed
 * = acknowledged (counted here) − pending. A line a second.
 */
export function watchInbox(
  client: Client,
  t0: number,
  total: number,
  acknowledged: () => number,
): { stop: () => Promise<{ samples: Sample[]; activity: Activity }> } {
  const samples: Sample[] = [];
  const activity: Activity = {
    sending: { samples: 0, counts: new Map(), blocked: new Map() },
    after: { samples: 0, counts: new Map(), blocked: new Map() },
  };
  let stopped = false;
  let lastProcessed = 0;
  let lastT = 0;
  const loop = (async () => {
    let tick = 0;
    while (!stopped) {
      const started = performance.now();
      const { rows } = await client.query(
        `SELECT state, wait_event_type, wait_event, count(*)::int AS n,
                array_agg(left(regexp_replace(query, '\\s+', ' ', 'g'), 110)) FILTER (WHERE wait_event_type = 'Lock') AS blocked
           FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
          GROUP BY 1, 2, 3`,
      );
      const phase = activity[acknowledged() < total ? 'sending' : 'after'];
      phase.samples++;
      for (const r of rows) {
        const key =
          r.state === 'active'
            ? r.wait_event_type
              ? `active, waiting ${r.wait_event_type}:${r.wait_event}`
              : 'active, running'
            : String(r.state);
        phase.counts.set(key, (phase.counts.get(key) ?? 0) + r.n);
        for (const q of (r.blocked as string[] | null) ?? []) phase.blocked.set(q, (phase.blocked.get(q) ?? 0) + 1);
      }
      if (tick++ % 5 === 0) {
        const acked = acknowledged();
        const {
          rows: [s],
        } = await client.query(
          `SELECT count(*)::int AS pending, count(*) FILTER (WHERE last_error IS NOT NULL)::int AS retrying,
                  COALESCE(EXTRACT(epoch FROM clock_timestamp() - min(received_at)), 0)::float8 AS lag
             FROM stripe_events WHERE processed_at IS NULL`,
        );
        const t = (performance.now() - t0) / 1000;
        const processed = Math.max(0, acked - s.pending);
        const sample: Sample = {
          t,
          acknowledged: acked,
          processed,
          pending: s.pending,
          retrying: s.retrying,
          lagSeconds: s.lag,
        };
        samples.push(sample);
        const rate = t > lastT ? (processed - lastProcessed) / (t - lastT) : 0;
        lastProcessed = processed;
        lastT = t;
        log(
          `  t=${t.toFixed(1).padStart(5)} s  acknowledged ${fmt(acked).padStart(6)}/${fmt(total)}  processed ${fmt(processed).padStart(6)}  ` +
            `pending ${fmt(s.pending).padStart(6)}  lag ${sample.lagSeconds.toFixed(2).padStart(6)} s  processing ${fmt(rate).padStart(5)}/s` +
            (s.retrying ? `  awaiting retry ${fmt(s.retrying)}` : ''),
        );
      }
      await sleep(Math.max(0, 200 - (performance.now() - started)));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return { samples, activity };
    },
  };
}
