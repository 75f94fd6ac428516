import type { IncomingHttpHeaders } from 'node:http';

/** A request as the handlers see it: body already read. */
export interface IncomingRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: string;
  requestId: string;
}

/** A response, built by handlers and written by the server (or replayed by idempotency). */
export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function jsonResult(status: number, value: unknown, headers: Record<string, string> = {}): HttpResult {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: `${JSON.stringify(value)}\n` };
}

export function htmlResult(status: number, html: string): HttpResult {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }, body: html };
}

export function redirectResult(location: string): HttpResult {
  return { status: 303, headers: { Location: location }, body: '' };
}
