import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Metrics } from './metrics.service';

function fakeDataSource(answer: (sql: string) => Promise<unknown[]>) {
  const calls: string[] = [];
  const ds = { query: (sql: string) => (calls.push(sql), answer(sql)) } as unknown as DataSource;
  return { ds, calls };
}

const rows = (sql: string): Promise<unknown[]> =>
  Promise.resolve(
    sql.includes('stripe_events')
      ? [{ pending: 3, parked: 1, lag: 12.5 }]
      : [
          {
            currency: 'AUD',
            type: 'donation',
            channel: 'online',
            kind: 'payment',
            gross: 125000,
            fee: 2155,
            entries: 50,
          },
          { currency: 'AUD', type: 'donation', channel: 'online', kind: 'refund', gross: -2500, fee: 0, entries: 1 },
        ],
  );

describe('Metrics', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'warn', 'error', 'fatal']));

  it('works without a database: process metrics, HTTP and webhook counters, no database gauges', async () => {
    const m = new Metrics();
    m.observeHttp('GET', '/api/tiers', 200, 0.004);
    m.observeHttp('GET', undefined, 404, 0.001);
    m.webhookReceived('invoice.paid', false);
    m.webhookFailed('invoice.paid');
    const text = await m.scrape();
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/api/tiers",status_code="200"} 1');
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 1');
    expect(text).toContain('webhook_events_received_total{type="invoice.paid",duplicate="false"} 1');
    expect(text).toContain('webhook_events_failed_total{type="invoice.paid"} 1');
    expect(text).not.toContain('webhook_events_pending');
    expect(m.contentType).toMatch(/^text\/plain/);
  });

  it('reads the gauges with one query per source per scrape', async () => {
    const { ds, calls } = fakeDataSource(rows);
    const m = new Metrics(ds);
    const text = await m.scrape();
    expect(calls).toHaveLength(2);
    expect(text).toMatch(/^webhook_events_pending 3$/m);
    expect(text).toMatch(/^webhook_events_parked 1$/m);
    expect(text).toMatch(/^webhook_processing_lag_seconds 12\.5$/m);
    expect(text).toContain(
      'ledger_gross_minor_units{currency="AUD",type="donation",channel="online",kind="payment"} 125000',
    );
    expect(text).toContain(
      'ledger_gross_minor_units{currency="AUD",type="donation",channel="online",kind="refund"} -2500',
    );
    expect(text).toContain(
      'ledger_fee_minor_units{currency="AUD",type="donation",channel="online",kind="payment"} 2155',
    );
    expect(text).toContain('ledger_entries{currency="AUD",type="donation",channel="online",kind="payment"} 50');
    await m.scrape(); // within a second: the same answers
    expect(calls).toHaveLength(2);
  });

  it('leaves out the gauges whose query fails, and counts the failure', async () => {
    const { ds } = fakeDataSource((sql) =>
      sql.includes('ledger_daily_totals') ? Promise.reject(new Error('relation does not exist')) : rows(sql),
    );
    const m = new Metrics(ds);
    const text = await m.scrape();
    expect(text).toMatch(/^webhook_events_pending 3$/m);
    expect(text).not.toContain('ledger_entries{');
    expect(text).toContain('metrics_collect_failures_total{source="ledger"} 1');
  });

  it('answers when the database hangs, after the query timeout', async () => {
    const before = Metrics.queryTimeoutMs;
    Metrics.queryTimeoutMs = 50;
    try {
      const { ds } = fakeDataSource(() => new Promise(() => undefined));
      const m = new Metrics(ds);
      const started = Date.now();
      const text = await m.scrape();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).not.toMatch(/^webhook_events_pending /m);
      expect(text).toContain('metrics_collect_failures_total{source="webhooks"} 1');
    } finally {
      Metrics.queryTimeoutMs = before;
    }
  });
});
