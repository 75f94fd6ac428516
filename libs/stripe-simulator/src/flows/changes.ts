import type { SimulatorContext } from '../core/context';
import { NO_REQUEST, type RequestOrigin, type StripeObject } from '../core/types';

/**
 * Changes an object in place and, if anything changed, emits `eventType` (a `*.updated` event)
 * with `previous_attributes`: each top-level field that changed, with its value before.
 * Returns whether anything changed.
 */
export function applyChange<T extends StripeObject>(
  ctx: SimulatorContext,
  obj: T,
  eventType: string,
  mutate: (obj: T) => void,
  request: RequestOrigin = NO_REQUEST,
): boolean {
  const before = structuredClone(obj) as unknown as Record<string, unknown>;
  mutate(obj);
  const after = obj as unknown as Record<string, unknown>;
  const previous: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) previous[key] = before[key] ?? null;
  }
  if (Object.keys(previous).length === 0) return false;
  ctx.events.emit(eventType, obj, { previousAttributes: previous, request });
  return true;
}
