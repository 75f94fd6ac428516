/*
 * `npm run openapi`: writes openapi.json (the API contract, from the controllers and DTOs) and the
 * typed client's schema generated from it. `npm run openapi:check` (CI) writes nothing and exits
 * 1, naming what differs, when either committed file is not what the code generates.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { clientSchemaSource, describeDifference } from './generate';
import { previewOpenApiDocument, serializeOpenApiDocument } from './document';

const ROOT = process.cwd();
const OPENAPI_JSON = join(ROOT, 'openapi.json');
const CLIENT_SCHEMA = join(ROOT, 'libs', 'api-client', 'src', 'schema.d.ts');

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const json = serializeOpenApiDocument(await previewOpenApiDocument());
  const schema = await clientSchemaSource(json);
  const outputs = [
    { file: OPENAPI_JSON, text: json },
    { file: CLIENT_SCHEMA, text: schema },
  ];
  if (!check) {
    for (const o of outputs) writeFileSync(o.file, o.text);
    console.log(`wrote ${outputs.map((o) => relative(ROOT, o.file)).join(' and ')}`);
    return;
  }
  let stale = false;
  for (const o of outputs) {
    const difference = describeDifference(read(o.file), o.text);
    if (difference) {
      stale = true;
      console.error(`${relative(ROOT, o.file)} is stale: ${difference}`);
    }
  }
  if (stale) {
    console.error('Run `npm run openapi` and commit the result.');
    process.exit(1);
  }
  console.log('openapi.json and the client schema match the code');
}

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
