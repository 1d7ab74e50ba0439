import type { Kysely } from '@oo/db';
import type { Logger } from '@oo/logger';
import type { MlDatabase } from '../../db/database';
import { pruneDecisions } from './reward-join.repository';
import type { Clock, RewardJoin } from './reward-join.service';

export interface RewardSweeperOptions {
  db: Kysely<MlDatabase>;
  join: RewardJoin;
  log: Logger;
  clock: Clock;
  intervalMs: number;
  /** Settled decisions and orphan feedback older than this are deleted. */
  retentionMs: number;
}

export interface RewardSweeper {
  /** Settles what is due now; resolves with how many decisions were settled. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

const PRUNE_EVERY_MS = 3_600_000;

/**
 * Settles decisions whose reward window passed without a reaction (with the no-reaction reward),
 * every `intervalMs`, and prunes old rows of the reward join hourly. Several instances may sweep
 * at once: `skip locked` hands each open decision to exactly one of them.
 *
 * @example
 * const sweeper = startRewardSweeper({ db, join, log, clock, intervalMs: 60_000, retentionMs: 7 * 86_400_000 });
 */
export function startRewardSweeper(options: RewardSweeperOptions): RewardSweeper {
  const { db, join, log, clock } = options;
  let running: Promise<number> | undefined;
  let lastPrune = 0;

  const sweep = (): Promise<number> => {
    running ??= (async () => {
      try {
        const settled = await join.sweep(db);
        if (settled > 0) log.info({ settled }, 'settled decisions without a reaction in the window');
        if (clock().getTime() - lastPrune >= PRUNE_EVERY_MS) {
          lastPrune = clock().getTime();
          const pruned = await pruneDecisions(db, new Date(lastPrune - options.retentionMs));
          if (pruned > 0) log.info({ pruned }, 'pruned old decisions');
        }
        return settled;
      } catch (err) {
        log.warn({ err }, 'reward sweep failed; will retry');
        return 0;
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const timer = setInterval(() => void sweep(), options.intervalMs);
  timer.unref();
  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
