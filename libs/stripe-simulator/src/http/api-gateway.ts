import type { SimulatorContext } from '../core/context';
import { StripeApiError } from '../core/errors';
import type { RequestOrigin } from '../core/types';
import { Expander } from './expand';
import { parseFormBody } from './form-body';
import { type HttpResult, type IncomingRequest, jsonResult } from './http-result';
import { IdempotencyCache, requestFingerprint } from './idempotency';
import { Params } from './params';
import { Router } from './router';

export interface ApiRequest {
  pathParams: Record<string, string>;
  /** Form body (POST) or query string (GET), `expand` already taken. */
  params: Params;
  /** Recorded on the events this request causes. */
  origin: RequestOrigin;
}

/** Returns a Stripe object or list; throws `StripeApiError` for Stripe's error answers. */
export type ApiHandler = (req: ApiRequest) => object;

const NO_KEY_MESSAGE =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

/**
 * Stripe's `/v1` API: authentication with any `sk_test_` key, bracket-encoded parameters,
 * `expand`, `Idempotency-Key` replay, errors in Stripe's shape. Routes are added by the
 * resource modules (api/*.routes.ts).
 */
export class ApiGateway {
  readonly router = new Router<ApiHandler>();
  readonly expander: Expander;
  private readonly idempotency: IdempotencyCache;
  private outageRemaining = 0;

  constructor(private readonly ctx: SimulatorContext) {
    this.expander = new Expander(ctx.store);
    // Keys expire after 24 hours of simulated time (advancing the clock a day forgets them).
    this.idempotency = new IdempotencyCache(() => ctx.clock.now() * 1000);
  }

  /** The next `requests` API requests answer 500, as if Stripe were down (0 ends it). */
  simulateOutage(requests: number): void {
    this.outageRemaining = requests;
  }

  get outage(): number {
    return this.outageRemaining;
  }

  handle(req: IncomingRequest): HttpResult {
    const apiKey = apiKeyOf(req.headers.authorization);
    if (!apiKey) return this.error(req, new StripeApiError(401, 'invalid_request_error', NO_KEY_MESSAGE));
    if (!apiKey.startsWith('sk_test_')) {
      return this.error(
        req,
        new StripeApiError(
          401,
          'invalid_request_error',
          `Invalid API Key provided: ${redact(apiKey)}. The Stripe simulator accepts only test keys (sk_test_...).`,
        ),
      );
    }
    if (this.outageRemaining > 0) {
      this.outageRemaining -= 1;
      return this.error(
        req,
        new StripeApiError(500, 'api_error', 'The Stripe simulator is simulating an outage: try again later.'),
      );
    }

    const idempotencyKey = req.method === 'POST' ? headerValue(req.headers['idempotency-key']) : undefined;
    if (!idempotencyKey) return this.execute(req, null).result;

    const fingerprint = requestFingerprint(req.method, req.path, req.body);
    const previous = this.idempotency.lookup(apiKey, idempotencyKey, fingerprint);
    if (previous.kind === 'replay') {
      const { result, originalRequestId } = previous;
      return {
        ...result,
        headers: { ...result.headers, 'Idempotent-Replayed': 'true', 'Original-Request': originalRequestId },
      };
    }
    if (previous.kind === 'mismatch') {
      return this.error(
        req,
        new StripeApiError(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        ),
      );
    }
    const { result, saveable } = this.execute(req, idempotencyKey);
    if (saveable) this.idempotency.save(apiKey, idempotencyKey, fingerprint, req.requestId, result);
    return result;
  }

  private execute(req: IncomingRequest, idempotencyKey: string | null): { result: HttpResult; saveable: boolean } {
    const match = this.router.match(req.method, req.path);
    if (!match) {
      const message = `Unrecognized request URL (${req.method}: ${req.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`;
      return { result: this.error(req, new StripeApiError(404, 'invalid_request_error', message)), saveable: false };
    }
    try {
      const params = Params.of(
        parseFormBody(req.method === 'GET' || req.method === 'DELETE' ? req.rawQuery : req.body),
      );
      const expand = params.stringList('expand') ?? [];
      const value = match.handler({
        pathParams: match.pathParams,
        params,
        origin: { id: req.requestId, idempotency_key: idempotencyKey },
      });
      params.end();
      return { result: jsonResult(200, this.expander.expand(value, expand)), saveable: true };
    } catch (err) {
      if (err instanceof StripeApiError) return { result: this.error(req, err), saveable: !err.validation };
      this.ctx.log(`${req.method} ${req.path} failed: ${(err as Error).stack ?? String(err)}`);
      return {
        result: this.error(
          req,
          new StripeApiError(500, 'api_error', 'An unknown error occurred in the Stripe simulator.'),
        ),
        saveable: true,
      };
    }
  }

  private error(req: IncomingRequest, err: StripeApiError): HttpResult {
    return jsonResult(err.status, err.toBody(req.requestId));
  }
}

/** `Bearer sk_test_...`, or HTTP Basic with the key as the user name (as curl -u does). */
function apiKeyOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!value) return undefined;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic') return Buffer.from(value, 'base64').toString('utf8').split(':')[0] || undefined;
  return undefined;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value || undefined;
}

function redact(key: string): string {
  return key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(Math.max(4, key.length - 12))}${key.slice(-4)}` : '****';
}
