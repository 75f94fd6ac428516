import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { rowsOf } from './bigint.transformer';

/**
 * A row of a hand-written query as an entity, with TypeORM's own conversions and column
 * transformers (bigint → number …) but without building the query: for the few queries on the
 * webhook hot path, where the query builder's cost per call shows.
 */
export function hydrate<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>): T {
  const metadata = manager.connection.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    if (!(column.databaseName in row)) continue;
    column.setEntityValue(entity, manager.connection.driver.prepareHydratedValue(row[column.databaseName], column));
  }
  return entity;
}

/** The first row of a hand-written query as an entity, or null. */
export async function queryOne<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, sql: string, params: unknown[]): Promise<T | null> {
  const [row] = rowsOf<Record<string, unknown>>(await manager.query(sql, params));
  return row ? hydrate(manager, target, row) : null;
}
