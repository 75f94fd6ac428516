/** A UUID PostgreSQL accepts (8-4-4-4-12 hex digits): anything else is "not found", never a 500. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
