import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * Who holds an embedded database directory: a lock file beside the data (`<dir>/pglite.lock`),
 * created atomically, with the holder's pid and the start time of that process (so that a pid
 * reused by another process after a crash is not taken for the holder). A long-running holder
 * (the service) adds the address of its embedded server once it is ready for other clients.
 */
export interface EmbeddedLockInfo {
  pid: number;
  /** The holder's start time (Linux: /proc/<pid>/stat field 22); absent where unknown. */
  startTime?: string;
  /** postgresql:// address of the holder's embedded server, once published. */
  url?: string;
}

export const LOCK_FILE_NAME = 'pglite.lock';

/** The start time of a process, to tell it from a later one with the same pid; undefined off Linux or when it is gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: count from its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether the process that wrote `info` still runs. */
export function holderAlive(info: EmbeddedLockInfo): boolean {
  if (!Number.isInteger(info.pid) || info.pid <= 0) return false;
  try {
    process.kill(info.pid, 0);
  } catch (err) {
    // EPERM: it exists, it is someone else's.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (info.startTime === undefined) return true;
  const now = processStartTime(info.pid);
  return now === undefined || now === info.startTime;
}

export function readLock(file: string): EmbeddedLockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as EmbeddedLockInfo;
    return typeof info?.pid === 'number' ? info : undefined;
  } catch {
    return undefined;
  }
}

function sameHolder(a: EmbeddedLockInfo | undefined, b: EmbeddedLockInfo | undefined): boolean {
  return !!a && !!b && a.pid === b.pid && a.startTime === b.startTime;
}

const own = (): EmbeddedLockInfo => ({ pid: process.pid, startTime: processStartTime(process.pid) });

export type LockAttempt = { acquired: true; lock: EmbeddedLock } | { acquired: false; holder: EmbeddedLockInfo };

/**
 * Takes the lock when it is free or its holder is dead (a stale lock from a killed process is
 * taken over); otherwise answers who holds it.
 */
export function tryLock(file: string): LockAttempt {
  const mine = own();
  for (let attempt = 0; attempt < 10; attempt++) {
    // Written whole under a private name, then linked into place: link fails when a lock exists,
    // and nobody ever reads a half-written lock.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(mine));
    try {
      linkSync(tmp, file);
      return { acquired: true, lock: new EmbeddedLock(file, mine) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      unlinkSync(tmp);
    }
    const holder = readLock(file);
    if (holder && holderAlive(holder)) return { acquired: false, holder };
    // Stale or unreadable: move it aside (atomic, so one process wins), and check that what was
    // moved is the stale lock we judged, not one another process took in the meantime.
    const aside = `${file}.${process.pid}.stale`;
    try {
      renameSync(file, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const moved = readLock(aside);
    if (moved && holderAlive(moved) && !sameHolder(moved, holder)) {
      try {
        linkSync(aside, file);
      } catch {
        // Someone took the lock meanwhile; theirs stands.
      }
    }
    unlinkSync(aside);
  }
  const holder = readLock(file);
  if (holder) return { acquired: false, holder };
  throw new Error(`could not take the lock ${file}`);
}

/** A held lock on an embedded database directory. */
export class EmbeddedLock {
  private released = false;
  private readonly onExit = () => this.release();

  constructor(
    readonly file: string,
    private readonly info: EmbeddedLockInfo,
  ) {
    // A process that ends without closing the database (process.exit) leaves no lock behind.
    process.on('exit', this.onExit);
  }

  /** Tells other processes where to reach this process's embedded server. */
  publish(url: string): void {
    if (this.released) return;
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ ...this.info, url }));
    renameSync(tmp, this.file);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    process.off('exit', this.onExit);
    if (!sameHolder(readLock(this.file), this.info)) return;
    try {
      unlinkSync(this.file);
    } catch {
      // already gone
    }
  }
}
