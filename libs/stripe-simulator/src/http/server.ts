import type { IncomingMessage, ServerResponse } from 'node:http';
import Stripe from 'stripe';
import type { SimulatorContext } from '../core/context';
import { StripeApiError } from '../core/errors';
import { newRequestId } from '../core/ids';
import type { ApiGateway } from './api-gateway';
import { type HttpResult, type IncomingRequest, htmlResult, jsonResult } from './http-result';
import { type PlainHandler, readPlainBody } from './plain-routes';
import type { Router } from './router';

const MAX_BODY_BYTES = 1024 * 1024;

export interface Gateways {
  /** Stripe's API under /v1. */
  api: ApiGateway;
  /** Test controls under /_simulator (JSON). */
  controls: Router<PlainHandler>;
  /** Hosted checkout pages (HTML). */
  pages: Router<PlainHandler>;
}

/** The node:http request listener: reads the body, picks the gateway, writes the result. */
export function createRequestListener(
  ctx: SimulatorContext,
  gateways: Gateways,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void handle(ctx, gateways, req, res);
  };
}

async function handle(
  ctx: SimulatorContext,
  gateways: Gateways,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = newRequestId();
  const stripeVersion =
    typeof req.headers['stripe-version'] === 'string' ? req.headers['stripe-version'] : Stripe.API_VERSION;
  let result: HttpResult;
  try {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://simulator');
    const incoming: IncomingRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      rawQuery: url.search.slice(1),
      headers: req.headers,
      body: body ?? '',
      requestId,
    };
    if (body === undefined) {
      result = jsonResult(
        413,
        new StripeApiError(413, 'invalid_request_error', 'Request body too large.').toBody(requestId),
      );
    } else if (incoming.path.startsWith('/v1/')) result = gateways.api.handle(incoming);
    else if (incoming.path === '/_simulator' || incoming.path.startsWith('/_simulator/')) {
      result = await plain(gateways.controls, incoming, 'json');
    } else result = await plain(gateways.pages, incoming, 'html');
  } catch (err) {
    ctx.log(`${req.method} ${req.url} failed: ${(err as Error).stack ?? String(err)}`);
    result = jsonResult(
      500,
      new StripeApiError(500, 'api_error', 'An unknown error occurred in the Stripe simulator.').toBody(requestId),
    );
  }
  ctx.log(`${req.method} ${req.url} → ${result.status}`);
  if (req.method !== 'GET' && req.method !== 'HEAD') ctx.changed();
  if (res.destroyed) return;
  res.writeHead(result.status, {
    ...result.headers,
    'Request-Id': requestId,
    'Stripe-Version': stripeVersion,
    'Content-Length': String(Buffer.byteLength(result.body)),
  });
  res.end(result.body);
}

/** Controls and pages: same routing, errors as JSON (controls) or a small page (pages). */
async function plain(
  router: Router<PlainHandler>,
  req: IncomingRequest,
  errorsAs: 'json' | 'html',
): Promise<HttpResult> {
  const match = router.match(req.method, req.path);
  if (!match) {
    const message = `Unrecognized request URL (${req.method}: ${req.path}).`;
    return errorsAs === 'json'
      ? jsonResult(404, new StripeApiError(404, 'invalid_request_error', message).toBody(req.requestId))
      : htmlResult(404, message);
  }
  try {
    return await match.handler({ pathParams: match.pathParams, query: req.query, body: readPlainBody(req) });
  } catch (err) {
    if (!(err instanceof StripeApiError)) throw err;
    return errorsAs === 'json'
      ? jsonResult(err.status, err.toBody(req.requestId))
      : htmlResult(err.status, err.message);
  }
}

/** The body as text, or undefined when it is larger than allowed. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
