interface Task {
  label: string;
  dueAt: number;
  timer: NodeJS.Timeout;
  run: () => void | Promise<void>;
}

/**
 * Work the simulator will do later in real time: flow steps (the fee arriving a few seconds after
 * a payment) and webhook deliveries (jittered first attempts and retries). Everything pending is
 * tracked so that `idle()` can wait for it, `flush()` can run it now, and `close()` can drop it.
 */
export class Scheduler {
  private readonly tasks = new Set<Task>();
  private readonly running = new Set<Promise<void>>();
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly onError: (label: string, err: unknown) => void,
    /** Called after each task ran (or its promise settled): what it changed may need saving. */
    private readonly onRan: () => void = () => undefined,
  ) {}

  /** Runs `run` after `delayMs`. Ignored once the scheduler is closed. */
  schedule(delayMs: number, label: string, run: () => void | Promise<void>): void {
    if (this.closed) return;
    const task: Task = { label, run, dueAt: Date.now() + delayMs, timer: undefined as unknown as NodeJS.Timeout };
    task.timer = setTimeout(() => this.execute(task), Math.max(0, delayMs));
    this.tasks.add(task);
  }

  /** Counts `work` as pending until it settles (e.g. a delivery started outside a task). */
  track<T>(work: Promise<T>): Promise<T> {
    const done = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(done);
    void done.then(() => {
      this.running.delete(done);
      this.notify();
    });
    return work;
  }

  get pending(): number {
    return this.tasks.size + this.running.size;
  }

  /** Resolves once nothing is scheduled or running. */
  idle(): Promise<void> {
    if (this.pending === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Waits until idle. With `fastForward`, every scheduled task runs now instead of at its time
   * (repeatedly, since tasks schedule more tasks: a failed delivery schedules its retry).
   */
  async flush(fastForward: boolean): Promise<void> {
    if (!fastForward) return this.idle();
    while (!this.closed && this.pending > 0) {
      const due = [...this.tasks].sort((a, b) => a.dueAt - b.dueAt);
      for (const task of due) {
        clearTimeout(task.timer);
        this.execute(task);
      }
      if (this.running.size > 0) await Promise.race(this.running);
    }
  }

  close(): void {
    this.closed = true;
    for (const task of this.tasks) clearTimeout(task.timer);
    this.tasks.clear();
    this.notify();
  }

  private execute(task: Task): void {
    if (!this.tasks.delete(task)) return;
    let result: void | Promise<void>;
    try {
      result = task.run();
    } catch (err) {
      this.onError(task.label, err);
      this.onRan();
      this.notify();
      return;
    }
    if (result instanceof Promise) {
      void this.track(result.catch((err: unknown) => this.onError(task.label, err)).finally(() => this.onRan()));
    } else {
      this.onRan();
      this.notify();
    }
  }

  private notify(): void {
    if (this.pending > 0 && !this.closed) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
