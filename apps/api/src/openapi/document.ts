import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, getSchemaPath, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type {
  OperationObject,
  ParameterObject,
  ResponseObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ErrorResponse } from '@app/common';
import { loadConfig } from '@app/config';
import { REFRESH_COOKIE, REFRESH_COOKIE_SCHEME, STAFF_BEARER_SCHEME, WEBSITE_KEY_SCHEME } from '@app/staff';
import { WebhookReceiptDto } from '@app/webhooks';
import { AppModule } from '../app.module';
import { STRIPE_WEBHOOK_PATH, stripeWebhookOpenApi } from '../http/stripe-webhook-route';

/**
 * The OpenAPI document of the app: the one function behind the served `/docs/openapi.json`,
 * the committed `openapi.json` (`npm run openapi`) and the contract test. It reads only the
 * controllers' decorators and the DTO classes, never a provider, so it can be built from an
 * application that was never started (see `previewOpenApiDocument`).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Supporter funding API')
      .setDescription(
        'Donations, subscriptions, the ledger and funding progress for reader-funded publications. Amounts are integer minor units.',
      )
      .setVersion('0.1.0')
      // Which operation needs which is derived from its access rule (@Roles, @WebsiteKey).
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Staff access token from POST /api/auth/login',
        },
        STAFF_BEARER_SCHEME,
      )
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'X-Api-Key',
          description: "The website's server-to-server key (one of ENTITLEMENTS_API_KEYS)",
        },
        WEBSITE_KEY_SCHEME,
      )
      .addCookieAuth(
        REFRESH_COOKIE,
        {
          type: 'apiKey',
          in: 'cookie',
          name: REFRESH_COOKIE,
          description: 'The staff console session: set by POST /api/auth/login (HttpOnly, Path=/api/auth)',
        },
        REFRESH_COOKIE_SCHEME,
      )
      .build(),
    { extraModels: [ErrorResponse, WebhookReceiptDto] },
  );
  document.paths[STRIPE_WEBHOOK_PATH] = stripeWebhookOpenApi as (typeof document.paths)[string];
  describeErrors(document);
  return document;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const errorContent = () => ({ 'application/json': { schema: { $ref: getSchemaPath(ErrorResponse) } } });

/**
 * Every error answer has the one `ErrorResponse` shape (AllExceptionsFilter). Each operation gets
 * it on the errors it declares, and on those every operation of its kind can give: 400 where it
 * takes a body or query (validation names the field), 401 and 403 where it needs a credential.
 */
function describeErrors(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const op = item[method] as OperationObject | undefined;
      if (!op) continue;
      const add = (status: string, description: string) => {
        op.responses[status] ??= { description };
      };
      const params = (op.parameters ?? []) as ParameterObject[];
      if (op.requestBody || params.some((p) => p.in === 'query')) {
        add('400', 'Invalid input: VALIDATION_FAILED or a more specific code; `field` names the field at fault');
      }
      const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
      if (schemes.includes(STAFF_BEARER_SCHEME)) {
        add('401', 'UNAUTHORIZED: no staff bearer token, or an invalid or expired one');
        add('403', 'FORBIDDEN: the role may not do this; PASSWORD_CHANGE_REQUIRED on a temporary password');
      }
      if (schemes.includes(WEBSITE_KEY_SCHEME)) {
        add('401', 'UNAUTHORIZED: no X-Api-Key');
        add('403', 'FORBIDDEN: an unknown X-Api-Key');
      }
      for (const [status, response] of Object.entries(op.responses)) {
        const r = response as ResponseObject;
        if (/^[45]\d\d$/.test(status) && !r.content) r.content = errorContent();
      }
    }
  }
}

/**
 * The document built from the application graph in Nest's preview mode: modules and controllers
 * are scanned, no provider is created, so no database, Stripe or network is needed.
 */
export async function previewOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(AppModule.forRoot(loadConfig({})), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The committed form: two-space JSON with a final newline (stable, and what Prettier would write). */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
