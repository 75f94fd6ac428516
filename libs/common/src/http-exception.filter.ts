import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from './domain-error';
import { redactQuery } from './log-redaction';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: string;
  field?: string;
  details?: unknown;
  errorId?: string;
}

const reasons: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function codeFor(status: number): string {
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 429) return 'RATE_LIMITED';
  if (status >= 500) return 'INTERNAL_ERROR';
  return (reasons[status] ?? 'ERROR').toUpperCase().replace(/ /g, '_');
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** A failure to reach PostgreSQL (refused, reset, shutting down), as opposed to a failing query. */
function databaseUnavailable(exception: unknown): boolean {
  const e = exception as { code?: unknown; message?: unknown; driverError?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
  if (
    typeof e.message === 'string' &&
    /Connection terminated|timeout exceeded when trying to connect|connection error|Cannot use a pool after calling end/i.test(
      e.message,
    )
  ) {
    return true;
  }
  return e.driverError !== undefined && e.driverError !== exception && databaseUnavailable(e.driverError);
}

/** One error shape for every failure: `{ statusCode, error, message, code, field?, errorId? }`. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = this.toBody(exception, request);
    if (exception instanceof DomainError && exception.retryAfter !== undefined) {
      reply.header('retry-after', String(exception.retryAfter));
    }
    if (body.code === 'DATABASE_UNAVAILABLE') reply.header('retry-after', '5');
    reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  protected toBody(exception: unknown, request: FastifyRequest): ErrorBody {
    if (exception instanceof DomainError) {
      const body: ErrorBody = {
        statusCode: exception.status,
        error: reasons[exception.status] ?? 'Error',
        message: exception.message,
        code: exception.code,
      };
      if (exception.field !== undefined) body.field = exception.field;
      if (exception.details !== undefined && exception.status < 500) body.details = exception.details;
      if (exception.status >= 500) body.errorId = this.logServerError(exception, request);
      return body;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      let message = exception.message;
      let code = codeFor(status);
      let field: string | undefined;
      let details: unknown;
      if (typeof res === 'object' && res !== null) {
        const r = res as Record<string, unknown>;
        if (typeof r.message === 'string') message = r.message;
        else if (Array.isArray(r.message)) message = r.message.join('; ');
        if (typeof r.code === 'string') code = r.code;
        if (typeof r.field === 'string') field = r.field;
        if (r.details !== undefined) details = r.details;
      }
      const body: ErrorBody = { statusCode: status, error: reasons[status] ?? 'Error', message, code };
      // A blank field name is still a name: the request sent a property called "".
      if (field !== undefined) body.field = field;
      if (details !== undefined) body.details = details;
      if (status >= 500) body.errorId = this.logServerError(exception, request);
      return body;
    }
    // Fastify's own errors (body too large, bad JSON, wrong content type) carry a statusCode.
    const fastifyStatus = (exception as { statusCode?: unknown })?.statusCode;
    const fastifyCode = (exception as { code?: unknown })?.code;
    if (
      typeof fastifyStatus === 'number' &&
      fastifyStatus >= 400 &&
      fastifyStatus < 500 &&
      typeof fastifyCode === 'string' &&
      fastifyCode.startsWith('FST_')
    ) {
      const message = exception instanceof Error ? exception.message : 'Bad request';
      return {
        statusCode: fastifyStatus,
        error: reasons[fastifyStatus] ?? 'Error',
        message,
        code: codeFor(fastifyStatus),
      };
    }
    if (databaseUnavailable(exception)) {
      // Expected while PostgreSQL restarts: a short warning, not a stack per request; callers (and
      // Stripe, for webhooks) retry on 503.
      this.logger.warn({
        msg: 'database unavailable',
        reqId: request?.id,
        method: request?.method,
        url: redactQuery(String(request?.url ?? '')),
        err: (exception as Error).message,
      });
      return {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: reasons[503],
        message: 'the database is unavailable; try again shortly',
        code: 'DATABASE_UNAVAILABLE',
      };
    }
    const errorId = this.logServerError(exception, request);
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: reasons[500],
      message: `Internal error (error id ${errorId})`,
      code: 'INTERNAL_ERROR',
      errorId,
    };
  }

  private logServerError(exception: unknown, request: FastifyRequest): string {
    const errorId = randomUUID();
    const err = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error({
      msg: 'request failed',
      errorId,
      reqId: request?.id,
      method: request?.method,
      url: redactQuery(String(request?.url ?? '')),
      err: err.message,
      stack: err.stack,
    });
    return errorId;
  }
}
