import { type ArgumentsHost, HttpException } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AllExceptionsFilter, DomainError } from '@app/common';
import { type WebhookInboxService } from '@app/webhooks';

export const STRIPE_WEBHOOK_PATH = '/api/stripe/webhook';

/**
 * Stripe's webhook endpoint, as a plain Fastify route in a scope of its own: the body is kept as
 * the bytes that were signed (never parsed as JSON here: the signature check parses it once),
 * and the request skips Nest's routing, guards and pipes and the browser-facing headers (helmet,
 * CORS), none of which a server-to-server call needs. It still passes the hooks registered
 * before it (request id, metrics, refusing form bodies), the body limit, and the error shape of
 * every other route. 200 once the verified event is stored; 400 naming the problem otherwise.
 */
export function stripeWebhookRoute(inbox: WebhookInboxService, filter: AllExceptionsFilter) {
  return async (scope: FastifyInstance): Promise<void> => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer' },
      (_req: FastifyRequest, body: Buffer, done: (err: null, body: Buffer) => void) => done(null, body),
    );
    const fail = (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
      const host = {
        switchToHttp: () => ({ getRequest: () => req, getResponse: () => reply }),
      } as unknown as ArgumentsHost;
      filter.catch(err, host);
      return reply;
    };
    // Fastify's own refusals before the handler (body over the limit, a broken body) in the same shape.
    scope.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
      const status = err.statusCode ?? 500;
      fail(status >= 400 && status < 500 ? new HttpException(err.message, status) : err, req, reply);
    });
    // `skipRoute`: @fastify/helmet's own opt-out (its headers are for browsers).
    scope.post(
      STRIPE_WEBHOOK_PATH,
      { config: { helmet: { skipRoute: true } } },
      async (req: FastifyRequest, reply: FastifyReply) => {
        try {
          if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
            throw new DomainError('WEBHOOK_SIGNATURE_INVALID', 'webhook body missing', 'body');
          }
          const result = await inbox.receive(req.body, req.headers['stripe-signature']);
          return reply.code(200).send(result);
        } catch (err) {
          return fail(err, req, reply);
        }
      },
    );
  };
}

/** The route for the OpenAPI document (it is not a Nest controller). */
export const stripeWebhookOpenApi = {
  post: {
    tags: ['stripe'],
    summary: "Stripe's webhook endpoint",
    description:
      'Verifies the Stripe-Signature header against the raw body and stores the event once by id; answers 200 once it is stored (the worker processes it).',
    parameters: [{ name: 'stripe-signature', in: 'header', required: true, schema: { type: 'string' } }],
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } },
    responses: {
      200: {
        description: 'Event stored (and processed, or queued for processing)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/WebhookReceiptDto' } } },
      },
      400: { description: 'Missing or invalid Stripe-Signature, or a body that is not a Stripe event' },
      503: { description: 'The database cannot be reached: Stripe retries' },
    },
  },
};
