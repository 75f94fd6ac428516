import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
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
import { isIP } from 'node:net';
import { currencyProblem } from '@app/common';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' || value === 'false' ? false : value === 'true' ? true : value;

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

  /**
   * Connection string of the tables' owner, for migrations only. Set: migrations run with it
   * and the role of DATABASE_URL is granted what the service needs (INSERT and SELECT on the
   * ledger, nothing more there). Unset: migrations run with DATABASE_URL.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'MIGRATION_DATABASE_URL must be a postgres:// or postgresql:// URL' })
  MIGRATION_DATABASE_URL?: string;

  /** Folder for the embedded database's files; `memory` keeps it in memory (tests). */
  @IsString()
  EMBEDDED_DB_DIR = './data';

  /** Stripe secret key. Unset: the in-process Stripe simulator is used and no real money moves. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, {
    message: 'STRIPE_SECRET_KEY must look like sk_test_... or sk_live_...',
  })
  STRIPE_SECRET_KEY?: string;

  /** Signing secret of the webhook endpoint (whsec_...). Required with a real key. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^whsec_[A-Za-z0-9]+$/, { message: 'STRIPE_WEBHOOK_SECRET must look like whsec_...' })
  STRIPE_WEBHOOK_SECRET?: string;

  /** A Stripe-compatible endpoint (e.g. a standalone simulator) instead of api.stripe.com. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'STRIPE_API_URL must be an http(s) URL' },
  )
  STRIPE_API_URL?: string;

  /** Port of the in-process simulator when no key is set (0 = any free port). */
  @Transform(toInt)
  @IsInt({ message: 'STRIPE_SIMULATOR_PORT must be an integer' })
  @Min(0)
  @Max(65535)
  STRIPE_SIMULATOR_PORT = 12111;

  /**
   * Where readers reach this service (checkout success/cancel pages link back here).
   * Unset: `http://localhost:<PORT>` (with PORT=0, the port the service gets; see `publicBaseUrlIsDefault`).
   */
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'PUBLIC_BASE_URL must be an http(s) URL' },
  )
  PUBLIC_BASE_URL = 'http://localhost:3000';

  /** ISO 4217 currency of this deployment. */
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @Matches(/^[A-Z]{3}$/, { message: 'CURRENCY must be a three-letter ISO 4217 code' })
  CURRENCY = 'AUD';

  // The organisation, as readers see it on the reader pages, in emails, receipts and statements.

  /** The publication's name: page titles, email sender name, receipts. */
  @IsString()
  @Matches(/^\S.{0,119}$/, { message: 'ORG_NAME must be 1 to 120 characters' })
  ORG_NAME = 'The Example Times';

  /** Australian Business Number printed on receipts and statements (11 digits, spaces allowed). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d{2} ?\d{3} ?\d{3} ?\d{3}$/, { message: 'ORG_ABN must be an 11-digit ABN, e.g. 51 824 753 556' })
  ORG_ABN?: string;

  /** Postal address printed on receipts and statements (one line; commas separate its parts). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ORG_POSTAL_ADDRESS?: string;

  /** Whether gifts are tax-deductible (the organisation is a deductible gift recipient). */
  @Transform(toBool)
  @IsBoolean({ message: 'ORG_GIFTS_TAX_DEDUCTIBLE must be true or false' })
  ORG_GIFTS_TAX_DEDUCTIBLE = false;

  /** The statement on receipts about tax deductibility; unset: one that follows ORG_GIFTS_TAX_DEDUCTIBLE. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  ORG_TAX_STATEMENT?: string;

  /** Logo shown on reader pages and emails (an absolute http(s) URL). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'ORG_LOGO_URL must be an http(s) URL' },
  )
  ORG_LOGO_URL?: string;

  /** Accent colour of reader pages and emails (#rgb or #rrggbb). */
  @Matches(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, { message: 'ORG_ACCENT_COLOUR must be a hex colour like #b3261e' })
  ORG_ACCENT_COLOUR = '#b3261e';

  /** The publication's website (reader pages and emails link back to it); unset: PUBLIC_BASE_URL. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'ORG_SITE_URL must be an http(s) URL' },
  )
  ORG_SITE_URL?: string;

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

  /**
   * PostgreSQL: how long a webhook worker transaction waits for a row lock (`lock_timeout`) before
   * the event fails and is retried later, in ms.
   */
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_LOCK_TIMEOUT_MS must be an integer' })
  @Min(10)
  @Max(600000)
  WEBHOOK_LOCK_TIMEOUT_MS = 5000;

  /** PostgreSQL: longest single statement of a webhook worker transaction (`statement_timeout`), in ms. */
  @Transform(toInt)
  @IsInt({ message: 'WEBHOOK_STATEMENT_TIMEOUT_MS must be an integer' })
  @Min(100)
  @Max(3600000)
  WEBHOOK_STATEMENT_TIMEOUT_MS = 15000;

  /** Days a past-due subscriber keeps access after a failed renewal. */
  @Transform(toInt)
  @IsInt({ message: 'PAST_DUE_GRACE_DAYS must be an integer' })
  @Min(0)
  @Max(60)
  PAST_DUE_GRACE_DAYS = 7;

  /** Days before an offline subscription ends that its reader is reminded to renew (email, or the renewals-due report). */
  @Transform(toInt)
  @IsInt({ message: 'RENEWAL_REMINDER_DAYS must be an integer' })
  @Min(1)
  @Max(120)
  RENEWAL_REMINDER_DAYS = 30;

  /** How often the renewal reminder job runs, in ms (0: not in this instance). */
  @Transform(toInt)
  @IsInt({ message: 'RENEWAL_REMINDER_INTERVAL_MS must be an integer' })
  @Min(0)
  RENEWAL_REMINDER_INTERVAL_MS = 3_600_000;

  /** Comma-separated keys the website/paywall uses to ask about entitlements (server to server). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{16,}(,[A-Za-z0-9_-]{16,})*$/, {
    message: 'ENTITLEMENTS_API_KEYS must be comma-separated keys of at least 16 characters [A-Za-z0-9_-]',
  })
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

  /** Failed sign-ins per account before it is locked for 30 s, doubling per further failure up to LOGIN_LOCK_MINUTES (per address: 4× as many). */
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

  /**
   * The development mailbox at /dev/mailbox (the emails the service wrote, readable in a browser).
   * Unset: on while the Stripe simulator is used (no STRIPE_SECRET_KEY), off otherwise. Never
   * with a live Stripe key, whatever this says (see `devMailbox`).
   */
  @Transform(({ value }) =>
    value === undefined || value === '' ? undefined : value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsOptional()
  @IsBoolean({ message: 'DEV_MAILBOX must be true or false' })
  DEV_MAILBOX?: boolean;

  @IsString()
  EMAIL_FROM = 'Supporters <supporters@example.org>';

  /**
   * How often the email outbox worker looks for due emails (retries, rows another instance wrote)
   * when nothing wakes it, in ms. 0: this instance sends no email (others with a worker do).
   */
  @Transform(toInt)
  @IsInt({ message: 'EMAIL_POLL_INTERVAL_MS must be an integer (0 disables the email worker)' })
  @Min(0)
  EMAIL_POLL_INTERVAL_MS = 5000;

  /** First retry delay of an email the SMTP server did not take, in ms; doubles each attempt, capped at an hour. */
  @Transform(toInt)
  @IsInt({ message: 'EMAIL_RETRY_BASE_MS must be an integer' })
  @Min(10)
  EMAIL_RETRY_BASE_MS = 30_000;

  /** After this many failed attempts an email is given up (status `failed`). */
  @Transform(toInt)
  @IsInt({ message: 'EMAIL_MAX_ATTEMPTS must be an integer' })
  @Min(1)
  @Max(100)
  EMAIL_MAX_ATTEMPTS = 10;

  /** SMTP: how long to wait for the TCP (and TLS) connection, in ms. */
  @Transform(toInt)
  @IsInt({ message: 'SMTP_CONNECTION_TIMEOUT_MS must be an integer' })
  @Min(100)
  @Max(600_000)
  SMTP_CONNECTION_TIMEOUT_MS = 5000;

  /** SMTP: how long to wait for the server's greeting once connected, in ms. */
  @Transform(toInt)
  @IsInt({ message: 'SMTP_GREETING_TIMEOUT_MS must be an integer' })
  @Min(100)
  @Max(600_000)
  SMTP_GREETING_TIMEOUT_MS = 5000;

  /** SMTP: how long the connection may stay silent (no answer to a command), in ms. */
  @Transform(toInt)
  @IsInt({ message: 'SMTP_SOCKET_TIMEOUT_MS must be an integer' })
  @Min(100)
  @Max(600_000)
  SMTP_SOCKET_TIMEOUT_MS = 10_000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
  })
  LOG_LEVEL = 'info';

  /** PostgreSQL connections per instance: at least 2 (start-up migrations hold one for their lock). */
  @Transform(toInt)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be an integer' })
  @Min(2, {
    message:
      'DATABASE_POOL_SIZE must be at least 2 (start-up migrations hold one connection for their lock while another runs them)',
  })
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** The organisation's IANA time zone: report days, weeks and months begin at its midnight. */
  @IsString()
  @Matches(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, {
    message: 'REPORT_TIME_ZONE must be an IANA time zone such as Australia/Sydney',
  })
  REPORT_TIME_ZONE = 'Australia/Sydney';

  /** How often each instance re-reads the progress of the campaigns being shown, in ms. */
  @Transform(toInt)
  @IsInt({ message: 'PROGRESS_REFRESH_MS must be an integer' })
  @Min(10)
  @Max(60_000)
  PROGRESS_REFRESH_MS = 1000;

  /** Live progress streams (server-sent events) each instance holds open at once; past it: 503 with Retry-After. */
  @Transform(toInt)
  @IsInt({ message: 'PROGRESS_STREAM_MAX_CLIENTS must be an integer' })
  @Min(1, { message: 'PROGRESS_STREAM_MAX_CLIENTS must be at least 1' })
  @Max(1_000_000)
  PROGRESS_STREAM_MAX_CLIENTS = 1000;

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

  /**
   * The proxies in front of the service whose `X-Forwarded-For` is believed: empty (default) none,
   * so the client address is the connection's; a hop count (`1`: one proxy, such as nginx or an
   * AWS ALB, appends the client's address); or comma-separated proxy addresses and CIDRs
   * (`10.0.0.0/8, 127.0.0.1`, or `loopback`, `linklocal`, `uniquelocal`). The client address is
   * the right-most one that is not a trusted proxy.
   */
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  TRUST_PROXY = '';

  /** TRUST_PROXY as Fastify's `trustProxy`: false, a hop count, or a list of addresses/CIDRs. */
  get trustProxy(): false | number | string[] {
    return parseTrustProxy(this.TRUST_PROXY) ?? false;
  }

  /**
   * `true`: /metrics stays open without METRICS_TOKEN even with a live key (it is reachable only
   * behind a firewall). Without it, a live key needs METRICS_TOKEN: the metrics show revenue.
   */
  @Transform(toBool)
  @IsBoolean({ message: 'METRICS_PUBLIC must be true or false' })
  METRICS_PUBLIC = false;

  /** CORS_ORIGINS as a list. */
  get corsOrigins(): string[] {
    return this.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean);
  }

  /** The organisation as reader pages, emails, receipts and statements show it. */
  get organisation(): Organisation {
    return {
      name: this.ORG_NAME,
      abn: this.ORG_ABN ?? null,
      postalAddress: this.ORG_POSTAL_ADDRESS ?? null,
      giftsTaxDeductible: this.ORG_GIFTS_TAX_DEDUCTIBLE,
      taxStatement:
        this.ORG_TAX_STATEMENT ??
        (this.ORG_GIFTS_TAX_DEDUCTIBLE
          ? `${this.ORG_NAME} is a deductible gift recipient: donations of $2 or more are tax-deductible. Subscriptions are not gifts and are not deductible.`
          : `${this.ORG_NAME} is not a deductible gift recipient: donations and subscriptions are not tax-deductible.`),
      logoUrl: this.ORG_LOGO_URL ?? null,
      accentColour: this.ORG_ACCENT_COLOUR,
      siteUrl: this.ORG_SITE_URL ?? this.PUBLIC_BASE_URL,
    };
  }

  get usesSimulator(): boolean {
    return !this.STRIPE_SECRET_KEY;
  }

  /** PUBLIC_BASE_URL was not set: it is `http://localhost:<PORT>` (main.ts puts the real port in when PORT=0). */
  get publicBaseUrlIsDefault(): boolean {
    return defaultedBaseUrl.has(this);
  }

  /** Whether /dev/mailbox is served: DEV_MAILBOX, by default only with the simulator; never with a live key. */
  get devMailbox(): boolean {
    return !this.stripeLive && (this.DEV_MAILBOX ?? this.usesSimulator);
  }

  /** A live Stripe key (`sk_live_…` or restricted `rk_live_…`): real money, production rules. */
  get stripeLive(): boolean {
    return /^(sk|rk)_live_/.test(this.STRIPE_SECRET_KEY ?? '');
  }
}

