import type { Kysely } from '@oo/db';
import { pruneErasedUsers, type EventsDatabase } from '@oo/events';
import type { Logger } from '@oo/logger';

const DAY_MS = 86_400_000;

export interface ErasedUserPruning {
  /** Runs a round now (or joins the one running); resolves with the records forgotten. */
  prune(): Promise<number>;
  /** Stops the timer and waits for a round in flight. */
  stop(): Promise<void>;
}

/**
 * Keeps every service's erased-user records bounded: a record only matters while an event about
 * the user can still arrive (streams keep 30 days), so each hourly round forgets those older
 * than `retentionDays`.
 *
 * @example
 * const pruning = startErasedUserPruning(db, log, () => new Date(), 180);
 * await pruning.stop();
 */
export function startErasedUserPruning<DB>(db: Kysely<DB>, log: Logger, clock: () => Date, retentionDays: number, intervalMs = 3_600_000): ErasedUserPruning {
  let running: Promise<number> | undefined;
  const prune = (): Promise<number> => {
    running ??= (async () => {
      const forgotten = await pruneErasedUsers(db as unknown as Kysely<EventsDatabase>, new Date(clock().getTime() - retentionDays * DAY_MS));
      if (forgotten > 0) log.info({ forgotten, retentionDays }, 'forgot erased-user records past retention');
      return forgotten;
    })().finally(() => (running = undefined));
    return running;
  };
  const tick = (): void => void prune().catch((err: unknown) => log.warn({ err }, 'erased-user pruning failed; will retry'));
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    prune,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
