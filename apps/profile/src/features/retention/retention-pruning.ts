import type { Kysely } from '@oo/db';
import { pruneErasedUsers, type EventsDatabase } from '@oo/events';
import type { Logger } from '@oo/logger';
import type { ProfileDatabase } from '../../db/database';
import type { Clock } from '../profile-features/profile-features.service';

const DAY_MS = 86_400_000;

export interface RetentionPruningOptions {
  db: Kysely<ProfileDatabase>;
  log: Logger;
  clock: Clock;
  /** Erased-user records older than this are forgotten. */
  erasedUserRetentionDays: number;
  /** Between rounds (default 1 h); the first round runs at start. */
  intervalMs?: number;
}

export interface RetentionPruning {
  /** Runs a round now (or joins the one running); resolves with the records deleted. */
  prune(): Promise<{ erasedUsers: number }>;
  /** Stops the timer and waits for a round in flight. */
  stop(): Promise<void>;
}

/**
 * Keeps the erased-user records bounded: a record only matters while an event about the user can
 * still arrive (the streams keep 30 days), so each round forgets those older than the retention.
 * Tip projections have their own pruning (`startProjectionPruning`).
 *
 * @example
 * const pruning = startRetentionPruning({ db, log, clock, erasedUserRetentionDays: config.ERASED_USER_RETENTION_DAYS });
 * // on shutdown
 * await pruning.stop();
 */
export function startRetentionPruning(options: RetentionPruningOptions): RetentionPruning {
  const { db, log, clock } = options;
  let running: Promise<{ erasedUsers: number }> | undefined;

  const prune = (): Promise<{ erasedUsers: number }> => {
    running ??= (async () => {
      const before = new Date(clock().getTime() - options.erasedUserRetentionDays * DAY_MS);
      const erasedUsers = await pruneErasedUsers(db as unknown as Kysely<EventsDatabase>, before);
      if (erasedUsers > 0) log.info({ erasedUsers }, 'forgot erased-user records past retention');
      return { erasedUsers };
    })().finally(() => (running = undefined));
    return running;
  };
  const tick = (): void => {
    prune().catch((err: unknown) => log.warn({ err }, 'retention pruning failed; will retry'));
  };

  const timer = setInterval(tick, options.intervalMs ?? 3_600_000);
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
