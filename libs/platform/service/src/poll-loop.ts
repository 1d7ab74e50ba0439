import type { Logger } from '@oo/logger';

export interface PollLoopOptions {
  /** Named in the log line of a failed pass, e.g. `look for due nudges`. */
  what: string;
  /** The wait between passes when the last one found no more work. */
  intervalMs: number;
  log: Logger;
  /**
   * One pass over the work that is due. Resolves true when more is waiting (a full batch), so the
   * next pass starts at once instead of after `intervalMs`.
   */
  pass: () => Promise<boolean>;
}

/** A background loop of passes over due work, one pass at a time. */
export interface PollLoop {
  /** Runs a pass soon instead of at the next interval (new work has arrived); during a pass, another follows it. */
  poke(): void;
  /** No new pass starts; resolves once the one in flight has ended. */
  stop(): Promise<void>;
}

/**
 * Runs `pass` now, then again after every `intervalMs` (at once while it reports more work), never
 * two passes at a time. A pass that throws is logged and the loop goes on: the work it left is
 * still due at the next pass. The timer does not keep the process alive.
 *
 * @example
 * const loop = startPollLoop({ what: 'send due deliveries', intervalMs: 1_000, log, pass: sendDue });
 * loop.poke(); await loop.stop();
 */
export function startPollLoop(options: PollLoopOptions): PollLoop {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  };

  function run(): void {
    if (running) {
      again = true;
      return;
    }
    running = options
      .pass()
      .then((more) => {
        again ||= more;
      })
      .catch((err: unknown) => options.log.warn({ err }, `could not ${options.what}; trying again at the next pass`))
      .finally(() => {
        running = undefined;
        schedule(again ? 0 : options.intervalMs);
        again = false;
      });
  }

  schedule(0);
  return {
    // During a pass the poke is remembered, not timed: the pass may end before a timer would fire.
    poke: () => {
      if (running) again = true;
      else schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
