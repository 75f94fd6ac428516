/** Sign-in, fuzzed last: failed sign-ins lock this address out. */
import fc from 'fast-check';
import { bodies, emailArb } from '../generators';
import { jsonRequest } from '../requests';
import { endpoint, fuzzCase } from './case';

export const signIn = fuzzCase('POST /api/auth/login', () => {
  const fields = {
    email: fc.oneof(
      emailArb,
      fc.constantFrom('fuzz.admin@staff.test', 'victim.phone@staff.test', 'FUZZ.ADMIN@staff.test'),
    ),
    password: fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('correct horse battery staple x', 'a'.repeat(200), 'a'.repeat(201)),
    ),
  };
  return endpoint({
    name: 'POST /api/auth/login',
    inputs: bodies(fc.record(fields), fields),
    request: (b) => jsonRequest('POST', '/api/auth/login', b),
    // No generated body holds a real password.
    invalid: () => ['wrong credentials'],
    rejectWrites: (o) => (o.status === 401 ? { audit_log: 1 } : {}),
    fields: ['email', 'password'],
  });
});
