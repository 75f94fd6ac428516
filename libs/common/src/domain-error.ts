/** Stable error codes clients can rely on; the HTTP status is decided here, once. */
export const ErrorCodes = {
  VALIDATION_FAILED: 400,
  DONATION_AMOUNT_TOO_SMALL: 400,
  DONATION_AMOUNT_TOO_LARGE: 400,
  CAMPAIGN_NOT_FOUND: 404,
  UNKNOWN_CAMPAIGN: 400,
  CAMPAIGN_CURRENCY_MISMATCH: 400,
  CAMPAIGN_SLUG_TAKEN: 409,
  CAMPAIGN_INVALID: 400,
  REPORT_RANGE_INVALID: 400,
  PAYOUT_NOT_FOUND: 404,
  WEBHOOK_SIGNATURE_INVALID: 400,
  WEBHOOK_PAYLOAD_INVALID: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNKNOWN_TIER: 400,
  DELIVERY_ADDRESS_REQUIRED: 400,
  PREPAID_OPTION_NOT_OFFERED: 400,
  MONTHS_ONLY_FOR_PREPAID: 400,
  SUBSCRIPTION_ALREADY_ACTIVE: 409,
  LINK_INVALID: 401,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  TOO_MANY_ATTEMPTS: 429,
  RATE_LIMITED: 429,
  STAFF_EMAIL_TAKEN: 409,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_REQUEST_IN_PROGRESS: 409,
  CARD_NEEDS_EMAIL: 400,
  NOT_REVERSIBLE: 409,
  ALREADY_REVERSED: 409,
  NOT_REFUNDABLE: 409,
  REFUND_REJECTED: 400,
  MONTHLY_NEEDS_CARD: 400,
  PAYLOAD_TOO_LARGE: 413,
  NOT_FOUND: 404,
  PAYMENT_PROVIDER_UNAVAILABLE: 502,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ErrorCodes;

/** A failure the domain knows about. `field` names the request field at fault, when there is one. */
export class DomainError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
    readonly details?: unknown,
    /** Seconds, for 429 answers (sent as Retry-After). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'DomainError';
    this.status = ErrorCodes[code];
  }
}
