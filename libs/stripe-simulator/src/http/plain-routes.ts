import { invalidRequest } from '../core/errors';
import { parseFormBody } from './form-body';
import type { HttpResult, IncomingRequest } from './http-result';
import { Params } from './params';

/** A request to the simulator's own routes (test controls, hosted pages): JSON or form body. */
export interface PlainRequest {
  pathParams: Record<string, string>;
  query: URLSearchParams;
  body: Params;
}

export type PlainHandler = (req: PlainRequest) => HttpResult | Promise<HttpResult>;

export function readPlainBody(req: IncomingRequest): Params {
  const type = String(req.headers['content-type'] ?? '');
  if (!req.body.trim()) return Params.of({});
  if (type.includes('json') || /^\s*[{[]/.test(req.body)) {
    try {
      return Params.of(JSON.parse(req.body));
    } catch {
      throw invalidRequest('The request body is not valid JSON.');
    }
  }
  return Params.of(parseFormBody(req.body));
}
