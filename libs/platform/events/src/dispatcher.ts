/**
 * Runs at most `capacity` tasks at once; tasks that share a key run one after another in the
 * order they were dispatched, so one user's events are handled in stream order.
 */
export interface Dispatcher {
  readonly capacity: number;
  inFlight(): number;
  freeSlots(): number;
  /** Resolves once a slot is free. */
  waitForSlot(): Promise<void>;
  /** Takes a slot until the task settles; the caller must have waited for one. */
  dispatch(key: string | undefined, task: () => Promise<void>): void;
  /** Resolves when nothing is in flight. */
  idle(): Promise<void>;
}

export function createDispatcher(capacity: number, onTaskError: (err: unknown) => void): Dispatcher {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`concurrency must be a positive integer, got ${capacity}`);
  let running = 0;
  const tails = new Map<string, Promise<void>>();
  let waiters: Array<() => void> = [];

  const wake = (): void => {
    const ready = waiters;
    waiters = [];
    ready.forEach((resolve) => resolve());
  };

  const untilSettled = (done: () => boolean): Promise<void> =>
    new Promise((resolve) => {
      const check = (): void => (done() ? resolve() : void waiters.push(check));
      check();
    });

  return {
    capacity,
    inFlight: () => running,
    freeSlots: () => capacity - running,
    waitForSlot: () => untilSettled(() => running < capacity),
    idle: () => untilSettled(() => running === 0),
    dispatch(key, task) {
      running += 1;
      const previous = key === undefined ? undefined : tails.get(key);
      const run = (previous ?? Promise.resolve()).then(task).catch(onTaskError);
      if (key !== undefined) tails.set(key, run);
      void run.finally(() => {
        if (key !== undefined && tails.get(key) === run) tails.delete(key);
        running -= 1;
        wake();
      });
    },
  };
}
