import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { type EmbeddedLock, LOCK_FILE_NAME, tryLock } from './embedded-lock';

export interface EmbeddedPostgres {
  url: string;
  /** Writes the server's address beside the lock, for other processes (CLI commands) to use. */
  publish(): void;
  close(): Promise<void>;
}

async function freePort(host: string): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, host, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => ok(port));
    });
  });
}

/** The embedded directory is held by a live process that cannot be used (or must not be). */
export class EmbeddedDatabaseBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedDatabaseBusyError';
  }
}

/** Where an embedded database directory keeps its files and its lock. */
export function embeddedPaths(dataDir: string): { dir: string; data: string; lock: string } {
  const dir = resolve(dataDir);
  return { dir, data: join(dir, 'pglite'), lock: join(dir, LOCK_FILE_NAME) };
}

/**
 * PostgreSQL without a server: PGlite (Postgres compiled to WASM) served in-process over the
 * Postgres wire protocol, so the app keeps TypeORM's ordinary `postgres` driver and `pg`.
 * `dataDir` keeps the data across restarts; `memory` keeps it in memory (tests).
 * PGlite runs one transaction at a time: every query inside a transaction must use that
 * transaction's manager (which is right on real PostgreSQL too).
 *
 * A directory is opened by one process only: this takes its lock (`<dataDir>/pglite.lock`)
 * or fails with EmbeddedDatabaseBusyError (see `resolveDatabase`, which waits or connects to
 * the holder instead).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  maxConnections: number,
  heldLock?: EmbeddedLock,
): Promise<EmbeddedPostgres> {
  const inMemory = dataDir === 'memory';
  let location: string | undefined;
  let lock: EmbeddedLock | undefined = heldLock;
  if (!inMemory) {
    const paths = embeddedPaths(dataDir);
    location = paths.data;
    mkdirSync(location, { recursive: true });
    if (!lock) {
      const attempt = tryLock(paths.lock);
      if (!attempt.acquired) {
        throw new EmbeddedDatabaseBusyError(
          `the embedded database in ${paths.dir} is in use by process ${attempt.holder.pid} (lock ${paths.lock})`,
        );
      }
      lock = attempt.lock;
    }
  }
  try {
    const db = inMemory ? new PGlite() : new PGlite(location);
    await db.waitReady;
    const host = '127.0.0.1';
    const port = await freePort(host);
    const server = new PGLiteSocketServer({ db, host, port, maxConnections: Math.max(maxConnections + 5, 20) });
    useSessionQueue(server, db);
    await server.start();
    new Logger('Database').log(
      `embedded PostgreSQL (PGlite) on ${host}:${port}, data ${inMemory ? 'in memory' : `in ${location}`}`,
    );
    const url = `postgresql://postgres:postgres@${host}:${port}/postgres`;
    return {
      url,
      publish: () => lock?.publish(url),
      async close() {
        try {
          await server.stop();
          await db.close();
        } finally {
          lock?.release();
        }
      },
    };
  } catch (err) {
    lock?.release();
    throw err;
  }
}

interface QueuedMessage {
  handlerId: number;
  message?: Uint8Array;
  /** A disconnected client: roll back its transaction, free the session. */
  release?: boolean;
  onData?: (data: Uint8Array) => void;
  resolve(bytes: number): void;
  reject(err: unknown): void;
}

/** Messages that end a unit of work outside a transaction: Sync, simple Query, Terminate, CopyDone, CopyFail. */
const UNIT_END = new Set(['S', 'Q', 'X', 'c', 'f'].map((c) => c.charCodeAt(0)));
/** Extended-protocol messages that leave a unit open until Sync: Parse, Bind, Describe, Execute, Close, Flush, CopyData. */
const UNIT_OPEN = new Set(['P', 'B', 'D', 'E', 'C', 'H', 'd'].map((c) => c.charCodeAt(0)));

/**
 * PGlite has one session for all clients of the socket server. pglite-socket's own queue keeps a
 * transaction to the client that opened it, but interleaves other messages: one client's Parse
 * between another's Parse and Bind replaces the unnamed statement under it ("bind message
 * supplies 2 parameters, but prepared statement "" requires 6"). This queue gives the session
 * to one client from its first message until the end of that unit: its Sync (or a simple
 * query), or the end of its transaction. So the service's connection and a CLI command's
 * connection can share the embedded database.
 */
class SessionQueue {
  private queue: QueuedMessage[] = [];
  private processing = false;
  /** The client whose unit or transaction is open; only its messages run until it ends. */
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      void this.process();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((q) => {
      if (q.handlerId !== handlerId || q.release) return true;
      q.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  /** Called when a client disconnects: its open transaction is rolled back, the session freed. */
  clearTransactionIfNeeded(handlerId: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, release: true, resolve: () => resolve(), reject });
      void this.process();
    });
  }

  private next(): QueuedMessage | undefined {
    if (this.owner === null) return this.queue.shift();
    const i = this.queue.findIndex((q) => q.handlerId === this.owner);
    return i < 0 ? undefined : this.queue.splice(i, 1)[0];
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (let item = this.next(); item; item = this.next()) {
        if (item.release) {
          try {
            if (this.owner === item.handlerId) {
              this.owner = null;
              if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
            }
            item.resolve(0);
          } catch (err) {
            item.reject(err);
          }
          continue;
        }
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message!, {
              onRawData: (data) => ((bytes += data.length), item.onData!(data)),
            }),
          );
          item.resolve(bytes);
        } catch (err) {
          item.reject(err);
        }
        const type = item.message![0];
        if (this.db.isInTransaction() || UNIT_OPEN.has(type)) this.owner = item.handlerId;
        else if (UNIT_END.has(type) || this.owner === item.handlerId) this.owner = null;
      }
    } finally {
      this.processing = false;
    }
  }
}

/** Puts the SessionQueue in place of pglite-socket's own (its `queryQueue`, pinned version). */
function useSessionQueue(server: PGLiteSocketServer, db: PGlite): void {
  const internals = server as unknown as { queryQueue?: unknown };
  if (!internals.queryQueue) {
    throw new Error(
      '@electric-sql/pglite-socket has no queryQueue: check embedded-postgres.ts against its new version',
    );
  }
  internals.queryQueue = new SessionQueue(db);
}
