/** Fuzz requests, how they are sent, and how they are shown in a failure. */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH';

export interface FuzzRequest {
  method: Method;
  path: string;
  headers: Record<string, string>;
  /** The parsed input, for the oracles (a JSON body, or the query as parsed). */
  input: unknown;
  /** The bytes sent (JSON text unless a raw body was generated). */
  body?: string | Buffer;
  /** Names the server sees besides the input's keys (raw query-string junk). */
  extraKeys?: string[];
}

export interface Outcome {
  status: number;
  contentType: string;
  text: string;
  json: unknown;
}

/** A JSON body, sent as application/json (no body at all for `undefined`, as fetch would). */
export function jsonRequest(
  method: Method,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): FuzzRequest {
  const text = JSON.stringify(body);
  // The input as the server sees it: undefined properties dropped, NaN → null, -0 → 0.
  return {
    method,
    path,
    headers: { 'content-type': 'application/json', ...headers },
    input: text === undefined ? undefined : JSON.parse(text),
    body: text,
  };
}

export async function send(baseUrl: string, r: FuzzRequest): Promise<Outcome> {
  const res = await fetch(baseUrl + r.path, {
    method: r.method,
    headers: r.headers,
    body: r.body as unknown as string | undefined,
    redirect: 'manual',
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, contentType, text, json };
}

export const show = (v: unknown, max = 400) => {
  let s: string;
  try {
    s = typeof v === 'string' ? v : (JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max)}… (${s.length} chars)` : s;
};

export function describeRequest(r: FuzzRequest): string {
  const h = Object.entries(r.headers)
    .filter(([k]) => !['authorization', 'x-api-key'].includes(k.toLowerCase()))
    .map(([k, v]) => `${k}: ${show(v, 80)}`)
    .join('; ');
  return `${r.method} ${show(r.path, 300)} [${h}] ${r.body === undefined ? '(no body)' : show(typeof r.body === 'string' ? r.body : `<${r.body.length} bytes>`)}`;
}
