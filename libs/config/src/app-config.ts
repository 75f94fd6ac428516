import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
  ValidationError,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every environment variable the service reads, validated once at boot.
 * A missing or malformed value stops start-up with a message naming the variable.
 */
export class AppConfig {
  /** PostgreSQL connection string. Unset: an embedded PGlite database in EMBEDDED_DB_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** Folder for the embedded database's files; `memory` keeps it in memory (tests). */
  @IsString()
  EMBEDDED_DB_DIR = './data';

  /** Stripe secret key. Unset: the in-process Stripe simulator is used and no real money moves. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, { message: 'STRIPE_SECRET_KEY must look like sk_test_... or sk_live_...' })
  STRIPE_SECRET_KEY?: string;

  /** Signing secret of the webhook endpoint (whsec_...). Required with a real key. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^whsec_[A-Za-z0-9]+$/, { message: 'STRIPE_WEBHOOK_SECRET must look like whsec_...' })
  STRIPE_WEBHOOK_SECRET?: string;

  /** A Stripe-compatible endpoint (e.g. a standalone simulator) instead of api.stripe.com. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'STRIPE_API_URL must be an http(s) URL' })
  STRIPE_API_URL?: string;

  /** Port of the in-process simulator when no key is set (0 = any free port). */
  @Transform(toInt)
  @IsInt({ message: 'STRIPE_SIMULATOR_PORT must be an integer' })
  @Min(0)
  @Max(65535)
  STRIPE_SIMULATOR_PORT = 12111;

  /** Where readers reach this service (checkout success/cancel pages link back here). */
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: 'PUBLIC_BASE_URL must be an http(s) URL' })
  PUBLIC_BASE_URL = 'http://localhost:3000';

  /** ISO 4217 currency of this deployment. */
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @Matches(/^[A-Z]{3}$/, { message: 'CURRENCY must be a three-letter ISO 4217 code' })
  CURRENCY = 'AUD';

  @Transform(toInt)
  @IsInt({ message: 'PORT must be an integer' })
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Smallest online donation, in minor units. */
  @Transform(toInt)
  @IsInt({ message: 'DONATION_MIN_AMOUNT must be an integer (minor units)' })
  @Min(1)
  DONATION_MIN_AMOUNT = 100;

  /** Largest online donation, in minor units. */
  @Transform(toInt)
  @IsInt({ message: 'DONATION_MAX_AMOUNT must be an integer (minor units)' })
  @Min(1)
  @Max(99_999_999)
  DONATION_MAX_AMOUNT = 10_000_000;

  /** How often the webhook worker looks for due retries when no new event wakes it, in ms (0: only new events wake it). */
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_RETRY_INTERVAL_MS must be an integer' })
  @Min(0)
  WEBHOOK_RETRY_INTERVAL_MS = 5000;

  /**
   * Webhook events each instance's worker processes at once. 0: this instance only receives and
   * stores events, and instances with a worker (woken by PostgreSQL notifications) process them.
   */
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_WORKER_CONCURRENCY must be an integer' })
  @Min(0)
  @Max(64)
  WEBHOOK_WORKER_CONCURRENCY = 8;

  /** How often Stripe's event list is read for events that never arrived, in ms (0 disables). */
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_RECOVERY_INTERVAL_MS must be an integer' })
  @Min(0)
  WEBHOOK_RECOVERY_INTERVAL_MS = 300_000;

  /** Open checkouts older than this many hours are checked on Stripe and expired when abandoned. */
  @Transform(toInt)
  @IsInt({ message: 'CHECKOUT_ABANDONED_HOURS must be an integer' })
  @Min(1)
  CHECKOUT_ABANDONED_HOURS = 25;

  /** First retry delay of a failed webhook event, in ms; doubles each attempt, capped at an hour. */
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_RETRY_BASE_MS must be an integer' })
  @Min(10)
  WEBHOOK_RETRY_BASE_MS = 5000;

  /** After this many failed attempts an event is parked (still replayable) instead of retried. */
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_MAX_ATTEMPTS must be an integer' })
  @Min(1)
  WEBHOOK_MAX_ATTEMPTS = 25;

  /** Days a past-due subscriber keeps access after a failed renewal. */
  @Transform(toInt)
  @IsInt({ message: 'PAST_DUE_GRACE_DAYS must be an integer' })
  @Min(0)
  @Max(60)
  PAST_DUE_GRACE_DAYS = 7;

  /** Comma-separated keys the website/paywall uses to ask about entitlements (server to server). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_\-]{16,}(,[A-Za-z0-9_\-]{16,})*$/, { message: 'ENTITLEMENTS_API_KEYS must be comma-separated keys of at least 16 characters [A-Za-z0-9_-]' })
  ENTITLEMENTS_API_KEYS?: string;

  /** Signs staff access tokens. Unset: random per process (every restart signs staff out). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^.{32,}$/, { message: 'AUTH_TOKEN_SECRET must be at least 32 characters' })
  AUTH_TOKEN_SECRET?: string;

  @Transform(toInt)
  @IsInt({ message: 'AUTH_TOKEN_TTL_MINUTES must be an integer' })
  @Min(1)
  @Max(720)
  AUTH_TOKEN_TTL_MINUTES = 15;

  /** Failed sign-ins per account (and per address) before sign-in is refused for LOGIN_LOCK_MINUTES. */
  @Transform(toInt)
  @IsInt({ message: 'LOGIN_MAX_FAILURES must be an integer' })
  @Min(1)
  LOGIN_MAX_FAILURES = 5;

  @Transform(toInt)
  @IsInt({ message: 'LOGIN_LOCK_MINUTES must be an integer' })
  @Min(1)
  LOGIN_LOCK_MINUTES = 15;

  /** Secret that signs self-service links emailed to supporters. Unset: random per process. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^.{32,}$/, { message: 'LINK_SIGNING_SECRET must be at least 32 characters' })
  LINK_SIGNING_SECRET?: string;

  /** How long a self-service link stays valid, in minutes. */
  @Transform(toInt)
  @IsInt({ message: 'SELF_SERVICE_LINK_TTL_MINUTES must be an integer' })
  @Min(1)
  SELF_SERVICE_LINK_TTL_MINUTES = 60;

  /** smtp(s)://user:pass@host:port to send email; unset: emails are only recorded (development). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  @IsString()
  EMAIL_FROM = 'Supporters <supporters@example.org>';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent' })
  LOG_LEVEL = 'info';

  /** PostgreSQL connections per instance: at least 2 (start-up migrations hold one for their lock). */
  @Transform(toInt)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be an integer' })
  @Min(2, { message: 'DATABASE_POOL_SIZE must be at least 2 (start-up migrations hold one connection for their lock while another runs them)' })
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** The organisation's IANA time zone: report days, weeks and months begin at its midnight. */
  @IsString()
  @Matches(/^[A-Za-z_]+(\/[A-Za-z0-9_+\-]+)*$/, { message: 'REPORT_TIME_ZONE must be an IANA time zone such as Australia/Sydney' })
  REPORT_TIME_ZONE = 'Australia/Sydney';

  /** How often each instance re-reads the progress of the campaigns being shown, in ms. */
  @Transform(toInt)
  @IsInt({ message: 'PROGRESS_REFRESH_MS must be an integer' })
  @Min(10)
  @Max(60_000)
  PROGRESS_REFRESH_MS = 1000;

  /** Origins allowed to put the embeddable progress bar in an iframe (space-separated; `*` = any). */
  @IsString()
  EMBED_ALLOWED_ORIGINS = '*';

  /** Requests per minute each client IP may make to each public POST endpoint (donations, subscriptions, self-service links, sign-in); 0 disables. */
  @Transform(toInt)
  @IsInt({ message: 'RATE_LIMIT_PER_MINUTE must be an integer (0 disables)' })
  @Min(0)
  @Max(10_000)
  RATE_LIMIT_PER_MINUTE = 20;

  /** Comma-separated exact origins (https://www.example.org) whose pages may call the API from a browser; empty: none. */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  CORS_ORIGINS = '';

  /** When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>`; unset, it is open (keep it behind the firewall). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\S{16,}$/, { message: 'METRICS_TOKEN must be at least 16 characters without spaces' })
  METRICS_TOKEN?: string;

  /** CORS_ORIGINS as a list. */
  get corsOrigins(): string[] {
    return this.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  }

  get usesSimulator(): boolean {
    return !this.STRIPE_SECRET_KEY;
  }
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => (m.includes(e.property) ? m : `${e.property}: ${m}`)));
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-AU', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An exact origin: http(s), host, optional port, no path, query or trailing slash. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

