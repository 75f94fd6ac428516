import { resourceMissing } from './errors';
import type { ObjectType, ObjectTypes, StripeObject } from './types';

/**
 * All simulated objects, in memory: one collection per object type in creation order, one index
 * by id (ids carry their type's prefix, which is what generic `expand` relies on), and
 * attachments: data kept beside an object that is not one of its fields (a session's line
 * items, the payment_intent_data it was created with).
 */
export class Store {
  private readonly byId = new Map<string, StripeObject>();
  private readonly byType = new Map<string, StripeObject[]>();
  private readonly attachments = new Map<string, Map<string, unknown>>();

  insert<K extends ObjectType>(type: K, obj: ObjectTypes[K]): ObjectTypes[K] {
    const stored = obj as unknown as StripeObject;
    if (this.byId.has(stored.id)) throw new Error(`duplicate id ${stored.id}`);
    this.byId.set(stored.id, stored);
    const list = this.byType.get(type) ?? [];
    list.push(stored);
    this.byType.set(type, list);
    return obj;
  }

  /** Any stored object by id, whatever its type. */
  getAny(id: string): StripeObject | undefined {
    return this.byId.get(id);
  }

  get<K extends ObjectType>(type: K, id: string): ObjectTypes[K] | undefined {
    const obj = this.byId.get(id);
    return obj && obj.object === type ? (obj as unknown as ObjectTypes[K]) : undefined;
  }

  /**
   * The object or Stripe's `resource_missing` error: 404 for an id in the path, 400 naming
   * `param` when the id came in a parameter.
   */
  require<K extends ObjectType>(type: K, id: string, param?: string): ObjectTypes[K] {
    const obj = this.get(type, id);
    if (!obj) throw resourceMissing(type, id, param);
    return obj;
  }

  /** Every object of a type, oldest first. */
  all<K extends ObjectType>(type: K): ObjectTypes[K][] {
    return (this.byType.get(type) ?? []) as unknown as ObjectTypes[K][];
  }

  /** Objects of a type that match, newest first (the order of Stripe's lists). */
  newestFirst<K extends ObjectType>(type: K, filter: (obj: ObjectTypes[K]) => boolean = () => true): ObjectTypes[K][] {
    return this.all(type).filter(filter).reverse();
  }

  attach(ownerId: string, key: string, value: unknown): void {
    const forOwner = this.attachments.get(ownerId) ?? new Map<string, unknown>();
    forOwner.set(key, value);
    this.attachments.set(ownerId, forOwner);
  }

  attached<T>(ownerId: string, key: string): T | undefined {
    return this.attachments.get(ownerId)?.get(key) as T | undefined;
  }

  /**
   * Everything stored, as JSON: objects by type in creation order, and attachments. A stored
   * object held inside another (a subscription's items are its subscription_item objects) is
   * written as `{"$ref": id}`, so that it is one shared object again once restored.
   */
  toJSON(): string {
    const lists = new Set<unknown>(this.byType.values());
    const byId = this.byId;
    const attachments = [...this.attachments].map(([owner, values]) => [owner, [...values]]);
    return JSON.stringify(
      { objects: Object.fromEntries(this.byType), attachments },
      function (this: unknown, _key: string, value: unknown) {
        if (lists.has(this) || typeof value !== 'object' || value === null) return value;
        const id = (value as { id?: unknown }).id;
        return typeof id === 'string' && byId.get(id) === value ? { $ref: id } : value;
      },
    );
  }

  /** Loads what `toJSON` wrote (parsed) into this empty store. */
  restore(parsed: unknown): void {
    if (this.byId.size > 0) throw new Error('restore needs an empty store');
    const state = parsed as {
      objects: Record<string, StripeObject[]>;
      attachments: Array<[string, Array<[string, unknown]>]>;
    };
    if (typeof state?.objects !== 'object' || !Array.isArray(state.attachments)) {
      throw new Error('no objects and attachments in the stored state');
    }
    for (const [type, list] of Object.entries(state.objects)) {
      for (const obj of list) this.insert(type as ObjectType, obj as never);
    }
    for (const [owner, values] of state.attachments) this.attachments.set(owner, new Map(values));
    const resolve = (value: unknown): unknown => {
      if (typeof value !== 'object' || value === null) return value;
      const ref = (value as { $ref?: unknown }).$ref;
      if (typeof ref === 'string' && Object.keys(value).length === 1) {
        const target = this.byId.get(ref);
        if (!target) throw new Error(`stored state refers to ${ref}, which it does not contain`);
        return target;
      }
      const entries = Array.isArray(value) ? value.entries() : Object.entries(value);
      for (const [k, v] of entries) (value as Record<string | number, unknown>)[k] = resolve(v);
      return value;
    };
    for (const obj of this.byId.values()) {
      for (const [k, v] of Object.entries(obj)) (obj as unknown as Record<string, unknown>)[k] = resolve(v);
    }
    for (const values of this.attachments.values()) {
      for (const [k, v] of values) values.set(k, resolve(v));
    }
  }
}
