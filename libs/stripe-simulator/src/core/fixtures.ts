import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const FIXTURE_FILE = 'fixtures3.json';
/** Where the file lives in the repository, for a compiled copy (dist/) that has no JSON beside it. */
const SOURCE_DIR = join('apps', 'stripe-simulator', 'src', 'fixtures');

let resources: Record<string, unknown> | undefined;

/**
 * Stripe's published example objects (stripe/openapi `fixtures3.json`): every object the
 * simulator returns starts as a deep clone of one of these, so it carries every field real
 * Stripe returns, and the builders override what matters.
 */
export function fixture<T>(resource: string): T {
  resources ??= load();
  const example = resources[resource];
  if (example === undefined) throw new Error(`no fixture for ${resource}`);
  return structuredClone(example) as T;
}

function load(): Record<string, unknown> {
  const file = locate();
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { resources?: Record<string, unknown> };
  if (!parsed.resources) throw new Error(`${file} has no "resources"`);
  return parsed.resources;
}

/** Beside this module's folder when run from source; else found by walking up to the repository. */
function locate(): string {
  const beside = join(__dirname, '..', 'fixtures', FIXTURE_FILE);
  if (existsSync(beside)) return beside;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, SOURCE_DIR, FIXTURE_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new Error(
    `Stripe simulator: cannot find ${FIXTURE_FILE} (looked beside ${__dirname} and in ${SOURCE_DIR} above it)`,
  );
}
