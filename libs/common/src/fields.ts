import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDefined, IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { DomainError } from './domain-error';

/** Trims strings; leaves anything else for the type check to refuse. */
export const Trimmed = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** A required (or optional) email address field, trimmed, at most 254 characters. */
export function EmailField(name = 'email', required = true) {
  return applyDecorators(
    required ? IsDefined({ message: `${name} is required` }) : IsOptional(),
    Trimmed(),
    IsString({ message: `${name} must be a string` }),
    MaxLength(254, { message: `${name} must be at most 254 characters` }),
    IsEmail({}, { message: `${name} must be a valid email address` }),
  );
}

/** A trimmed, non-empty text field of at most `max` characters. */
export function TextField(name: string, max: number, required = true) {
  return applyDecorators(
    required ? IsDefined({ message: `${name} is required` }) : IsOptional(),
    Trimmed(),
    IsString({ message: `${name} must be a string` }),
    MinLength(1, { message: `${name} must not be empty` }),
    MaxLength(max, { message: `${name} must be at most ${max} characters` }),
  );
}

/** The Idempotency-Key header of staff writes: 8 to 200 characters of letters, digits, _ . : - */
export function assertIdempotencyKey(key: string | undefined): asserts key is string {
  if (!key || !/^[A-Za-z0-9_.:-]{8,200}$/.test(key)) {
    throw new DomainError('IDEMPOTENCY_KEY_REQUIRED', 'Idempotency-Key header is required: 8 to 200 characters of letters, digits, _ . : -', 'Idempotency-Key');
  }
}
