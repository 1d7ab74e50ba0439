import type { Logger } from '@oo/logger';

/** One step of an orderly shutdown; named steps read better in the log. */
export type ShutdownStep = (() => unknown) | { name: string; run: () => unknown };

/** Where signals come from; `process` unless a test passes its own emitter. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface ShutdownOptions {
  signals?: NodeJS.Signals[];
  /** After this long the process exits with code 1 whatever is still running. Default 10 s. */
  graceMs?: number;
  /** Default `process.exit`; tests pass a spy. */
  exit?: (code: number) => void;
  source?: SignalSource;
}

export interface ShutdownHandle {
  /** Runs the shutdown now, as a signal would; repeated calls return the same promise. */
  trigger(reason: string): Promise<void>;
  /** Removes the signal listeners (tests). */
  dispose(): void;
}

function stepName(step: ShutdownStep, index: number): string {
  if (typeof step === 'function') return step.name || `step ${index + 1}`;
  return step.name;
}

/**
 * On SIGTERM/SIGINT runs the steps in order — typically mark not ready, close the HTTP server,
 * stop consumers, drain the bus, close the database — logging each step's failure and going
 * on with the next; then exits 0 (1 if a step failed). If the steps take longer than `graceMs`
 * the process exits 1 anyway; a second signal exits at once.
 *
 * @example
 * onShutdown(log, [
 *   { name: 'not ready', run: () => readiness.markShuttingDown() },
 *   { name: 'http', run: () => closeServer(server) },
 *   { name: 'consumers', run: () => consumers.stop() },
 *   { name: 'bus', run: () => bus.drain() },
 *   { name: 'database', run: () => db.destroy() },
 * ], { graceMs: config.SHUTDOWN_GRACE_MS });
 */
export function onShutdown(log: Logger, steps: readonly ShutdownStep[], options: ShutdownOptions = {}): ShutdownHandle {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const graceMs = options.graceMs ?? 10_000;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const source: SignalSource = options.source ?? process;
  let running: Promise<void> | undefined;

  const run = async (reason: string): Promise<void> => {
    log.info({ reason, graceMs }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ graceMs }, 'shutdown grace period elapsed; exiting');
      exit(1);
    }, graceMs);
    // The timer must not by itself keep a process alive that has nothing left to do.
    timer.unref();
    let failed = false;
    for (const [index, step] of steps.entries()) {
      const name = stepName(step, index);
      try {
        await (typeof step === 'function' ? step() : step.run());
        log.info({ step: name }, 'shutdown step done');
      } catch (err) {
        failed = true;
        log.error({ err, step: name }, 'shutdown step failed');
      }
    }
    clearTimeout(timer);
    log.info({ failed }, 'shutdown complete');
    exit(failed ? 1 : 0);
  };

  const trigger = (reason: string): Promise<void> => (running ??= run(reason));
  const onSignal = (signal: NodeJS.Signals) => () => {
    if (running) {
      log.warn({ signal }, 'second signal during shutdown; exiting now');
      exit(1);
      return;
    }
    void trigger(signal);
  };
  const listeners = signals.map((signal) => [signal, onSignal(signal)] as const);
  for (const [signal, listener] of listeners) source.on(signal, listener);

  return {
    trigger,
    dispose: () => {
      for (const [signal, listener] of listeners) source.off(signal, listener);
    },
  };
}
