/** Small helpers: JSON over HTTP, bounded parallelism, a deterministic shuffle. */
import http from 'node:http';
import { request, type Response } from '../bench-support';

export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export async function json<T>(
  url: string,
  method: 'GET' | 'POST' = 'GET',
  body?: unknown,
  expect = [200, 201],
): Promise<T> {
  const res: Response = await request(url, {
    method,
    agent,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!expect.includes(res.status)) {
    throw new Error(`${method} ${url} answered ${res.status}: ${res.body.slice(0, 500)}`);
  }
  return (res.body ? JSON.parse(res.body) : undefined) as T;
}

/** Runs fn over items, `n` at a time. */
export async function inParallel<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

/** A deterministic shuffle (mulberry32). */
export function shuffle<T>(xs: T[], seed = 42): T[] {
  let a = seed;
  const rnd = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
