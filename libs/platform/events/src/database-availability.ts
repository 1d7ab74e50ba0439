import { unavailability } from '@oo/db';
import { describeError } from './errors';
import type { EventsLogger } from './event-bus.types';

/**
 * True when `err` (or any error in its `cause` chain) says the database could not be reached,
 * had no connection or time to give, or dropped the connection — a fault of the moment, not of
 * the event — as opposed to a query or handler failure. (`unavailability` in @oo/db reads it; the
 * gate then confirms with a probe, so a failure of the transaction's own spends an attempt.)
 *
 * @example
 * if (isDatabaseUnavailable(err)) return holdUntilDatabaseAnswers(delivery);
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  return unavailability(err) !== undefined;
}

/** Shared by a consumer's deliveries: one probe loop for all of them while the database is away. */
export interface DatabaseGate {
  readonly available: boolean;
  /**
   * After a transaction failed with an error `isDatabaseUnavailable` accepts: probes at once, and
   * true (the gate closes, probing goes on) when the database does not answer either; false when
   * it does, so the failure was the transaction's own (killed session, idle-in-transaction timeout).
   */
  confirmUnavailable(err: unknown): Promise<boolean>;
  /** A transaction went through; the next outage starts probing with the shortest pause again. */
  markWorking(): void;
  /** Resolves true once the database answers a probe, false if `signal` aborts first. */
  whenAvailable(signal: AbortSignal): Promise<boolean>;
  close(): void;
}

export interface DatabaseGateOptions {
  /** Pauses before successive probes; the last repeats (default 200 ms, 500 ms, 1 s, 2 s). */
  probePausesMs?: readonly number[];
  log: EventsLogger;
  durable: string;
}

/**
 * A gate over the database: closed by a transaction that found it unavailable when a probe
 * (`select 1`) confirms it, opened by a later probe that succeeds. Waiters are the held deliveries.
 *
 * @example
 * const gate = createDatabaseGate(() => sql`select 1`.execute(db), { log, durable });
 */
export function createDatabaseGate(probe: () => Promise<unknown>, options: DatabaseGateOptions): DatabaseGate {
  const pauses = options.probePausesMs ?? [200, 500, 1_000, 2_000];
  const { log, durable } = options;
  let available = true;
  let closed = false;
  // Counts probes and outages since the last transaction that went through, so a database that
  // answers probes but still fails transactions is not hammered.
  let strikes = 0;
  let probing = false;
  let waiters = new Set<() => void>();

  const open = (): void => {
    available = true;
    const ready = waiters;
    waiters = new Set();
    ready.forEach((wake) => wake());
  };

  const probeLoop = async (): Promise<void> => {
    probing = true;
    while (!available && !closed) {
      await new Promise((resolve) => setTimeout(resolve, pauses[Math.min(strikes, pauses.length - 1)] ?? 1_000).unref());
      strikes += 1;
      try {
        await probe();
        log.info({ durable }, 'database answers again; resuming held deliveries');
        open();
      } catch {
        // still away
      }
    }
    probing = false;
  };

  return {
    get available() {
      return available;
    },
    async confirmUnavailable(err) {
      if (closed) return true;
      if (available) {
        try {
          await probe();
          return false;
        } catch {
          // away indeed
        }
        if (available) log.warn({ durable, error: describeError(err) }, 'database unavailable; holding deliveries until it answers');
      }
      available = false;
      if (!probing) void probeLoop();
      return true;
    },
    markWorking() {
      strikes = 0;
    },
    whenAvailable(signal) {
      if (available) return Promise.resolve(true);
      if (signal.aborted || closed) return Promise.resolve(false);
      return new Promise((resolve) => {
        const done = (result: boolean) => () => {
          waiters.delete(wake);
          signal.removeEventListener('abort', abort);
          resolve(result);
        };
        const wake = done(true);
        const abort = done(false);
        waiters.add(wake);
        signal.addEventListener('abort', abort, { once: true });
      });
    },
    close() {
      closed = true;
    },
  };
}
