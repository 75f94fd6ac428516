import type { Pool, PoolClient } from 'pg';
import { type DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';

/*
 * Raw `pg` access under TypeORM, for the webhook hot path and the ledger's CSV export. This file
 * is the one place that reaches past TypeORM's public API: the driver's pool (`driver.master`, in
 * `poolOf`, which `sql` and the reports' COPY streaming use), and in `rawTransaction` the query
 * runner's `isTransactionActive` flag and `releasePostgresConnection`.
 */

/**
 * The `pg` pool under a PostgreSQL DataSource (TypeORM's `driver.master`), for what TypeORM has no
 * API for: a client of its own, e.g. to stream `COPY … TO STDOUT`. Whoever connects a client
 * releases it. Not for the embedded database.
 */
export function poolOf(dataSource: DataSource): Pool {
  return (dataSource.driver as unknown as { master: Pool }).master;
}

/**
 * Gives every connection of the pool an `error` listener for as long as it lives. `pg` emits a
 * connection's error as an event when no query is running on it (the server shut down, or ended
 * the session); the pool listens only while a connection is idle, so one that is checked out
 * between two statements (a transaction's) would crash the process with an unhandled `error`
 * event. Logged here instead: the connection is dead, and its next statement fails as any
 * database error does (retried, or answered 503).
 */
export function guardConnections(dataSource: DataSource, onError: (err: Error) => void): void {
  const pool = poolOf(dataSource) as (Pool & { _clients?: PoolClient[] }) | undefined;
  if (!pool) return;
  const guard = (client: PoolClient) => client.on('error', onError);
  pool.on('connect', guard);
  // The connection TypeORM opened while initialising, before this listener.
  for (const client of pool._clients ?? []) guard(client);
}

interface PgResult {
  rows: Array<Record<string, unknown>>;
  rowCount: number | null;
}
interface PgQueryable {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<PgResult>;
}

/**
 * Named (prepared) statements: on PostgreSQL, yes. The embedded PGlite serves every connection
 * from one session and loses a statement prepared in a failed exchange, so there every
 * statement is sent unnamed.
 */
let named = true;
export function usePreparedStatements(on: boolean): void {
  named = on;
}

/** A name per statement text: each connection parses and plans a named statement once. */
const statementNames = new Map<string, string>();
let statementCount = 0;
const nameOf = (text: string): string => {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `s${++statementCount}`));
  return name;
};

/**
 * Runs a statement straight on the `pg` connection: the transaction's when `manager` is a
 * transaction's, otherwise one from the pool. It is prepared once per connection (a named
 * statement) and skips TypeORM's per-query machinery: for the statements of the webhook hot
 * path, where both show. Answers the rows (RETURNING ones for writes) and the row count.
 */
export async function sql<T = Record<string, unknown>>(
  manager: EntityManager,
  text: string,
  params: unknown[] = [],
): Promise<T[] & { rowCount: number }> {
  const runner = manager.queryRunner;
  const target: PgQueryable =
    runner && !runner.isReleased ? await runner.connect() : (poolOf(manager.connection) as unknown as PgQueryable);
  let result: PgResult;
  try {
    result = await target.query(named ? { name: nameOf(text), text, values: params } : { text, values: params });
  } catch (err) {
    // "cached plan must not change result type": a migration changed a table under a prepared
    // `SELECT *` (a rolling deploy). This call fails (its caller retries); the next one prepares
    // the statement afresh under a new name.
    if ((err as { code?: string }).code === '0A000') statementNames.delete(text);
    throw err;
  }
  return Object.assign(result.rows as T[], { rowCount: result.rowCount ?? 0 });
}

/**
 * A row of a hand-written query as an entity, with TypeORM's own conversions and column
 * transformers (bigint → number …) but without building the query: for the few queries on the
 * webhook hot path, where the query builder's cost per call shows.
 */
export function hydrate<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  row: Record<string, unknown>,
): T {
  const metadata = manager.connection.getMetadata(target);
  const entity = metadata.create() as T;
  for (const column of metadata.columns) {
    if (!(column.databaseName in row)) continue;
    column.setEntityValue(entity, manager.connection.driver.prepareHydratedValue(row[column.databaseName], column));
  }
  return entity;
}

/** The first row of a hand-written query as an entity, or null. */
export async function queryOne<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  text: string,
  params: unknown[],
): Promise<T | null> {
  const [row] = await sql(manager, text, params);
  return row ? hydrate(manager, target, row) : null;
}

/**
 * Runs `work` in one transaction on a connection of its own, opened by the statements of `begin`
 * (BEGIN and any `SET LOCAL`) and `opening` (a statement without parameters, e.g. a row lock)
 * sent together in one round trip (the simple protocol runs them in order); `work` gets the rows
 * of `opening`. TypeORM is told a transaction is open (`isTransactionActive`), so that nothing
 * inside starts its own.
 *
 * Whatever fails (the opening sent with BEGIN, the work, COMMIT), the transaction is rolled back
 * before the connection goes back to the pool: a connection left `idle in transaction (aborted)`
 * would fail every query of whoever takes it next. A connection that cannot even roll back
 * (broken, cancelled) is destroyed (`releasePostgresConnection`) instead of released.
 */
export async function rawTransaction<T>(
  dataSource: DataSource,
  begin: string[],
  opening: string | undefined,
  work: (manager: EntityManager, opened: Array<Record<string, unknown>>) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const client = (await runner.connect()) as {
    query(
      sql: string,
    ): Promise<{ rows: Array<Record<string, unknown>> } | Array<{ rows: Array<Record<string, unknown>> }>>;
  };
  // Set when the connection must be destroyed rather than handed back (it could not roll back).
  let broken: unknown;
  const rollback = async (): Promise<void> => {
    try {
      await client.query('ROLLBACK');
    } catch (err) {
      broken = err;
    }
  };
  try {
    let results: Awaited<ReturnType<typeof client.query>>;
    try {
      results = await client.query([...begin, ...(opening ? [opening] : [])].join('; '));
    } catch (err) {
      // BEGIN went through and a later statement failed (a lock or statement timeout on the
      // opening's row lock): the transaction is open and aborted on this connection.
      await rollback();
      throw err;
    }
    // The rows of the opening's first statement.
    const opened = opening && Array.isArray(results) ? results[begin.length].rows : [];
    (runner as { isTransactionActive: boolean }).isTransactionActive = true;
    try {
      const result = await work(runner.manager, opened);
      await runner.query('COMMIT');
      return result;
    } catch (err) {
      await rollback();
      throw err;
    } finally {
      (runner as { isTransactionActive: boolean }).isTransactionActive = false;
    }
  } finally {
    if (broken) {
      await (runner as unknown as { releasePostgresConnection(err: unknown): Promise<void> }).releasePostgresConnection(
        broken,
      );
    } else await runner.release();
  }
}
