import helmet from '@fastify/helmet';
import { ConsoleLogger, Logger, type LoggerService, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { ProgressBoard, progressFastPath } from '@app/campaigns';
import {
  AllExceptionsFilter,
  createValidationPipe,
  redactingStdout,
  redactLogValue,
  redactQuery,
  StorableTextPipe,
} from '@app/common';
import { type AppConfig, applyLocalSecrets } from '@app/config';
import { Metrics } from '@app/observability';
import { frameworkErrors, requestShapeHook } from './http/request-shape';
import { WebhookInboxService } from '@app/webhooks';
import { AppModule } from './app.module';
import { consoleRoutes } from './http/console-static';
import { corsHook } from './http/cors';
import { stripeWebhookRoute } from './http/stripe-webhook-route';
import { buildOpenApiDocument } from './openapi/document';

const nestLevels: Record<string, LogLevel[]> = {
  trace: ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'],
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
  fatal: ['fatal'],
  silent: [],
};

/** Nest's JSON console logger, with secret and personal query values redacted from every message. */
class RedactingConsoleLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
    writeStreamType?: 'stdout' | 'stderr',
    errorStack?: unknown,
  ): void {
    super.printMessages(
      messages.map((m) => redactLogValue(m)),
      context,
      logLevel,
      writeStreamType,
      typeof errorStack === 'string' ? redactQuery(errorStack) : errorStack,
    );
  }
}

export function createLogger(config: AppConfig): LoggerService {
  return new RedactingConsoleLogger({ json: true, logLevels: nestLevels[config.LOG_LEVEL] ?? nestLevels.info });
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Builds the HTTP application (not yet listening): used by main.ts and by the end-to-end tests. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  // Unset secrets come from (or go into) <EMBEDDED_DB_DIR>/secrets.json on the no-configuration
  // start, so that staff tokens and emailed links outlive a restart; never with a live key.
  const secretsFile = applyLocalSecrets(config);
  const adapter = new FastifyAdapter({
    // Every request line goes through redaction: URLs carry link tokens, emails and search text.
    logger: config.LOG_LEVEL === 'silent' ? false : { level: config.LOG_LEVEL, stream: redactingStdout },
    bodyLimit: 1024 * 1024,
    // Only the proxies TRUST_PROXY names: req.ip is the right-most address they did not write.
    trustProxy: config.trustProxy,
    requestIdHeader: false,
    frameworkErrors,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: createLogger(config),
    abortOnError: false,
  });
  if (secretsFile) {
    new Logger('Secrets').log(
      `AUTH_TOKEN_SECRET and LINK_SIGNING_SECRET, where not set, are the ones kept in ${secretsFile} (set both in production)`,
    );
  }
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // Request durations by route pattern, for /metrics (the progress fast path's answers included).
  const metrics = app.get(Metrics);
  fastify.addHook('onResponse', metrics.onResponseHook());
  // Webhook counters: received (and duplicates), processed (with time), failed.
  app.get(WebhookInboxService).observe({
    received: (type, duplicate) => metrics.webhookReceived(type, duplicate),
    processed: (type, seconds) => metrics.webhookProcessed(type, seconds),
    failed: (type) => metrics.webhookFailed(type),
  });
  // What no endpoint takes (NUL in the address, HTML form bodies) is refused before routing.
  fastify.addHook('onRequest', requestShapeHook());
  // Registered before helmet: answers in-memory campaign progress before anything else runs.
  fastify.addHook('onRequest', progressFastPath(app.get(ProgressBoard)));
  // Stripe's webhook: raw bytes, no Nest pipeline, none of the browser headers below.
  const filter = new AllExceptionsFilter();
  await app.register(stripeWebhookRoute(app.get(WebhookInboxService), filter));
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
        // Scripts are files ('self'): no inline script anywhere (Swagger UI's init is a file too).
        scriptSrc: [`'self'`],
        frameAncestors: [`'none'`],
      },
    },
  });
  // The staff console's files (/console/): after helmet, so its pages get the same CSP.
  await app.register(consoleRoutes());
  // After the progress fast path (which answers CORS `*` itself): only CORS_ORIGINS get CORS headers.
  if (config.corsOrigins.length) fastify.addHook('onRequest', corsHook(config.corsOrigins));
  app.useGlobalFilters(filter);
  app.useGlobalPipes(new StorableTextPipe(), createValidationPipe());
  app.enableShutdownHooks();

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
