import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerApiRoutes } from './api/api-routes';
import { registerBillingPortalPages } from './billing-portal/billing-portal.routes';
import { createCheckoutPageRouter } from './checkout-page/checkout-page.routes';
import { DEFAULTS, resolveConfig, type StripeSimulatorOptions } from './config';
import { createControlRouter } from './controls/simulator-controls';
import { Clock } from './core/clock';
import type { SimulatorContext } from './core/context';
import { Scheduler } from './core/scheduler';
import { Store } from './core/store';
import { EventBus } from './events/event-bus';
import { WebhookDispatcher } from './events/webhook-dispatcher';
import { ApiGateway } from './http/api-gateway';
import { createRequestListener } from './http/server';

export interface StripeSimulator {
  /** Base URL, e.g. `http://127.0.0.1:12111` (point the `stripe` client's host/port/protocol here). */
  url: string;
  port: number;
  /** Stops the server, every timer and every delivery in flight. */
  close(): Promise<void>;
  /** Changes webhook delivery at run time; omitted fields keep their value. */
  configureWebhook(cfg: { url?: string; secret?: string; enabled?: boolean }): void;
  /** Resolves when no webhook deliveries or scheduled flow steps are pending. */
  idle(): Promise<void>;
}

/**
 * Starts a local stand-in for Stripe's API: in memory, no real money, the calls the product
 * makes, a hosted checkout page, and signed webhooks.
 */
export async function startStripeSimulator(opts: StripeSimulatorOptions = {}): Promise<StripeSimulator> {
  if (opts.webhookUrl && !opts.webhookSecret) throw new Error('Stripe simulator: webhookSecret (whsec_...) is required when webhookUrl is set');
  const host = opts.host ?? DEFAULTS.host;
  const server = http.createServer();
  await listen(server, opts.port ?? DEFAULTS.port, host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;

  let ctx: SimulatorContext;
  try {
    ctx = createContext(opts, url);
  } catch (err) {
    await new Promise((resolve) => server.close(resolve));
    throw err;
  }
  const api = new ApiGateway(ctx);
  registerApiRoutes(api, ctx);
  const pages = createCheckoutPageRouter(ctx);
  registerBillingPortalPages(pages, ctx);
  server.on('request', createRequestListener(ctx, { api, controls: createControlRouter(ctx, api), pages }));
  ctx.log(`Stripe simulator listening on ${url} (test mode: no real money moves)`);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        ctx.scheduler.close();
        ctx.clock.close();
        ctx.webhooks.close();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
    configureWebhook: (cfg) => {
      ctx.webhooks.configure(cfg);
    },
    idle: () => ctx.scheduler.idle(),
  };
}

function createContext(opts: StripeSimulatorOptions, url: string): SimulatorContext {
  const config = resolveConfig(opts, url);
  const log = opts.logger ?? (() => undefined);
  const onError = (label: string, err: unknown) => log(`${label} failed: ${(err as Error)?.stack ?? String(err)}`);
  const store = new Store();
  const clock = new Clock(onError);
  const scheduler = new Scheduler(onError);
  const webhooks = new WebhookDispatcher({ store, scheduler, config, log }, { url: opts.webhookUrl, secret: opts.webhookSecret, enabled: true });
  const events = new EventBus(store, clock, webhooks);
  return { config, store, clock, scheduler, events, webhooks, log };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** A host as it goes in a URL: wildcard addresses become loopback, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