/** Builds the validated configuration from an environment, or throws naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const input: Record<string, string> = {};
  const optional = ['DATABASE_URL', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'STRIPE_API_URL', 'ENTITLEMENTS_API_KEYS', 'AUTH_TOKEN_SECRET', 'LINK_SIGNING_SECRET', 'SMTP_URL', 'METRICS_TOKEN'];
  for (const key of [...known, ...optional]) {
    const v = env[key];
    if (v !== undefined) input[key] = v;
  }
  const config = plainToInstance(AppConfig, input, { exposeDefaultValues: true });
  const problems = flatten(validateSync(config, { skipMissingProperties: false }));
  if (config.STRIPE_SECRET_KEY && !config.STRIPE_WEBHOOK_SECRET) {
    problems.push('STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set');
  }
  if (config.DONATION_MIN_AMOUNT > config.DONATION_MAX_AMOUNT) {
    problems.push('DONATION_MIN_AMOUNT must not exceed DONATION_MAX_AMOUNT');
  }
  if (!problems.some((p) => p.includes('REPORT_TIME_ZONE')) && !isTimeZone(config.REPORT_TIME_ZONE)) {
    problems.push(`REPORT_TIME_ZONE "${config.REPORT_TIME_ZONE}" is not a time zone this system knows`);
  }
  if (!problems.some((p) => p.includes('CORS_ORIGINS'))) {
    const bad = config.corsOrigins.filter((o) => !isOrigin(o));
    if (bad.length) problems.push(`CORS_ORIGINS must be comma-separated origins like https://www.example.org (scheme, host, port; no path): ${bad.join(', ')}`);
  }
  if (problems.length) throw new ConfigValidationError(problems);
  return config;
}
