import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { registerApiRoutes } from './api/api-routes';
import { registerBillingPortalPages } from './billing-portal/billing-portal.routes';
import { createCheckoutPageRouter } from './checkout-page/checkout-page.routes';
import { DEFAULTS, resolveConfig, type StripeSimulatorOptions } from './config';
import { createControlRouter } from './controls/simulator-controls';
import { Clock } from './core/clock';
import type { SimulatorContext } from './core/context';
import { Scheduler } from './core/scheduler';
import { STATE_VERSION, StateFile } from './core/state-file';
import { Store } from './core/store';
import { EventBus } from './events/event-bus';
import { WebhookDispatcher } from './events/webhook-dispatcher';
import { rearmAfterRestore } from './flows/restore';
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
 * Starts a local stand-in for Stripe's API: in memory (or kept in `stateFile` across restarts),
 * no real money, the calls the product makes, a hosted checkout page, and signed webhooks.
 */
export async function startStripeSimulator(opts: StripeSimulatorOptions = {}): Promise<StripeSimulator> {
  if (opts.webhookUrl && !opts.webhookSecret) {
    throw new Error('Stripe simulator: webhookSecret (whsec_...) is required when webhookUrl is set');
  }
  const host = opts.host ?? DEFAULTS.host;
  const server = http.createServer();
  await listen(server, opts.port ?? DEFAULTS.port, host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;

  let ctx: SimulatorContext;
  let stateFile: StateFile | undefined;
  try {
    ({ ctx, stateFile } = createContext(opts, url));
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
        stateFile?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
    configureWebhook: (cfg) => {
      ctx.webhooks.configure(cfg);
    },
    idle: () => ctx.scheduler.idle(),
  };
}

function createContext(opts: StripeSimulatorOptions, url: string): { ctx: SimulatorContext; stateFile?: StateFile } {
  const config = resolveConfig(opts, url);
  const log = opts.logger ?? (() => undefined);
  const onError = (label: string, err: unknown) => log(`${label} failed: ${(err as Error)?.stack ?? String(err)}`);
  let stateFile: StateFile | undefined;
  const changed = () => stateFile?.changed();
  const store = new Store();
  const clock = new Clock(onError, changed);
  const scheduler = new Scheduler(onError, changed);
  const webhooks = new WebhookDispatcher(
    { store, scheduler, config, log },
    { url: opts.webhookUrl, secret: opts.webhookSecret, enabled: true },
  );
  const events = new EventBus(store, clock, webhooks);
  const ctx: SimulatorContext = { config, store, clock, scheduler, events, webhooks, log, changed };
  if (opts.stateFile) {
    const path = resolve(opts.stateFile);
    restoreState(ctx, path);
    stateFile = new StateFile(path, () => snapshotState(ctx), log);
  }
  return { ctx, stateFile };
}

interface SavedState {
  version: number;
  savedAt: number;
  clockOffset: number;
  webhooks: ReturnType<WebhookDispatcher['exportState']>;
  store: unknown;
}

function snapshotState(ctx: SimulatorContext): string {
  const webhooks = JSON.stringify(ctx.webhooks.exportState());
  return `{"version":${STATE_VERSION},"savedAt":${Date.now()},"clockOffset":${ctx.clock.offset},"webhooks":${webhooks},"store":${ctx.store.toJSON()}}`;
}

/** Loads the state file, if there is one, and sets again every alarm and pending step it implies. */
function restoreState(ctx: SimulatorContext, path: string): void {
  const text = StateFile.read(path);
  if (text === undefined) {
    ctx.webhooks.restoreState({ deliveries: [], gaveUp: [] });
    ctx.log(`state file ${path}: none yet, starting empty`);
    return;
  }
  let state: SavedState;
  try {
    state = JSON.parse(text) as SavedState;
    if (state.version !== STATE_VERSION) {
      throw new Error(`version ${String(state.version)}, this simulator reads version ${STATE_VERSION}`);
    }
    ctx.store.restore(state.store);
  } catch (err) {
    throw new Error(
      `Stripe simulator: cannot read its state file ${path} (${(err as Error).message}); move it away to start empty`,
      { cause: err },
    );
  }
  ctx.clock.restoreOffset(state.clockOffset);
  ctx.webhooks.restoreState(state.webhooks);
  rearmAfterRestore(ctx);
  ctx.log(
    `state restored from ${path} (saved ${new Date(state.savedAt).toISOString()}, clock offset ${state.clockOffset} s)`,
  );
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
