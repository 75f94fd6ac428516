import { paramErrors } from '../core/errors';

/** A parsed form value: a string, or a nested object (arrays arrive as objects keyed "0", "1", ...). */
export type FormValue = string | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/**
 * Parses Stripe's bracket encoding (`application/x-www-form-urlencoded` bodies and GET query
 * strings): `line_items[0][price_data][unit_amount]=500`, `metadata[order]=x`, `expand[]=a`.
 *
 * Arrays stay objects with numeric keys here, since a key like `metadata[0]` is a hash key; the
 * parameter reader turns them into arrays where the API expects a list. `[]` appends.
 */
export function parseFormBody(body: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(body)) {
    const path = splitKey(rawKey);
    if (!path || path.some((segment) => FORBIDDEN_KEYS.has(segment))) {
      throw paramErrors.invalid(rawKey, `Invalid parameter name: ${rawKey}`);
    }
    assign(root, path, value, rawKey);
  }
  return root;
}

/** `a[b][0][]` → ['a', 'b', '0', ''] ; null when the brackets do not balance. */
function splitKey(key: string): string[] | null {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return null;
  const segments = [match[1]];
  for (const [, inner] of match[2].matchAll(/\[([^[\]]*)\]/g)) segments.push(inner);
  return segments;
}

function assign(root: FormObject, path: string[], value: string, rawKey: string): void {
  let container = root;
  for (let i = 0; i < path.length; i++) {
    const key = path[i] === '' ? String(Object.keys(container).length) : path[i];
    const last = i === path.length - 1;
    if (last) {
      if (typeof container[key] === 'object') {
        throw paramErrors.invalid(rawKey, `Invalid value for ${rawKey}: expected a hash, got a string`);
      }
      container[key] = value;
      return;
    }
    const next = container[key];
    if (typeof next === 'string') {
      throw paramErrors.invalid(
        rawKey,
        `Invalid value for ${path.slice(0, i + 1).join('.')}: expected a string, got a hash`,
      );
    }
    if (next === undefined) container[key] = {};
    container = container[key] as FormObject;
  }
}
