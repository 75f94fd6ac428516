import { invalidRequest } from '../core/errors';
import type { Store } from '../core/store';
import type { StripeObject } from '../core/types';

const MAX_DEPTH = 4;

/** Computes a field that is not stored on the object (e.g. a Checkout Session's `line_items`). */
export type VirtualField = (obj: StripeObject) => unknown;

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `expand[]=payment_intent.latest_charge.balance_transaction`: replaces id strings along the path
 * with (copies of) the stored objects they name, whatever their type, since ids carry their
 * type's prefix. `data.x` expands inside lists. Fields that exist only when expanded are
 * registered as virtual fields per object type.
 */
export class Expander {
  private readonly virtualFields = new Map<string, VirtualField>();

  constructor(private readonly store: Store) {}

  registerVirtual(objectType: string, field: string, compute: VirtualField): void {
    this.virtualFields.set(`${objectType}.${field}`, compute);
  }

  /** A deep copy of `value` with `paths` expanded (the store is never modified). */
  expand<T>(value: T, paths: string[]): T {
    const out = structuredClone(value);
    paths.forEach((path, i) => {
      const segments = path.split('.');
      if (segments.length > MAX_DEPTH) {
        throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${path}`, {
          param: `expand[${i}]`,
        });
      }
      this.expandAt(out, segments, path, i);
    });
    return out;
  }

  private expandAt(node: unknown, segments: string[], path: string, index: number): void {
    if (Array.isArray(node)) {
      for (const item of node) this.expandAt(item, segments, path, index);
      return;
    }
    if (!isNode(node)) return;
    const [field, ...rest] = segments;
    let value = node[field];
    if (value === undefined) {
      const compute = typeof node.object === 'string' ? this.virtualFields.get(`${node.object}.${field}`) : undefined;
      if (!compute) {
        const hint = node.object === 'list' ? ` You may want to try expanding 'data.${field}' instead.` : '';
        throw invalidRequest(`This property cannot be expanded (${field}).${hint}`, { param: `expand[${index}]` });
      }
      value = structuredClone(compute(node as unknown as StripeObject));
    } else if (typeof value === 'string') {
      const found = this.store.getAny(value);
      if (found) value = structuredClone(found);
    }
    node[field] = value;
    if (rest.length > 0) this.expandAt(value, rest, path, index);
  }
}
