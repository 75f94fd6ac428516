/** Giving statements: the bulk send of a financial year's statements (finance). */
import fc from 'fast-check';
import { localDate } from '@app/common';
import { financialYearOf } from '@app/statements';
import { bodies } from '../generators';
import { int, isObj, onlyKeys, type Problems } from '../oracles';
import { jsonRequest } from '../requests';
import { endpoint, fuzzCase } from './case';

export const bulkStatements = fuzzCase('POST /api/statements/bulk', (w) => {
  // The last financial year that has ended (the fuzzed app reports in Australia/Sydney).
  const lastEnded = financialYearOf(localDate(new Date(), 'Australia/Sydney')) - 1;
  const year = fc.oneof(
    fc.integer({ min: 2000, max: lastEnded }),
    fc.integer({ min: 1990, max: 3100 }),
    fc.constantFrom(lastEnded, lastEnded + 1, 1999, 3000),
  );
  return endpoint({
    name: 'POST /api/statements/bulk',
    inputs: bodies(fc.record({ year }), { year }),
    request: (b) => jsonRequest('POST', '/api/statements/bulk', b, { authorization: w.auth.finance }),
    invalid: (b) => {
      const p: Problems = [];
      if (!isObj(b)) return ['body not an object'];
      onlyKeys(p, b, ['year']);
      // Only a year that has ended (a later one is 422 STATEMENT_YEAR_NOT_ENDED or 400).
      int(p, b.year, 'year', 2000, lastEnded);
      return p;
    },
    // Audited; each giver of the year not yet sent it gets one email with its PDF, once.
    writes: {
      audit_log: [1, 1],
      emails: [0, 10_000],
      email_attachments: [0, 10_000],
      giving_statements_sent: [0, 10_000],
    },
    fields: ['year'],
  });
});
