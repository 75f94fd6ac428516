import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

/** Bumped when the file's shape changes; a file of another version is refused, not guessed at. */
export const STATE_VERSION = 1;

/** How long after a change the state is written (changes meanwhile go into the same write). */
export const DEFAULT_SAVE_DELAY_MS = 200;

/**
 * The simulator's state on disk, so that it survives a restart the way the database beside it
 * does: loaded once at start, written after changes (at most once per `delayMs`, so a burst of
 * requests costs one write) and on close. Each write goes to a temporary file, is flushed to
 * disk and renamed over the old one, so the file is always a whole state, old or new.
 */
export class StateFile {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly snapshot: () => string,
    private readonly log: (msg: string) => void,
    private readonly delayMs = DEFAULT_SAVE_DELAY_MS,
  ) {}

  /** The stored state's text, or undefined when there is none yet. */
  static read(path: string): string | undefined {
    if (!existsSync(path)) return undefined;
    return readFileSync(path, 'utf8');
  }

  /** Something changed: write soon. */
  changed(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.save();
    }, this.delayMs);
    this.timer.unref();
  }

  /** Writes now (a failure is logged; the next change tries again). */
  save(): void {
    try {
      writeAtomically(this.path, this.snapshot());
    } catch (err) {
      this.log(`saving state to ${this.path} failed: ${(err as Error).message}`);
    }
  }

  /** The last write, then no more. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.save();
  }
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(temp);
    throw err;
  }
  closeSync(fd);
  renameSync(temp, path);
}
