import { invalidRequest, paramErrors } from '../core/errors';
import type { ListObject, StripeObject } from '../core/types';
import type { Params, RangeFilter } from './params';

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

/**
 * One page of a Stripe list from objects already filtered and ordered newest first, reading
 * `limit` (1..100, default 10), `starting_after` and `ending_before` (cursors are object ids).
 */
export function paginate<T extends StripeObject>(items: T[], params: Params, url: string): ListObject<T> {
  const limit = params.integer('limit', { min: 1, max: MAX_LIMIT }) ?? DEFAULT_LIMIT;
  const startingAfter = params.string('starting_after');
  const endingBefore = params.string('ending_before');
  if (startingAfter && endingBefore) throw paramErrors.exclusive(['starting_after', 'ending_before']);

  if (startingAfter) {
    const index = cursorIndex(items, startingAfter, 'starting_after');
    const rest = items.slice(index + 1);
    return { object: 'list', data: rest.slice(0, limit), has_more: rest.length > limit, url };
  }
  if (endingBefore) {
    const index = cursorIndex(items, endingBefore, 'ending_before');
    const before = items.slice(0, index);
    return {
      object: 'list',
      data: before.slice(Math.max(0, before.length - limit)),
      has_more: before.length > limit,
      url,
    };
  }
  return { object: 'list', data: items.slice(0, limit), has_more: items.length > limit, url };
}

/** Whether a timestamp is inside a `created[gt|gte|lt|lte]` filter. */
export function inRange(value: number, range: RangeFilter | undefined): boolean {
  if (!range) return true;
  return (
    (range.gt === undefined || value > range.gt) &&
    (range.gte === undefined || value >= range.gte) &&
    (range.lt === undefined || value < range.lt) &&
    (range.lte === undefined || value <= range.lte)
  );
}

function cursorIndex(items: StripeObject[], id: string, param: string): number {
  const index = items.findIndex((item) => item.id === id);
  if (index < 0) throw invalidRequest(`No such object: '${id}'`, { code: 'resource_missing', param });
  return index;
}
