import type { FastifyReply, FastifyRequest } from 'fastify';
import { takesForm } from '../reader/form-paths';

/** Answers in the service's error shape from a Fastify hook (before Nest's filter is in play). */
export function sendError(
  reply: FastifyReply,
  statusCode: number,
  error: string,
  code: string,
  message: string,
  field?: string,
): FastifyReply {
  return reply
    .code(statusCode)
    .header('content-type', 'application/json; charset=utf-8')
    .send({ statusCode, error, message, code, ...(field ? { field } : {}) });
}

const FORM = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)/i;
const URLENCODED = /^\s*application\/x-www-form-urlencoded\s*(;|$)/i;

/**
 * Refuses HTML form bodies before routing: the API speaks JSON, and a form on any website could
 * otherwise post to it without a CORS preflight: 415. (NUL characters and unpaired surrogates in
 * path parameters and query strings are refused by StorableTextPipe, naming the parameter.)
 * The reader pages' forms are the exception (`takesForm`: urlencoded only, each checking its CSRF token).
 */
export function requestShapeHook() {
  return (req: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const type = req.headers['content-type'];
    if (typeof type === 'string' && FORM.test(type) && !(takesForm(req.method, req.url) && URLENCODED.test(type))) {
      sendError(
        reply,
        415,
        'Unsupported Media Type',
        'UNSUPPORTED_MEDIA_TYPE',
        'send the body as JSON (content-type: application/json)',
        'content-type',
      );
      return;
    }
    done();
  };
}

/** Fastify's own routing errors (a malformed percent-encoding) in the service's error shape. */
export function frameworkErrors(
  error: Error & { statusCode?: number },
  _req: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  sendError(
    reply,
    status,
    status === 414 ? 'URI Too Long' : 'Bad Request',
    'VALIDATION_FAILED',
    'url is malformed: its percent-encoding is not UTF-8',
    'url',
  );
}
