import type { OpenAPIObject } from '@nestjs/swagger';

const HEADER = `/**
 * Generated from openapi.json by \`npm run openapi\` (openapi-typescript): do not edit.
 * \`npm run openapi:check\` fails in CI when this file is stale.
 */

`;

/** The typed client's schema (`paths`, `components`, `operations`) for the document `json`. */
export async function clientSchemaSource(json: string): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(JSON.parse(json) as Parameters<typeof openapiTS>[0], {
    // Optional-but-present fields stay optional; the document says which are required.
    alphabetize: false,
    exportType: false,
  });
  return HEADER + astToString(ast);
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** `GET /api/x` → its operation JSON, for naming which operations differ. */
function operations(doc: OpenAPIObject): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, unknown>)[method];
      if (op) out.set(`${method.toUpperCase()} ${path}`, JSON.stringify(op));
    }
  }
  return out;
}

function changedKeys(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [k, v] of after) {
    if (!before.has(k)) out.push(`${k} (added)`);
    else if (before.get(k) !== v) out.push(`${k} (changed)`);
  }
  for (const k of before.keys()) if (!after.has(k)) out.push(`${k} (removed)`);
  return out;
}

function parseDocument(text: string): OpenAPIObject | undefined {
  try {
    const doc = JSON.parse(text) as OpenAPIObject;
    return doc && typeof doc === 'object' && doc.paths ? doc : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What differs between the committed text and the generated one, in words (undefined when equal):
 * for OpenAPI documents the operations and schemas that differ, otherwise the first differing line.
 */
export function describeDifference(committed: string | undefined, generated: string): string | undefined {
  if (committed === generated) return undefined;
  if (committed === undefined) return 'the file is missing';
  const [before, after] = [parseDocument(committed), parseDocument(generated)];
  if (before && after) {
    const schemas = (doc: OpenAPIObject) =>
      new Map(Object.entries(doc.components?.schemas ?? {}).map(([name, s]) => [`schema ${name}`, JSON.stringify(s)]));
    const differences = [
      ...changedKeys(operations(before), operations(after)),
      ...changedKeys(schemas(before), schemas(after)),
    ];
    if (differences.length) return differences.join('; ');
  }
  const a = committed.split('\n');
  const b = generated.split('\n');
  const line = a.findIndex((l, i) => l !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1} is ${JSON.stringify(a[at] ?? '(end of file)')}, generated ${JSON.stringify(b[at] ?? '(end of file)')}`;
}
