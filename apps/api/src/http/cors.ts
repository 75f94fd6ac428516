import type { FastifyReply, FastifyRequest } from 'fastify';

const METHODS = 'GET,POST,PUT,PATCH';
const HEADERS = 'content-type,authorization,idempotency-key,x-api-key';
const EXPOSED = 'retry-after,x-request-id';
/** Stripe calls these server to server: never any CORS header. */
const SERVER_TO_SERVER = '/api/stripe/';

/**
 * CORS for the publication's own sites: a request whose `Origin` is one of `origins` (exact
 * match) gets `Access-Control-Allow-Origin: <that origin>`, and its preflight is answered 204
 * here; any other origin gets no CORS header, so browsers keep its pages out. Routes that
 * answer `*` themselves (campaign progress, stream, embed) keep doing so: their header is set
 * later and wins. A Fastify `onRequest` hook, registered after the progress fast path.
 */
export function corsHook(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    if (req.url.startsWith(SERVER_TO_SERVER)) return done();
    reply.header('vary', 'Origin');
    const origin = req.headers.origin;
    if (origin === undefined || !allowed.has(origin)) return done();
    reply.header('access-control-allow-origin', origin);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      reply
        .code(204)
        .header('access-control-allow-methods', METHODS)
        .header('access-control-allow-headers', HEADERS)
        .header('access-control-max-age', '600')
        .send();
      return;
    }
    reply.header('access-control-expose-headers', EXPOSED);
    done();
  };
}
