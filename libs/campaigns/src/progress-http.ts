import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProgressBoard, ProgressSnapshot } from './progress-board.service';

/** Browsers and CDNs may reuse a progress answer this long, and serve it stale while refetching. */
export const PUBLIC_CACHE = 'public, max-age=5, stale-while-revalidate=30';

function notModified(req: FastifyRequest, etag: string): boolean {
  const given = req.headers['if-none-match'];
  return typeof given === 'string' && given.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Sends a public, cacheable rendering of a snapshot (JSON, HTML, SVG), or 304 when the client
 * already has this version. Any website may read it (CORS `*`, cross-origin resource).
 */
export function sendSnapshot(
  req: FastifyRequest,
  reply: FastifyReply,
  snapshot: ProgressSnapshot,
  contentType: string,
  body: () => string,
): FastifyReply {
  reply
    .header('etag', snapshot.etag)
    .header('cache-control', PUBLIC_CACHE)
    .header('access-control-allow-origin', '*')
    .header('cross-origin-resource-policy', 'cross-origin')
    .header('x-content-type-options', 'nosniff')
    .header('vary', 'accept-encoding');
  if (notModified(req, snapshot.etag)) return reply.code(304).send();
  return reply.header('content-type', contentType).send(body());
}

const PROGRESS_PATH = /^\/api\/campaigns\/([a-z0-9]+(?:-[a-z0-9]+)*)\/progress$/;

/**
 * The progress endpoint is what every page view of the website asks for. When the campaign is
 * already in memory, this Fastify `onRequest` hook answers it before routing, security-header
 * middleware and the Nest pipeline run (the JSON is prepared once per change). Anything else —
 * a first request, an unknown slug, a query string — goes on to the ordinary route.
 */
export function progressFastPath(board: ProgressBoard) {
  return (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    if (req.method !== 'GET') return done();
    const match = PROGRESS_PATH.exec(req.url);
    const snapshot = match ? board.peek(match[1]) : null;
    if (!snapshot) return done();
    sendSnapshot(req, reply, snapshot, 'application/json; charset=utf-8', () => snapshot.json);
  };
}
