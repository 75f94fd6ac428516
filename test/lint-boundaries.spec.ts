import { ESLint } from 'eslint';
import { join } from 'node:path';

/*
 * The boundary rules of eslint.config.mjs, linted as the real config lints a lib's file: a lib
 * never imports an app, and reaches another lib only through its `@app/<lib>` index.
 */
const LIB_FILE = 'libs/supporters/src/phone-number.ts';

describe('ESLint boundary rules (no-restricted-imports on libs/**)', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: join(__dirname, '..') });
  });

  const importErrors = async (from: string): Promise<string[]> => {
    const [result] = await eslint.lintText(`export { x } from '${from}';\n`, { filePath: LIB_FILE });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it.each([
    ['apps/api/src/main', 'a path from the repository root into an app'],
    ['libs/ledger/src/ledger.service', 'a path from the repository root into a lib'],
    ['../../../apps/api/src/main', 'a relative path into an app'],
    ['@app/ledger/ledger.service', 'a deep path behind the alias'],
    ['../../ledger/src/ledger.service', 'a relative path into another lib'],
  ])(
    "refuses '%s' in a lib (%s)",
    async (from) => {
      expect(await importErrors(from)).toHaveLength(1);
    },
    60_000,
  );

  it.each(['@app/ledger', './phone-number.dto', '../index', 'typeorm'])(
    "lets '%s' through",
    async (from) => {
      expect(await importErrors(from)).toEqual([]);
    },
    60_000,
  );
});
