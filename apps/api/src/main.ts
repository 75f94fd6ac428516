import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigValidationError, defaultPublicBaseUrl, loadConfig } from '@app/config';
import { StaffService } from '@app/staff';
import { StripeGateway } from '@app/stripe';
import { createApp } from './bootstrap';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigValidationError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const app = await createApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const local = `http://127.0.0.1:${port}`;
  // PORT=0 without PUBLIC_BASE_URL: readers come back to the port the service actually got.
  if (config.publicBaseUrlIsDefault && config.PORT !== port) config.PUBLIC_BASE_URL = defaultPublicBaseUrl(port);
  const logger = new Logger('Main');
  const gateway = app.get(StripeGateway);
  if (gateway.simulator) {
    gateway.simulator.configureWebhook({
      url: `${local}/api/stripe/webhook`,
      secret: gateway.webhookSecret,
      enabled: true,
    });
  }
  await app.get(StaffService).ensureDemoAdmin();
  const base = config.PUBLIC_BASE_URL.replace(/\/$/, '');
  logger.log(
    [
      `listening on ${local} (public URL ${base})`,
      `  health:            ${base}/health`,
      `  API docs:          ${base}/docs`,
      `  funding progress:  ${base}/api/campaigns/current/progress`,
      `  donate page:       ${base}/give   (subscribe: ${base}/subscribe)`,
      `  give $25:          curl -s -X POST ${base}/api/donations -H 'content-type: application/json' -d '{"amount":2500,"frequency":"one_off","email":"reader@example.com"}'`,
      `                     then open the checkoutUrl it answers and press Pay`,
    ].join('\n'),
  );
}

main().catch((err) => {
  new Logger('Main').fatal(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
