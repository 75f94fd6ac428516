import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  url: string;
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

/**
 * PostgreSQL without a server: PGlite (Postgres compiled to WASM) served in-process over the
 * Postgres wire protocol, so the app keeps TypeORM's ordinary `postgres` driver and `pg`.
 * `dataDir` keeps the data across restarts; `memory` keeps it in memory (tests).
 * PGlite runs one transaction at a time: every query inside a transaction must use that
 * transaction's manager (which is right on real PostgreSQL too).
 */
export async function startEmbeddedPostgres(dataDir: string, maxConnections: number): Promise<EmbeddedPostgres> {
  const inMemory = dataDir === 'memory';
  let location: string | undefined;
  if (!inMemory) {
    location = resolve(dataDir, 'pglite');
    mkdirSync(location, { recursive: true });
  }
  const db = inMemory ? new PGlite() : new PGlite(location);
  await db.waitReady;
  const host = '127.0.0.1';
  const port = await freePort(host);
  const server = new PGLiteSocketServer({ db, host, port, maxConnections: Math.max(maxConnections + 5, 20) });
  await server.start();
  new Logger('Database').log(`embedded PostgreSQL (PGlite) on ${host}:${port}, data ${inMemory ? 'in memory' : `in ${location}`}`);
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}
