import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const CONSOLE_PREFIX = '/console/';

/**
 * Where `npm run build` puts the console (scripts/build.js): `dist/console`. This file runs from
 * `dist/apps/api/src` (npm start) or from `apps/api/src` (tests, through swc/jest): both reach it.
 */
export function consoleDir(): string {
  const up = path.resolve(__dirname, '..', '..', '..', '..');
  const built = path.join(up, 'console');
  return existsSync(path.join(built, 'index.html')) ? built : path.join(up, 'dist', 'console');
}

/**
 * The staff console (a single-page app) at /console/: Vite's hashed files under /console/assets/
 * are immutable (a new build has new names), `index.html` is never cached (it names the current
 * build's files), and any other path under /console/ is a client-side route: index.html again.
 * Its own routes only: no hook, so the API's paths cost nothing more.
 */
export function consoleRoutes(dir = consoleDir()) {
  return async (scope: FastifyInstance): Promise<void> => {
    await scope.register(fastifyStatic, {
      root: path.join(dir, 'assets'),
      prefix: `${CONSOLE_PREFIX}assets/`,
      decorateReply: false,
      index: false,
      cacheControl: true,
      maxAge: 365 * 24 * 3600 * 1000,
      immutable: true,
    });
    const index = async (reply: FastifyReply) => {
      let html: Buffer;
      try {
        html = await readFile(path.join(dir, 'index.html'));
      } catch {
        return reply
          .code(503)
          .header('cache-control', 'no-store')
          .type('text/plain; charset=utf-8')
          .send('The staff console is not built: run npm run build.');
      }
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
    };
    scope.get('/console', async (_req, reply) => reply.redirect(CONSOLE_PREFIX, 301));
    scope.get(CONSOLE_PREFIX, async (_req, reply) => index(reply));
    scope.get(`${CONSOLE_PREFIX}*`, async (_req, reply) => index(reply));
  };
}
