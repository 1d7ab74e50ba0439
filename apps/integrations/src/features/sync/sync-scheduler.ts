import type { Logger } from '@oo/logger';
import { startPollLoop, type PollLoop } from '@oo/service';
import { leaseDueConnections } from './sync-lease.repository';
import { runSync, type SyncRunResult, type SyncRunnerDeps } from './sync-runner';

export interface SyncSchedulerOptions {
  /** How often to look for due connections when nothing pokes. */
  tickMs: number;
  /** Syncs this instance runs at once. */
  concurrency: number;
  log: Logger;
  /** Called after each run, for metrics. */
  onRun?: (result: SyncRunResult, provider: string) => void;
}

/** The periodic sync of every connection, on this instance. */
export interface SyncScheduler {
  /** Looks for due connections now (after "sync now" or a new connection) instead of at the next tick. */
  poke(): void;
  /** Stops leasing and waits for the runs in flight. */
  stop(): Promise<void>;
}

/**
 * Leases due connections (a lease per connection in Postgres, so instances never sync one
 * connection twice at a time) and runs their syncs, at most `concurrency` at once; a free slot
 * looks for more work at once, an idle scheduler every `tickMs`.
 *
 * @example
 * const scheduler = startSyncScheduler(runnerDeps, { tickMs: 1_000, concurrency: 4, log });
 */
export function startSyncScheduler(deps: SyncRunnerDeps, options: SyncSchedulerOptions): SyncScheduler {
  const inFlight = new Set<Promise<void>>();
  const loop: PollLoop = startPollLoop({
    what: 'look for due connections',
    intervalMs: options.tickMs,
    log: options.log,
    pass: async () => {
      const free = options.concurrency - inFlight.size;
      const leased = free > 0 ? await leaseDueConnections(deps.db, deps.owner, free, deps.timing.leaseMs) : [];
      for (const conn of leased) {
        const run: Promise<void> = runSync(deps, conn)
          .then((result) => options.onRun?.(result, conn.provider))
          .catch((err: unknown) => options.log.error({ err, connectionId: conn.connection_id }, 'a sync could not record its outcome; its lease runs out and it is tried again'))
          .finally(() => {
            inFlight.delete(run);
            // A free slot looks for more work at once.
            loop.poke();
          });
        inFlight.add(run);
      }
      return false;
    },
  });
  return {
    poke: () => loop.poke(),
    async stop() {
      await loop.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}
