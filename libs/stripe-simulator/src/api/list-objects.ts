import type { SimulatorContext } from '../core/context';
import type { ListObject, ObjectType, ObjectTypes } from '../core/types';
import { inRange, paginate } from '../http/list';
import type { Params } from '../http/params';

/**
 * A Stripe list of stored objects, newest first, filtered by `matches` and by the `created`
 * range every list accepts, then paginated.
 */
export function listObjects<K extends ObjectType>(
  ctx: SimulatorContext,
  type: K,
  params: Params,
  url: string,
  matches: (obj: ObjectTypes[K]) => boolean = () => true,
): ListObject<ObjectTypes[K]> {
  const created = params.range('created');
  const items = ctx.store.newestFirst(
    type,
    (obj) => matches(obj) && inRange((obj as { created: number }).created, created),
  );
  return paginate(items, params, url);
}

/** A filter that passes everything when the parameter was not given. */
export const matchesIfGiven = <T>(wanted: T | undefined, actual: unknown): boolean =>
  wanted === undefined || actual === wanted;
