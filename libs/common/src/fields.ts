import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDefined, isEmail, IsString, MaxLength, MinLength, ValidateBy, ValidateIf } from 'class-validator';
import { DomainError } from './domain-error';

/** Trims strings; leaves anything else for the type check to refuse. */
export const Trimmed = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/**
 * The field may be left out. Unlike `@IsOptional()`, `null` is not "left out": it is a value of
 * the wrong type and is refused by the field's type check (a field where null means something,
 * such as a campaign's open-ended `endsAt`, says so itself).
 */
export const OptionalField = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f]/;
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Why a text cannot be stored as given, or null: PostgreSQL text cannot hold NUL, a lone
 * surrogate has no UTF-8 form (it would be stored as U+FFFD, or refused by a jsonb column), and
 * control characters have no business in a name or an address (multi-line text keeps tab and
 * line breaks).
 */
export function textProblem(value: string, singleLine = true): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode text (it contains an unpaired surrogate)';
  if ((singleLine ? CONTROL_SINGLE_LINE : CONTROL_MULTI_LINE).test(value)) {
    return singleLine ? 'must be one line of text without control characters' : 'must not contain control characters';
  }
  return null;
}

/** Refuses text that cannot be stored faithfully (see `textProblem`); other types are left to the type check. */
export function StorableText(name: string, { singleLine = true } = {}) {
  return ValidateBy({
    name: 'storableText',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || textProblem(value, singleLine) === null,
      defaultMessage: (args) =>
        `${name} ${(typeof args?.value === 'string' && textProblem(args.value, singleLine)) || 'is not valid text'}`,
    },
  });
}

/** An email address check that never throws (validator.js throws "URI malformed" on lone surrogates). */
export function IsEmailAddress(name: string) {
  return ValidateBy({
    name: 'isEmail',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string' || textProblem(value) !== null) return false;
        try {
          return isEmail(value);
        } catch {
          return false;
        }
      },
      defaultMessage: () => `${name} must be a valid email address`,
    },
  });
}

/** A required (or optional) email address field, trimmed, at most 254 characters. */
export function EmailField(name = 'email', required = true) {
  return applyDecorators(
    required ? IsDefined({ message: `${name} is required` }) : OptionalField(),
    Trimmed(),
    IsString({ message: `${name} must be a string` }),
    MaxLength(254, { message: `${name} must be at most 254 characters` }),
    IsEmailAddress(name),
  );
}

/** A trimmed, non-empty text field of at most `max` characters (one line unless `multiLine`). */
export function TextField(
  name: string,
  max: number,
  required = true,
  { min = 1, multiLine = false }: { min?: number; multiLine?: boolean } = {},
) {
  return applyDecorators(
    required ? IsDefined({ message: `${name} is required` }) : OptionalField(),
    Trimmed(),
    IsString({ message: `${name} must be a string` }),
    MinLength(min, { message: min === 1 ? `${name} must not be empty` : `${name} must be at least ${min} characters` }),
    MaxLength(max, { message: `${name} must be at most ${max} characters` }),
    StorableText(name, { singleLine: !multiLine }),
  );
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):?(\d{2}))?)?$/;

/**
 * An ISO 8601 date or date-time as a Date, or undefined when it is not one: a real calendar day,
 * a real time of day, a real offset, a year from 1970 to 9999 (PostgreSQL and JavaScript agree
 * on those; `new Date()` alone would take "1", `true`, 0 or "2026-02-30").
 */
export function parseIsoDateTime(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ISO_DATE_TIME.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', zone, zh = '0', zm = '0'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) {
    return undefined;
  }
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (zone && zone !== 'Z' && (Number(zh) > 14 || Number(zm) > 59)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Turns an ISO 8601 string into a Date for `@IsDate()`; anything else stays as it is, and is refused. */
export const IsoDateTime = () => Transform(({ value }: { value: unknown }) => parseIsoDateTime(value) ?? value);

/** The Idempotency-Key header of staff writes: 8 to 200 characters of letters, digits, _ . : - */
export function assertIdempotencyKey(key: string | undefined): asserts key is string {
  const rule = '8 to 200 characters of letters, digits, _ . : -';
  if (key === undefined || key === '') {
    throw new DomainError('IDEMPOTENCY_KEY_REQUIRED', `Idempotency-Key header is required: ${rule}`, 'Idempotency-Key');
  }
  if (key.length < 8) {
    throw new DomainError(
      'IDEMPOTENCY_KEY_INVALID',
      `Idempotency-Key is too short (${key.length} characters): ${rule}`,
      'Idempotency-Key',
    );
  }
  if (key.length > 200) {
    throw new DomainError(
      'IDEMPOTENCY_KEY_INVALID',
      `Idempotency-Key is too long (${key.length} characters): ${rule}`,
      'Idempotency-Key',
    );
  }
  if (!/^[A-Za-z0-9_.:-]+$/.test(key)) {
    throw new DomainError(
      'IDEMPOTENCY_KEY_INVALID',
      `Idempotency-Key has characters other than letters, digits, _ . : -`,
      'Idempotency-Key',
    );
  }
}
