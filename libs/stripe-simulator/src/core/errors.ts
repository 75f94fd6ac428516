export type StripeErrorType = 'invalid_request_error' | 'api_error' | 'card_error' | 'idempotency_error';

export interface StripeErrorBody {
  error: {
    type: StripeErrorType;
    code?: string;
    message: string;
    param?: string;
    doc_url?: string;
    [field: string]: unknown;
    request_log_url?: string;
  };
}

/** An error answered in Stripe's shape: `{ error: { type, code, message, param, doc_url, request_log_url } }`. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: StripeErrorType,
    message: string,
    readonly code?: string,
    readonly param?: string,
    /**
     * Stripe saves an idempotent result only once the endpoint started executing: a request that
     * failed parameter validation can be retried with the same key.
     */
    readonly validation = false,
    /** More fields of the error body, e.g. a card error's `decline_code`, `charge`, `payment_intent`. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'StripeApiError';
  }

  toBody(requestId: string): StripeErrorBody {
    return {
      error: {
        type: this.type,
        ...(this.code
          ? { code: this.code, doc_url: `https://stripe.com/docs/error-codes/${this.code.replace(/_/g, '-')}` }
          : {}),
        message: this.message,
        ...(this.param ? { param: this.param } : {}),
        ...this.extra,
        request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}?t=${Math.floor(Date.now() / 1000)}`,
      },
    };
  }
}

/** 400 invalid_request_error, the most common case. */
export function invalidRequest(
  message: string,
  opts: { code?: string; param?: string; status?: number } = {},
): StripeApiError {
  return new StripeApiError(opts.status ?? 400, 'invalid_request_error', message, opts.code, opts.param);
}

export function resourceMissing(objectType: string, id: string, param?: string): StripeApiError {
  // Stripe answers 404 for the object in the path, 400 for an id passed as a parameter.
  return new StripeApiError(
    param ? 400 : 404,
    'invalid_request_error',
    `No such ${objectType}: '${id}'`,
    'resource_missing',
    param,
  );
}

export const paramErrors = {
  missing: (param: string) =>
    new StripeApiError(
      400,
      'invalid_request_error',
      `Missing required param: ${param}.`,
      'parameter_missing',
      param,
      true,
    ),
  unknown: (param: string) =>
    new StripeApiError(
      400,
      'invalid_request_error',
      `Received unknown parameter: ${param}`,
      'parameter_unknown',
      param,
      true,
    ),
  empty: (param: string) =>
    new StripeApiError(
      400,
      'invalid_request_error',
      `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
      'parameter_invalid_empty',
      param,
      true,
    ),
  invalidInteger: (param: string, value: unknown) =>
    new StripeApiError(
      400,
      'invalid_request_error',
      `Invalid integer: ${display(value)}`,
      'parameter_invalid_integer',
      param,
      true,
    ),
  invalid: (param: string, message: string, code?: string) =>
    new StripeApiError(400, 'invalid_request_error', message, code, param, true),
  exclusive: (params: string[]) =>
    new StripeApiError(
      400,
      'invalid_request_error',
      `You may only specify one of these parameters: ${params.join(', ')}.`,
      'parameters_exclusive',
      params[0],
      true,
    ),
};

function display(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
