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
}
