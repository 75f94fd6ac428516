export interface StripeSimulatorOptions {
  /** 0 = a random free port; default 12111. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Base URL of the hosted checkout pages (`session.url`); default `http://<host>:<port>`. */
  publicUrl?: string;
  /** Where events are POSTed. Unset: events are only stored (GET /v1/events). */
  webhookUrl?: string;
  /** `whsec_...` used to sign deliveries; required when webhookUrl is set. */
  webhookSecret?: string;
  /** Delay before a charge's balance transaction (the fee) arrives via `charge.updated`; default 2000. */
  feeDelayMs?: number;
  /**
   * Delay before a refund of a charge paid with the refund-failure test card (4000 0000 0000 5126)
   * fails, after succeeding; default: feeDelayMs.
   */
  refundFailureDelayMs?: number;
  /** Each event is sent after a random 0..jitter delay, so their order varies; default 50. */
  deliveryJitterMs?: number;
  /** Delays between redelivery attempts of a failed delivery; then it gives up. */
  retryDelaysMs?: number[];
  logger?: (msg: string) => void;
  /**
   * A file that keeps the simulator's state across restarts (objects, attachments, the clock's
   * offset, webhook deliveries): loaded at start if it exists, written shortly after changes and
   * on close. Unset (the default): everything is in memory only.
   */
  stateFile?: string;
}

/** Settings every part of the simulator reads, resolved once at start. */
export interface SimulatorConfig {
  readonly publicUrl: string;
  readonly feeDelayMs: number;
  readonly refundFailureDelayMs: number;
  readonly deliveryJitterMs: number;
  readonly retryDelaysMs: readonly number[];
  readonly deliveryTimeoutMs: number;
}

export const DEFAULTS = {
  port: 12111,
  host: '127.0.0.1',
  feeDelayMs: 2000,
  deliveryJitterMs: 50,
  retryDelaysMs: [1000, 5000, 30000, 120000, 600000],
  deliveryTimeoutMs: 10000,
} as const;

export function resolveConfig(opts: StripeSimulatorOptions, listeningUrl: string): SimulatorConfig {
  return {
    publicUrl: (opts.publicUrl ?? listeningUrl).replace(/\/+$/, ''),
    feeDelayMs: nonNegative('feeDelayMs', opts.feeDelayMs ?? DEFAULTS.feeDelayMs),
    refundFailureDelayMs: nonNegative(
      'refundFailureDelayMs',
      opts.refundFailureDelayMs ?? opts.feeDelayMs ?? DEFAULTS.feeDelayMs,
    ),
    deliveryJitterMs: nonNegative('deliveryJitterMs', opts.deliveryJitterMs ?? DEFAULTS.deliveryJitterMs),
    retryDelaysMs: (opts.retryDelaysMs ?? DEFAULTS.retryDelaysMs).map((d) => nonNegative('retryDelaysMs', d)),
    deliveryTimeoutMs: DEFAULTS.deliveryTimeoutMs,
  };
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`Stripe simulator: ${name} must be a non-negative number`);
  }
  return value;
}
