/** The child processes (the Stripe simulator, the service, its workers) and the profiling proxy. */
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DIST, freePort, start, waitUntilAnswering } from '../bench-support';
import { DB_URL, SERVICE_NODE_ARGS, SIMULATOR_NODE_ARGS, WEBHOOK_SECRET } from './config';

// ---------------------------------------------------------------- children

export interface Child {
  child: ChildProcess;
  output: () => string;
}

export async function startSimulator(): Promise<Child & { url: string }> {
  const port = await freePort();
  // No line per request: printing (and this process reading) them would be measured as the simulator's work.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    STRIPE_SIMULATOR_PORT: String(port),
    SIMULATOR_HOST: '127.0.0.1',
    SIMULATOR_LOG_REQUESTS: '0',
  };
  delete env.STRIPE_WEBHOOK_URL; // it keeps the events and delivers none
  delete env.SIMULATOR_STATE_FILE; // a benchmark's simulator is in memory only
  delete env.STRIPE_WEBHOOK_SECRET;
  delete env.SIMULATOR_PUBLIC_URL;
  const sim = start(
    'stripe simulator',
    [...SIMULATOR_NODE_ARGS, path.join(DIST, 'apps/stripe-simulator/src/main.js')],
    env,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(`${url}/_simulator/clock`, sim.child, sim.output, 'the Stripe simulator', 30_000);
  return { ...sim, url };
}

export async function startService(
  simulatorUrl: string,
  role: 'service' | 'receiver' | 'worker' = 'service',
): Promise<Child & { base: string; errors: () => number }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: DB_URL,
    STRIPE_SECRET_KEY: 'sk_test_bench',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_URL: simulatorUrl,
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    // Stripe's event list holds every event (none was delivered): recovery would adopt them all.
    WEBHOOK_RECOVERY_INTERVAL_MS: '0',
  };
  if (role === 'receiver') env.WEBHOOK_WORKER_CONCURRENCY = '0';
  delete env.METRICS_TOKEN;
  delete env.EMBEDDED_DB_DIR;
  const service = start(role, [...SERVICE_NODE_ARGS, path.join(DIST, 'apps/api/src/main.js')], env);
  let errors = 0;
  const count = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (/"level":\s*"?(error|50|fatal|60)|\bERROR\b/i.test(line)) errors++;
    }
  };
  service.child.stdout!.on('data', count);
  service.child.stderr!.on('data', count);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(`${base}/health`, service.child, service.output, `the ${role}`);
  return { ...service, base, errors: () => errors };
}

// ---------------------------------------------------------------- profiling: a counting proxy in front of the simulator

export interface StripeCall {
  calls: number;
  ms: number;
}

/** A pass-through proxy to the simulator that counts the service's Stripe calls by endpoint and times them. */
export async function startStripeProxy(
  target: string,
): Promise<{ url: string; calls: Map<string, StripeCall>; reset: () => void; close: () => Promise<void> }> {
  const upstream = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const calls = new Map<string, StripeCall>();
  const endpoint = (method: string, url: string) => {
    const [p, q = ''] = url.split('?');
    const params = [
      ...new Set(
        q
          .split('&')
          .filter(Boolean)
          .map((kv) => decodeURIComponent(kv.split('=')[0]).replace(/\[\d*\]/g, '[]')),
      ),
    ].sort();
    return `${method} ${p.replace(/\/[a-z]+_(?=[A-Za-z0-9_]*[A-Z0-9])[A-Za-z0-9_]+/g, '/:id')}${params.length ? `?${params.join('&')}` : ''}`;
  };
  const server = http.createServer((req, res) => {
    const t = performance.now();
    const key = endpoint(req.method ?? 'GET', req.url ?? '/');
    const out = http.request(
      `${target}${req.url}`,
      { method: req.method, headers: req.headers, agent: upstream },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => {
          const c = calls.get(key) ?? { calls: 0, ms: 0 };
          c.calls++;
          c.ms += performance.now() - t;
          calls.set(key, c);
        });
      },
    );
    out.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(out);
  });
  server.keepAliveTimeout = 65_000;
  const port = await freePort();
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    reset: () => calls.clear(),
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
        upstream.destroy();
      }),
  };
}
