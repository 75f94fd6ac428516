import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/*
 * TypeORM's internals (the driver's `pg` pool, `driver.master`; writes to a query runner's
 * `isTransactionActive`) are reached in one small, documented place: libs/database/src/raw.ts.
 * Everything else goes through its helpers (`sql`, `rawTransaction`, `poolOf`).
 */
const ROOT = join(__dirname, '..', '..', '..');
const ALLOWED = 'libs/database/src/raw.ts';
const INTERNALS: Array<[what: string, pattern: RegExp]> = [
  ['the driver pool (driver.master)', /\bmaster\s*[:}]|\.master\b/],
  ['a write to isTransactionActive', /isTransactionActive\s*=[^=]/],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'dist') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('TypeORM internals', () => {
  it(`are reached only in ${ALLOWED}`, () => {
    const hits: string[] = [];
    for (const file of [...sources(join(ROOT, 'libs')), ...sources(join(ROOT, 'apps'))]) {
      const name = relative(ROOT, file).split('\\').join('/');
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          for (const [what, pattern] of INTERNALS) {
            if (pattern.test(line) && name !== ALLOWED) hits.push(`${name}:${i + 1}: ${what}`);
          }
        });
    }
    expect(hits).toEqual([]);
  });

  it(`are reached in ${ALLOWED} (so the check above looks for the right thing)`, () => {
    const raw = readFileSync(join(ROOT, ALLOWED), 'utf8');
    for (const [, pattern] of INTERNALS) expect(raw).toMatch(pattern);
  });
});
