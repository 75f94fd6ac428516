import { type ValueTransformer } from 'typeorm';

/**
 * `bigint` columns come back from `pg` as strings. Money in minor units fits a JS number up to
 * 2^53 (90 trillion dollars); anything beyond that is refused rather than silently rounded.
 */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => {
    if (value === null || value === undefined) return value;
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isSafeInteger(n)) throw new RangeError(`bigint column value ${value} exceeds the safe integer range`);
    return n;
  },
};

/** For raw query results: `SUM(bigint)` is `numeric` and arrives as a string. */
export function toSafeInt(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`value ${value} is not a safe integer`);
  return n;
}

/**
 * TypeORM's `query()` answers `[rows, affectedCount]` for UPDATE/DELETE on PostgreSQL and plain
 * rows otherwise; this gives the rows either way.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[0] as T[];
  }
  return result as T[];
}
