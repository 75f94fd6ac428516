import { startStripeSimulator } from '@app/stripe-simulator';

/**
 * Runs the Stripe simulator on its own (`npm run simulator`):
 *   STRIPE_SIMULATOR_PORT (default 12111), STRIPE_WEBHOOK_URL, STRIPE_WEBHOOK_SECRET,
 *   SIMULATOR_PUBLIC_URL (base of the hosted checkout pages, if not http://127.0.0.1:<port>),
 *   SIMULATOR_HOST (default 127.0.0.1), SIMULATOR_LOG_REQUESTS (default 1; 0: no line per request,
 *   e.g. under a benchmark, where printing every request costs more than answering it),
 *   SIMULATOR_STATE_FILE (unset: in memory only; a path: the state survives restarts there).
 */
/** The line the server logs for every answered request ("GET /v1/… → 200"). */
const REQUEST_LINE = /^[A-Z]+ \S+ → \d{3}$/;

async function main(): Promise<void> {
  const env = process.env;
  const port = env.STRIPE_SIMULATOR_PORT ? Number(env.STRIPE_SIMULATOR_PORT) : 12111;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`STRIPE_SIMULATOR_PORT must be a port number, got "${env.STRIPE_SIMULATOR_PORT}"`);
  }
  const webhookUrl = env.STRIPE_WEBHOOK_URL || undefined;
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET || undefined;
  if (webhookUrl && !webhookSecret) {
    throw new Error('STRIPE_WEBHOOK_URL is set but STRIPE_WEBHOOK_SECRET is not: webhooks must be signed');
  }

  const quietRequests = env.SIMULATOR_LOG_REQUESTS === '0';
  const sim = await startStripeSimulator({
    port,
    host: env.SIMULATOR_HOST || undefined,
    publicUrl: env.SIMULATOR_PUBLIC_URL || undefined,
    webhookUrl,
    webhookSecret,
    stateFile: env.SIMULATOR_STATE_FILE || undefined,
    logger: (msg) => {
      if (quietRequests && REQUEST_LINE.test(msg)) return;
      console.log(`[stripe-simulator] ${msg}`);
    },
  });

  const banner = '*'.repeat(78);
  console.log(
    [
      banner,
      '  STRIPE SIMULATOR: a local stand-in for Stripe. NO REAL MONEY MOVES.',
      `  API:      ${sim.url}  (any sk_test_... key; new Stripe(key, { host, port, protocol: 'http' }))`,
      `  Webhooks: ${webhookUrl ? `${webhookUrl} (signed with STRIPE_WEBHOOK_SECRET)` : 'none (set STRIPE_WEBHOOK_URL and STRIPE_WEBHOOK_SECRET)'}`,
      `  Controls: ${sim.url}/_simulator`,
      `  State:    ${env.SIMULATOR_STATE_FILE ? `kept in ${env.SIMULATOR_STATE_FILE}` : 'in memory only (set SIMULATOR_STATE_FILE to keep it)'}`,
      banner,
    ].join('\n'),
  );

  const stop = () => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`[stripe-simulator] ${(err as Error).message ?? String(err)}`);
  process.exit(1);
});
