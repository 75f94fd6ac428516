import cluster, { Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';

/**
 * SERVICE_PROCESSES > 1: this (primary) process serves nothing itself. It starts that many
 * service processes sharing the listening port, each a whole instance with its own webhook
 * worker (instances already share one database safely: leases and SKIP LOCKED). A process that
 * dies is started again; SIGTERM/SIGINT is passed on and the primary exits once they all have
 * shut down gracefully.
 */
export function runPrimary(processes: number): void {
  const logger = new Logger('Cluster');
  // Secrets a single process would make up for itself must be the same in every process.
  process.env.AUTH_TOKEN_SECRET ??= randomBytes(32).toString('hex');
  process.env.LINK_SIGNING_SECRET ??= randomBytes(32).toString('hex');
  let stopping = false;
  const restarts: number[] = [];
  const fork = (): Worker => cluster.fork();
  for (let i = 0; i < processes; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(0);
      return;
    }
    // More than 5 deaths in a minute is not a crash to ride out: stop, and let the supervisor see it.
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && restarts[0] < now - 60_000) restarts.shift();
    if (restarts.length > 5) {
      logger.fatal(`service process ${worker.process.pid} exited (${signal ?? code}); too many restarts, stopping`);
      process.exit(1);
    }
    logger.error(`service process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} service processes`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  logger.log(`starting ${processes} service processes`);
}

export const isPrimary = (): boolean => cluster.isPrimary;
