import type { Delivery } from './event-bus.types';

/**
 * How often a held delivery tells the broker it is still being worked on: a third of the ack
 * wait, so two heartbeats may be late before the broker would redeliver (1 s when unknown).
 *
 * @example
 * keepAliveIntervalMs(30_000); // 10_000
 */
export function keepAliveIntervalMs(ackWaitMs: number | undefined): number {
  if (!ackWaitMs || !Number.isFinite(ackWaitMs)) return 1_000;
  return Math.max(100, Math.floor(ackWaitMs / 3));
}

export interface HoldOptions {
  intervalMs: number;
  /** Aborted when the consumer stops: the wait ends and the caller decides what to do with the delivery. */
  signal: AbortSignal;
  /** Checked at each heartbeat; false ends the hold as if `signal` had aborted (the subscription was stopped). */
  stillWanted: () => boolean;
}

/**
 * Runs `wait` while keeping `delivery` alive with `working()`, so the broker neither redelivers it
 * nor counts another attempt. `wait` gets a signal that aborts when the hold must end.
 *
 * @example
 * const back = await holdDelivery(d, { intervalMs, signal, stillWanted }, (s) => gate.whenAvailable(s));
 */
export async function holdDelivery<T>(delivery: Delivery, options: HoldOptions, wait: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const local = new AbortController();
  const timer = setInterval(() => {
    if (!options.stillWanted()) local.abort();
    delivery.working();
  }, options.intervalMs);
  try {
    return await wait(AbortSignal.any([options.signal, local.signal]));
  } finally {
    clearInterval(timer);
  }
}

/**
 * Resolves after `ms`, or as soon as `signal` aborts.
 *
 * @example
 * await pause(1_000, signal);
 */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
