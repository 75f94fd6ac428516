/*
 * Helpers shared by the benchmarks (bench-reports.ts, bench-webhooks.ts): figures, formatting,
 * child processes (kept, stopped at the end, on error and on Ctrl-C), plain HTTP requests,
 * autocannon's programmatic API and the printed table.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

// autocannon ships no types; the part of its programmatic API the benchmarks use.
export interface AutocannonResult {
  requests: { average: number; mean: number; total: number; sent: number };
  latency: { p50: number; p90: number; p99: number; average: number; max: number };
  throughput: { average: number };
  duration: number;
  start: Date;
  finish: Date;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}
export interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Answers the request to send (or a falsy value to send nothing more on this connection). */
  setupRequest?: (req: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest | null | undefined;
}
export interface AutocannonOptions {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  timeout?: number;
  method?: string;
  headers?: Record<string, string>;
  requests?: AutocannonRequest[];
}
export interface Autocannon {
  (opts: AutocannonOptions): Promise<AutocannonResult>;
  /** With a callback: the running instance, which emits `response` (client, statusCode, bytes, milliseconds) per answer. */
  (opts: AutocannonOptions, done: (err: Error | null, result: AutocannonResult) => void): EventEmitter;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const autocannon: Autocannon = require('autocannon');

/** dist/ (this file is dist/apps/bench/src/bench-support.js once built). */
export const DIST = path.resolve(__dirname, '../../..');

export const log = (line = '') => console.log(line);

// ---------------------------------------------------------------- figures

/** The nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
export const fmt = (x: number) => Math.round(x).toLocaleString('en-AU');
export const sleep = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

// ---------------------------------------------------------------- processes

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = net.createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => ok(port));
    });
  });
}

/** kB figures of /proc/<pid>/status, as MB. */
export function memoryMb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent } = {},
): Promise<Response> {
  return new Promise((ok, fail) => {
    const req = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: options.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(options.body);
  });
}

const children = new Set<ChildProcess>();

/** A child process whose output is kept (the last lines) to show when it fails. */
export function start(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 50) lines.splice(0, lines.length - 50);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => `--- last output of ${name} (pid ${child.pid}) ---\n${lines.join('\n')}` };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Stops every child started with start(). */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map(stop));
}

/** Runs a node script to its end, answering its exit code and output. */
export function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', fail);
    child.on('exit', (code) => ok({ code, output: output.trim() }));
  });
}

/** Polls `url` until it answers 200 (or the child exits, or `timeoutMs` passes). */
export async function waitUntilAnswering(
  url: string,
  child: ChildProcess,
  output: () => string,
  what: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}\n${output()}`);
    try {
      if ((await request(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} did not answer ${url} in ${timeoutMs / 1000} s\n${output()}`);
    await sleep(250);
  }
}

/** Stops the children on Ctrl-C, runs `main`, stops them at the end or on any error, and exits. */
export function runMain(main: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stopAll().finally(() => process.exit(130));
    });
  }
  // An error thrown outside main's promise (an 'error' event nobody listens to) still stops the children.
  process.once('uncaughtException', (err) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    void stopAll().finally(() => process.exit(1));
  });
  main()
    .then(() => stopAll())
    .then(() => process.exit(0))
    .catch(async (err) => {
      console.error(err instanceof Error ? (err.stack ?? err.message) : err);
      await stopAll();
      process.exit(1);
    });
}

// ---------------------------------------------------------------- output

/** A markdown table: the first row is the header, the first column left-aligned, the others right. */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    `| ${widths.map((w, i) => (i === 0 ? (r[i] ?? '').padEnd(w) : (r[i] ?? '').padStart(w))).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

export const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
