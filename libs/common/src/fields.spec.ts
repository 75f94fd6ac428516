import { type DomainError } from './domain-error';
import { assertIdempotencyKey } from './fields';

describe('assertIdempotencyKey', () => {
  const failure = (key: string | undefined) => {
    try {
      assertIdempotencyKey(key);
    } catch (err) {
      return err as DomainError;
    }
    return undefined;
  };

  it('accepts 8 to 200 characters of letters, digits, _ . : -', () => {
    expect(failure('call-001')).toBeUndefined();
    expect(failure('a'.repeat(200))).toBeUndefined();
  });

  it('a missing key is "required"', () => {
    expect(failure(undefined)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED', field: 'Idempotency-Key' });
    expect(failure('')).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED' });
  });

  it('a short, long or odd key says what is wrong with it, not "required"', () => {
    const short = failure('abc');
    expect(short).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID', field: 'Idempotency-Key', status: 400 });
    expect(short!.message).toMatch(/too short/);
    expect(short!.message).not.toMatch(/required/);
    expect(failure('a'.repeat(201))!.message).toMatch(/too long/);
    expect(failure('call 0001 with spaces')).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID' });
  });
});
