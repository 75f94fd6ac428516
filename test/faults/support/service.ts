import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createApp } from '../../../apps/api/src/bootstrap';
import { loadConfig } from '@app/config';
import { WebhookInboxService } from '@app/webhooks';
import { STRIPE_KEY } from './sim';

const ROOT = join(__dirname, '..', '..', '..');
/** The built entry point (FAULTS_SERVICE_MAIN: another build of it, e.g. a deliberately broken one). */
export const MAIN_JS = process.env.FAULTS_SERVICE_MAIN ?? join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');

/** The service's environment in every scenario (the database, simulator and secret vary). */
export function serviceEnv(opts: {
  databaseUrl: string;
  stripeApiUrl: string;
  webhookSecret: string;
  port?: number;
  logLevel?: string;
}): Record<string, string> {
  return {
    DATABASE_URL: opts.databaseUrl,
    STRIPE_SECRET_KEY: STRIPE_KEY,
    STRIPE_WEBHOOK_SECRET: opts.webhookSecret,
    STRIPE_API_URL: opts.stripeApiUrl,
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    PORT: String(opts.port ?? 0),
    HOST: '127.0.0.1',
    LOG_LEVEL: opts.logLevel ?? process.env.FAULTS_LOG_LEVEL ?? 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
    // Retries of failed processing (a refund before its payment, the database away) come quickly.
    WEBHOOK_RETRY_INTERVAL_MS: '200',
    WEBHOOK_RETRY_BASE_MS: '100',
    WEBHOOK_RECOVERY_INTERVAL_MS: '0',
    PROGRESS_REFRESH_MS: '50',
    EMBEDDED_DB_DIR: 'memory',
  };
}

export interface InProcessService {
  app: NestFastifyApplication;
  baseUrl: string;
  inbox: WebhookInboxService;
  close(): Promise<void>;
}

/** The service in this process (createApp, as main.ts does), listening on a free port. */
export async function startInProcess(env: Record<string, string>): Promise<InProcessService> {
  const app = await createApp(loadConfig({ ...env, PORT: '0' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.getHttpServer().address() as { port: number };
  let closing: Promise<void> | undefined;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    inbox: app.get(WebhookInboxService),
    close: () => (closing ??= app.close()),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The built service (`node dist/apps/api/src/main.js`) as a child process. */
export class ChildService {
  private child?: ChildProcess;
  private readonly lines: string[] = [];
  /** Every start, with its pid and how it ended (undefined while running). */
  readonly runs: Array<{ pid: number; exit?: { code: number | null; signal: NodeJS.Signals | null } }> = [];

  constructor(
    private readonly env: Record<string, string>,
    readonly port: number,
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    const run = this.runs[this.runs.length - 1];
    return !!run && !run.exit;
  }

  /** The last lines the service wrote (for a failure's message). */
  log(last = 40): string {
    return this.lines.slice(-last).join('\n');
  }

  /** Starts it and waits until GET /health answers 200. */
  async start(timeoutMs = 30000): Promise<void> {
    if (!existsSync(MAIN_JS)) {
      throw new Error(`${MAIN_JS} is missing: run \`npm run build\` first (npm run test:faults does)`);
    }
    const child = spawn(process.execPath, [MAIN_JS], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...this.env, PORT: String(this.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const run: (typeof this.runs)[number] = { pid: child.pid! };
    this.runs.push(run);
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) this.lines.push(line.slice(0, 600));
      if (this.lines.length > 400) this.lines.splice(0, this.lines.length - 400);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('exit', (code, signal) => (run.exit = { code, signal }));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (run.exit) throw new Error(`service exited during start-up (${JSON.stringify(run.exit)}):\n${this.log()}`);
      try {
        const res = await fetch(`${this.baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`service not healthy after ${timeoutMs} ms:\n${this.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** SIGKILL: no shutdown hook runs, in-flight requests and transactions are cut. */
  async kill(): Promise<void> {
    const child = this.child;
    const run = this.runs[this.runs.length - 1];
    if (!child || !run || run.exit) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM (graceful), SIGKILL if it does not end within `graceMs`. */
  async stop(graceMs = 10000): Promise<void> {
    const child = this.child;
    const run = this.runs[this.runs.length - 1];
    if (!child || !run || run.exit) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Runs a test body; a failure carries the last lines the child service logged. */
export async function withServiceLog<T>(service: () => ChildService | undefined, body: () => Promise<T>): Promise<T> {
  try {
    const result = await body();
    if (process.env.FAULTS_SHOW_LOGS) console.log(service()?.log(400));
    return result;
  } catch (err) {
    const log = service()?.log();
    if (err instanceof Error && log) err.message += `\n--- service log (last lines) ---\n${log}`;
    throw err;
  }
}