/** The organisation's details from ORG_* (see AppConfig.organisation). */
export interface Organisation {
  name: string;
  abn: string | null;
  postalAddress: string | null;
  giftsTaxDeductible: boolean;
  /** Printed on every receipt and statement. */
  taxStatement: string;
  logoUrl: string | null;
  /** #rgb or #rrggbb. */
  accentColour: string;
  /** The publication's website. */
  siteUrl: string;
}

/** Configurations whose PUBLIC_BASE_URL was derived from PORT (not an enumerable field: it is no variable). */
const defaultedBaseUrl = new WeakSet<AppConfig>();

/** The PUBLIC_BASE_URL a service listening on `port` has when none is configured. */
export function defaultPublicBaseUrl(port: number): string {
  return `http://localhost:${port}`;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

function flatten(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    Object.values(e.constraints ?? {}).map((m) => (m.includes(e.property) ? m : `${e.property}: ${m}`)),
  );
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

const PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One TRUST_PROXY entry: an IP address, an address/prefix (CIDR), or a proxy-addr preset. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_PRESETS.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** TRUST_PROXY parsed: false (no proxy), a hop count, a list of addresses, or null when malformed. */
export function parseTrustProxy(value: string): false | number | string[] | null {
  const v = value.trim();
  if (v === '' || v === '0' || v.toLowerCase() === 'false' || v.toLowerCase() === 'none') return false;
  if (/^\d+$/.test(v)) return Number(v) <= 10 ? Number(v) : null;
  const entries = v.split(',').map((e) => e.trim().toLowerCase());
  return entries.every(isProxyAddress) ? entries : null;
}

/** Builds the validated configuration from an environment, or throws naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const input: Record<string, string> = {};
  const optional = [
    'DATABASE_URL',
    'MIGRATION_DATABASE_URL',
    'STRIPE_SECRET_KEY',
    'STRIPE_WEBHOOK_SECRET',
    'STRIPE_API_URL',
    'ENTITLEMENTS_API_KEYS',
    'AUTH_TOKEN_SECRET',
    'LINK_SIGNING_SECRET',
    'SMTP_URL',
    'DEV_MAILBOX',
    'METRICS_TOKEN',
    'ORG_ABN',
    'ORG_POSTAL_ADDRESS',
    'ORG_TAX_STATEMENT',
    'ORG_LOGO_URL',
    'ORG_SITE_URL',
  ];
  for (const key of [...known, ...optional]) {
    const v = env[key];
    if (v !== undefined) input[key] = v;
  }
  const config = plainToInstance(AppConfig, input, { exposeDefaultValues: true });
  // Readers come back to where the service listens unless told otherwise (not always port 3000).
  if (input.PUBLIC_BASE_URL === undefined && Number.isInteger(config.PORT)) {
    // PORT=0 (any free port): no port to name yet; main.ts (and the test app) put in the one the service gets.
    config.PUBLIC_BASE_URL = config.PORT === 0 ? 'http://localhost' : defaultPublicBaseUrl(config.PORT);
    defaultedBaseUrl.add(config);
  }
  const problems = flatten(validateSync(config, { skipMissingProperties: false }));
  if (config.STRIPE_SECRET_KEY && !config.STRIPE_WEBHOOK_SECRET) {
    problems.push('STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set');
  }
  if (!problems.some((p) => p.includes('CURRENCY'))) {
    const problem = currencyProblem(config.CURRENCY);
    if (problem) problems.push(`CURRENCY: ${problem}`);
  }
  if (config.METRICS_PUBLIC === true && config.METRICS_TOKEN) {
    problems.push('METRICS_PUBLIC=true and METRICS_TOKEN contradict each other: set one of them');
  }
  if (config.stripeLive) {
    // Random per-process secrets and open revenue metrics are development conveniences only.
    if (!config.AUTH_TOKEN_SECRET) {
      problems.push(
        'AUTH_TOKEN_SECRET is required with a live Stripe key: unset, each instance signs staff tokens with its own random secret, so sessions fail across instances and every restart signs staff out',
      );
    }
    if (!config.LINK_SIGNING_SECRET) {
      problems.push(
        'LINK_SIGNING_SECRET is required with a live Stripe key: unset, every restart invalidates the self-service links already emailed',
      );
    }
    if (!config.METRICS_TOKEN && config.METRICS_PUBLIC !== true) {
      problems.push(
        'METRICS_TOKEN is required with a live Stripe key (/metrics shows revenue), or METRICS_PUBLIC=true when /metrics is only reachable behind a firewall',
      );
    }
  }
  if (config.MIGRATION_DATABASE_URL && !config.DATABASE_URL) {
    problems.push('MIGRATION_DATABASE_URL needs DATABASE_URL (the embedded database has a single user)');
  }
  if (config.DONATION_MIN_AMOUNT > config.DONATION_MAX_AMOUNT) {
    problems.push('DONATION_MIN_AMOUNT must not exceed DONATION_MAX_AMOUNT');
  }
  if (!problems.some((p) => p.includes('REPORT_TIME_ZONE')) && !isTimeZone(config.REPORT_TIME_ZONE)) {
    problems.push(`REPORT_TIME_ZONE "${config.REPORT_TIME_ZONE}" is not a time zone this system knows`);
  }
  if (!problems.some((p) => p.includes('CORS_ORIGINS'))) {
    const bad = config.corsOrigins.filter((o) => !isOrigin(o));
    if (bad.length) {
      problems.push(
        `CORS_ORIGINS must be comma-separated origins like https://www.example.org (scheme, host, port; no path): ${bad.join(', ')}`,
      );
    }
  }
  if (!problems.some((p) => p.includes('TRUST_PROXY')) && parseTrustProxy(config.TRUST_PROXY) === null) {
    problems.push(
      /^true$/i.test(config.TRUST_PROXY)
        ? 'TRUST_PROXY=true would believe any X-Forwarded-For a client writes; give the number of proxies in front (e.g. 1) or their addresses/CIDRs'
        : 'TRUST_PROXY must be empty (no proxy), a hop count from 1 to 10, or comma-separated proxy addresses/CIDRs (e.g. 10.0.0.0/8, 127.0.0.1, loopback)',
    );
  }
  if (problems.length) throw new ConfigValidationError(problems);
  return config;
}
